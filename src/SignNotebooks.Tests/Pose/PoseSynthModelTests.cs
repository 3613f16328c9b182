using Microsoft.ML.OnnxRuntime;
using Onnx;
using SignNotebooks.Keypoints;
using SignNotebooks.Pose;
using SignNotebooks.Synthetic;
using TorchSharp;

namespace SignNotebooks.Tests.Pose;

/// <summary>Trains the SynthSign pose model once (seconds, a few SynthSign tiny clips) and writes it as ONNX.</summary>
public sealed class SynthPoseFixture : IDisposable
{
    public string Dir { get; } = Directory.CreateTempSubdirectory("signnb-synthpose-").FullName;
    public SynthPoseConfig Config { get; } = SynthPoseConfig.For("tiny");
    public SynthPoseTraining Trained { get; }
    public string Model { get; }

    public SynthPoseFixture()
    {
        Trained = SynthPoseTrainer.Train(Config);
        Model = Path.Combine(Dir, "synthsign-tiny.onnx");
        SynthPoseExport.Write(Trained.Net, Model);
    }

    public void Dispose()
    {
        Trained.Net.Dispose();
        Directory.Delete(Dir, true);
    }
}

public sealed class PoseSynthModelTests(SynthPoseFixture fx) : IClassFixture<SynthPoseFixture>
{
    [Fact]
    public void Onnx_model_outputs_what_the_TorchSharp_model_outputs()
    {
        var ds = new SynthSignDataset("tiny");
        var (inputs, _, n) = SynthPoseTrainer.Frames(ds, "dev", 2, 7, fx.Config);
        int s = fx.Config.InputSize, m = fx.Config.HeatmapSize, per = 3 * s * s;
        using var session = new InferenceSession(fx.Model);
        double worst = 0, peak = 0;
        for (int i = 0; i < n; i++)
        {
            var x = inputs.AsSpan(i * per, per).ToArray();
            float[] expected;
            using (torch.no_grad())
            using (var t = torch.tensor(x, [1, 3, s, s]))
            using (var h = fx.Trained.Net.Heatmaps(t))
                expected = h.data<float>().ToArray();
            using var input = OrtValue.CreateTensorValueFromMemory(x, [1, 3, s, s]);
            using var outputs = session.Run(new RunOptions(), ["input"], [input], ["heatmaps"]);
            var got = outputs[0].GetTensorDataAsSpan<float>().ToArray();
            Assert.Equal(WholeBody.Count * m * m, got.Length);
            for (int j = 0; j < got.Length; j++)
            {
                worst = Math.Max(worst, Math.Abs(got[j] - expected[j]));
                peak = Math.Max(peak, expected[j]);
            }
        }
        Assert.True(n >= 8, $"only {n} frames compared");
        // Folding BN into the conv changes only float rounding; the maps are probabilities (peaks ~0.1–0.9).
        Assert.True(worst < 1e-5, $"ONNX and TorchSharp heatmaps differ by up to {worst:E2} (peak {peak:F3})");
        Assert.True(peak > 0.05, $"the trained maps are flat (peak {peak:E2})");
    }

    [Fact]
    public void Onnx_graph_has_the_batch_norms_folded_and_states_its_normalisation()
    {
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(fx.Model));
        var ops = model.Graph.Node.Select(nd => nd.OpType).ToList();
        Assert.DoesNotContain("BatchNormalization", ops);
        Assert.Equal(fx.Config.Layers.Count + 1, ops.Count(o => o == "Conv"));
        Assert.Contains(model.MetadataProps, p => p.Key == PoseModelInspector.MetaMean);
        using var est = PoseEstimator.Open(fx.Model, new PoseEstimatorOptions(ExpectedKeypoints: WholeBody.Count));
        Assert.Equal(PoseOutputKind.Heatmap, est.Descriptor.OutputKind);
        Assert.Equal((fx.Config.InputSize, fx.Config.InputSize), (est.Descriptor.InputWidth, est.Descriptor.InputHeight));
    }

    [Fact]
    public void Extraction_through_onnx_runtime_beats_the_mean_pose_on_dev_clips()
    {
        using var est = PoseEstimator.Open(fx.Model, new PoseEstimatorOptions(ExpectedKeypoints: WholeBody.Count));
        var report = SynthPoseEvaluation.Evaluate(est, new SynthSignDataset("tiny"), "dev", 4);
        foreach (var part in new[] { "all", "hands" })
        {
            double got = report.Pck(SynthPoseEvaluation.Extracted, part, 0.1), baseline = report.Pck(SynthPoseEvaluation.MeanPose, part, 0.1);
            Assert.True(got > baseline + 0.05, $"{part}: PCK@0.1 {got:P1} does not beat the mean pose {baseline:P1}\n{report.Table()}");
        }
    }

    [Fact]
    public void Cache_reuses_a_model_with_the_same_config_and_refuses_a_stale_one()
    {
        var path = Path.Combine(fx.Dir, "cache.onnx");
        File.Copy(fx.Model, path, overwrite: true);
        var stamp = File.GetLastWriteTimeUtc(path);
        Assert.Equal(path, SynthPoseModel.GetOrTrain("tiny", fx.Config, path: path));
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(path));   // not retrained
        Assert.NotNull(SynthPoseModel.StoredConfig(path));
        Assert.NotEqual(SynthPoseModel.StoredConfig(path), System.Text.Json.JsonSerializer.Serialize(fx.Config with { Steps = 5 }));
        File.WriteAllText(path, "not a model");
        Assert.Null(SynthPoseModel.StoredConfig(path));
    }
}
