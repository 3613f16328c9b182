using Google.Protobuf;
using Onnx;

namespace SignNotebooks.Pose;

/// <summary>
/// Writes <see cref="PoseBenchGraphConfig"/> as an ONNX heatmap model with seeded random weights (He-uniform, so
/// activations stay finite through the ReLU chain). For timing the runtime path only: its keypoints mean nothing.
/// </summary>
public static class PoseBenchGraph
{
    /// <summary>Writes the model; returns its parameter count and multiply-adds per frame.</summary>
    public static (long Parameters, double MultiplyAdds) Write(string path, PoseBenchGraphConfig c, int seed = 0)
    {
        var (model, parameters, macs) = Build(c, new Random(seed));
        using (var f = File.Create(path)) model!.WriteTo(f);
        return (parameters, macs);
    }

    /// <summary>Parameter count and multiply-adds per frame, without generating any weights.</summary>
    public static (long Parameters, double MultiplyAdds) Size(PoseBenchGraphConfig c)
    {
        var (_, parameters, macs) = Build(c, null);
        return (parameters, macs);
    }

    private static (ModelProto? Model, long Parameters, double MultiplyAdds) Build(PoseBenchGraphConfig c, Random? rng)
    {
        if (c.InputWidth % 32 != 0 || c.InputHeight % 32 != 0)
            throw new ArgumentException($"input {c.InputWidth}×{c.InputHeight}: both sides must be multiples of 32 (the low branch is at 1/32)");
        var b = new OnnxGraphWriter("pose_bench");
        // He-uniform weights, small biases; with no generator the writer only counts.
        Func<(float[], float[])>? W(int cin, int cout, int k) => rng is null ? null : () =>
            (Uniform(rng, cout * cin * k * k, (float)Math.Sqrt(6.0 / (cin * k * k))), Uniform(rng, cout, 0.01f));
        int h4 = c.InputHeight / 4, w4 = c.InputWidth / 4;
        // (1, 3, H, W) -> stem (two stride-2 convs) -> (1, Ch, H/4, W/4)
        var x = b.Conv("input", 3, 64, 3, 2, 1, c.InputHeight / 2, c.InputWidth / 2, relu: true, W(3, 64, 3));
        x = b.Conv(x, 64, c.HighChannels, 3, 2, 1, h4, w4, relu: true, W(64, c.HighChannels, 3));
        var high = x;
        for (int i = 0; i < c.HighLayers; i++) high = b.Conv(high, c.HighChannels, c.HighChannels, 3, 1, 1, h4, w4, relu: true, W(c.HighChannels, c.HighChannels, 3));
        // (1, Ch, H/4, W/4) -> patchify 8×8 -> (1, Cl, H/32, W/32) -> convs -> 1×1 to Ch -> nearest ×8 -> add
        var low = b.Conv(x, c.HighChannels, c.LowChannels, 8, 8, 0, h4 / 8, w4 / 8, relu: true, W(c.HighChannels, c.LowChannels, 8));
        for (int i = 0; i < c.LowLayers; i++) low = b.Conv(low, c.LowChannels, c.LowChannels, 3, 1, 1, h4 / 8, w4 / 8, relu: true, W(c.LowChannels, c.LowChannels, 3));
        low = b.Conv(low, c.LowChannels, c.HighChannels, 1, 1, 0, h4 / 8, w4 / 8, relu: false, W(c.LowChannels, c.HighChannels, 1));
        var up = b.Upsample(low, 8);
        var fused = b.Node("Add", [high, up]);
        b.Conv(fused, c.HighChannels, c.Keypoints, 1, 1, 0, h4, w4, relu: false, W(c.HighChannels, c.Keypoints, 1), output: "heatmaps");
        b.Io("input", [1, 3, c.InputHeight, c.InputWidth], "heatmaps", [1, c.Keypoints, h4, w4]);
        return (rng is null ? null : b.Model("SignNotebooks.PoseBenchGraph"), b.Parameters, b.MultiplyAdds);
    }

    private static float[] Uniform(Random rng, int n, float bound)
    {
        var values = new float[n];
        for (int i = 0; i < n; i++) values[i] = (float)((rng.NextDouble() * 2 - 1) * bound);
        return values;
    }
}
