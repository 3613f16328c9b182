using SignNotebooks.Pose;
using SignNotebooks.Util;

namespace SignNotebooks.Tests.Pose;

/// <summary>Auto-detection of the descriptor, its overrides, and the load-time errors for models that do not fit.</summary>
public sealed class PoseModelDescriptorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("signnb-posedesc-").FullName;
    public void Dispose() => Directory.Delete(_dir, true);

    private static readonly PoseEstimatorOptions Cpu1 = new(PoseDevice.Cpu, Threads: 1);

    private string Heatmap(string name, int k, long?[]? input = null, int h = 8, int w = 6)
    {
        var path = Path.Combine(_dir, name);
        PoseTestGraphs.WriteConstant(path, input ?? [1, 3, 32, 24], new PoseTestGraphs.Output("heatmaps", [1, k, h, w], new float[k * h * w]));
        return path;
    }

    private static UserFacingException OpenFails(string path, PoseEstimatorOptions? o = null, Func<PoseModelDescriptor, PoseModelDescriptor>? adjust = null) =>
        Assert.Throws<UserFacingException>(() => PoseEstimator.Open(path, o ?? Cpu1, adjust).Dispose());

    [Fact]
    public void Heatmap_model_is_described_from_its_graph_with_mmpose_defaults()
    {
        using var est = PoseEstimator.Open(Heatmap("hm.onnx", 133), Cpu1);
        var d = est.Descriptor;
        Assert.Equal((24, 32, PoseOutputKind.Heatmap, 133, "coco-wholebody"), (d.InputWidth, d.InputHeight, d.OutputKind, d.KeypointCount, d.Layout));
        Assert.Equal(("input", ChannelOrder.Rgb, HeatmapRefinement.Dark, 11, 1.0), (d.InputName, d.ChannelOrder, d.Refinement, d.DarkBlurKernel, d.BoxPadding));
        Assert.Equal(PoseModelDescriptor.ImageNetMean, d.Mean);
        Assert.Equal(PoseModelDescriptor.ImageNetStd, d.Std);
        Assert.Equal("CPU", est.Provider);
        Assert.Contains("Heatmap model, input 24×32 RGB, 133 keypoints (coco-wholebody)", d.ToString());
    }

    [Fact]
    public void Metadata_states_channel_order_and_normalisation()
    {
        var path = Path.Combine(_dir, "meta.onnx");
        PoseTestGraphs.WriteIdentity(path, 24, 32, (PoseModelInspector.MetaChannelOrder, "BGR"), (PoseModelInspector.MetaMean, "1,2,3"), (PoseModelInspector.MetaStd, "4,5,6"));
        using var est = PoseEstimator.Open(path, Cpu1);
        Assert.Equal(ChannelOrder.Bgr, est.Descriptor.ChannelOrder);
        Assert.Equal([1f, 2f, 3f], est.Descriptor.Mean);
        Assert.Equal([4f, 5f, 6f], est.Descriptor.Std);
        Assert.Equal("unknown", est.Descriptor.Layout);   // K = 3
    }

    [Fact]
    public void Dynamic_input_size_needs_an_override()
    {
        var path = Heatmap("dyn.onnx", 17, input: [null, 3, null, null]);
        var e = OpenFails(path);
        Assert.Contains(path, e.Message);
        Assert.Contains("dynamic input size", e.Message);
        Assert.Contains("--input-size", e.Message);
        using var est = PoseEstimator.Open(path, Cpu1, d => d with { InputWidth = 24, InputHeight = 32 });
        Assert.Equal((24, 32, "coco"), (est.Descriptor.InputWidth, est.Descriptor.InputHeight, est.Descriptor.Layout));
        Assert.Equal(17 * 3, est.Estimate(new RgbFrame(10, 10, new byte[300])).Length);
    }

    [Fact]
    public void Keypoint_count_mismatch_is_refused_at_load_time()
    {
        var path = Heatmap("coco17.onnx", 17);
        var e = OpenFails(path, Cpu1 with { ExpectedKeypoints = 133 });
        Assert.Contains(path, e.Message);
        Assert.Contains("17 keypoints (coco layout), but 133 are needed", e.Message);
        Assert.Contains("Fix: use a whole-body model", e.Message);
        e = OpenFails(path, adjust: d => d with { KeypointCount = 133 });
        Assert.Contains("outputs 17 keypoints but the descriptor says 133", e.Message);
    }

    [Fact]
    public void Unexpected_inputs_and_outputs_name_the_file_and_the_fix()
    {
        var two = Path.Combine(_dir, "two-inputs.onnx");
        PoseTestGraphs.WriteConstant(two, [("input", [1, 3, 32, 24]), ("bbox", [1, 4])], new PoseTestGraphs.Output("heatmaps", [1, 17, 8, 6], new float[17 * 48]));
        var e = OpenFails(two);
        Assert.Contains(two, e.Message);
        Assert.Contains("has 2 inputs (input, bbox)", e.Message);

        var gray = Path.Combine(_dir, "gray.onnx");
        PoseTestGraphs.WriteConstant(gray, [1, 1, 32, 24], new PoseTestGraphs.Output("heatmaps", [1, 17, 8, 6], new float[17 * 48]));
        Assert.Contains("expected a float tensor (N, 3, H, W)", OpenFails(gray).Message);

        var flat = Path.Combine(_dir, "flat.onnx");
        PoseTestGraphs.WriteConstant(flat, [1, 3, 32, 24], new PoseTestGraphs.Output("scores", [1, 17], new float[17]));
        e = OpenFails(flat);
        Assert.Contains("'scores' Single (1, 17)", e.Message);
        Assert.Contains("expected one heatmap output (N, K, H, W) or two SimCC outputs", e.Message);

        var simcc = Path.Combine(_dir, "simcc-mismatch.onnx");   // x at ratio 2 (48 / 24) but y at ratio 3 (96 / 32)
        PoseTestGraphs.WriteConstant(simcc, [1, 3, 32, 24], new PoseTestGraphs.Output("simcc_x", [1, 17, 48], new float[17 * 48]),
            new PoseTestGraphs.Output("simcc_y", [1, 17, 96], new float[17 * 96]));
        Assert.Contains("SimCC vectors of 48 (x) and 96 (y) bins, which do not match input 24×32 at split ratio 2", OpenFails(simcc).Message);

        var bad = Path.Combine(_dir, "not-onnx.onnx");
        File.WriteAllText(bad, "this is a PyTorch checkpoint, honest");
        e = OpenFails(bad);
        Assert.Contains(bad, e.Message);
        Assert.Contains("could not be loaded by ONNX Runtime", e.Message);

        Assert.Contains("does not exist", OpenFails(Path.Combine(_dir, "missing.onnx")).Message);
    }

    [Fact]
    public void Cuda_request_falls_back_to_cpu_with_a_log_line()
    {
        // The CPU build has no CUDA provider; under the GPU build on a machine without a GPU the session creation
        // fails instead. Both must end on CPU with one line saying why (the GPU path itself is not testable here).
        var lines = new List<string>();
        using var est = PoseEstimator.Open(Heatmap("cuda.onnx", 17), new PoseEstimatorOptions(PoseDevice.Cuda, 1, Log: lines.Add));
        Assert.Equal("CPU", est.Provider);
        Assert.Contains(lines, l => l.Contains("CUDA") && l.Contains("using CPU"));
        Assert.Contains(lines, l => l.StartsWith("pose: running on CPU (1 thread)"));
    }
}
