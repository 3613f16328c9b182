using Onnx;
using SignNotebooks.Pose;

namespace SignNotebooks.Tests.Pose;

/// <summary>The C#-built timing graph of <c>signnb bench pose</c>, at tiny size. Console capture is global.</summary>
[Collection("Console")]
public sealed class PoseBenchGraphTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("signnb-posebench-").FullName;
    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public void Tiny_graph_runs_through_the_estimator_and_counts_its_parameters()
    {
        var path = Path.Combine(_dir, "tiny.onnx");
        var c = PoseBenchGraphConfig.Tiny;
        var (parameters, macs) = PoseBenchGraph.Write(path, c);
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        long stored = model.Graph.Initializer.Where(t => t.Name.StartsWith("conv", StringComparison.Ordinal))
            .Sum(t => t.Dims.Aggregate(1L, (a, d) => a * d));
        Assert.Equal(stored, parameters);
        Assert.True(macs > 0);
        using var est = PoseEstimator.Open(path, new PoseEstimatorOptions(PoseDevice.Cpu, 1, 133));
        Assert.Equal((64, 96, PoseOutputKind.Heatmap, 133), (est.Descriptor.InputWidth, est.Descriptor.InputHeight, est.Descriptor.OutputKind, est.Descriptor.KeypointCount));
        var kp = est.Estimate(new RgbFrame(50, 70, Enumerable.Range(0, 50 * 70 * 3).Select(i => (byte)(i * 7)).ToArray()));
        Assert.Equal(133 * 3, kp.Length);
        Assert.All(kp, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Default_config_is_hrnet_w48_sized_and_size_matches_the_written_graph()
    {
        // HRNet paper, Table 1: HRNet-W48 at 384×288 has 63.6 M parameters and 32.9 G multiply-adds.
        var (p, macs) = PoseBenchGraph.Size(new PoseBenchGraphConfig());
        Assert.InRange(p / 1e6, 58, 68);
        Assert.InRange(macs / 1e9, 30, 36);
        var path = Path.Combine(_dir, "tiny.onnx");
        Assert.Equal(PoseBenchGraph.Size(PoseBenchGraphConfig.Tiny), PoseBenchGraph.Write(path, PoseBenchGraphConfig.Tiny));
    }

    [Fact]
    public void Bench_pose_prints_frames_per_second()
    {
        var (code, stdout, stderr) = CliCapture.Run("bench", "pose", "--size", "tiny", "--frames", "2", "--threads", "1", "--device", "cpu");
        Assert.True(code == 0, stderr);
        Assert.Matches(@"bench pose : [0-9.]+ s/frame, [0-9.]+ frames/s over 2 frames", stdout);
        Assert.Contains("graph      : tiny, input 64×96", stdout);
    }
}
