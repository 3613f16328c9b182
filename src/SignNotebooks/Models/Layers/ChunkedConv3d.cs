using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SignNotebooks.Models.Layers;

/// <summary>
/// Bias-free Conv3d with key `weight` (as PyTorch's) that, on long clips, runs in temporal chunks with a halo of
/// input frames so the result is exactly the one-shot convolution. The one-shot CPU path unfolds its input
/// (im2col) into C_in·k × T·H·W floats: 10 GB for the first video→keypoint lateral on a 400-frame clip.
/// Temporal stride must be 1 (true for the laterals, spec §2).
/// </summary>
public sealed class ChunkedConv3d : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly long[] stride, padding;

    public ChunkedConv3d(long inChannels, long outChannels, (long, long, long) kernel, (long, long, long) stride, (long, long, long) padding)
        : base(nameof(ChunkedConv3d))
    {
        Util.TorchBackend.EnsureConfigured();
        if (stride.Item1 != 1) throw new ArgumentException("ChunkedConv3d needs temporal stride 1");
        using (var init = nn.Conv3d(inChannels, outChannels, kernel, stride, padding, bias: false))
            weight = new Parameter(init.weight.detach().clone());
        this.stride = new[] { stride.Item1, stride.Item2, stride.Item3 };
        this.padding = new[] { padding.Item1, padding.Item2, padding.Item3 };
        RegisterComponents();
    }

    /// <summary>The weight, [C_out, C_in, kT, kH, kW].</summary>
    public Parameter Weight => weight;
    /// <summary>Stride and padding (t, h, w), for tools that read layer shapes (the roofline benchmark).</summary>
    public long[] Stride => (long[])stride.Clone();
    public long[] Padding => (long[])padding.Clone();

    public override Tensor forward(Tensor x)
    {
        long t = x.shape[2], k = weight.shape[2], p = padding[0];
        long hOut = (x.shape[3] + 2 * padding[1] - weight.shape[3]) / stride[1] + 1;
        long wOut = (x.shape[4] + 2 * padding[2] - weight.shape[4]) / stride[2] + 1;
        long perFrame = weight.shape[1] * k * weight.shape[3] * weight.shape[4] * hOut * wOut;
        long chunk = TemporalChunking.FramesPerChunk(perFrame);
        if (chunk >= t) return nn.functional.conv3d(x, weight, strides: stride, padding: padding);
        var spatialOnly = new[] { 0, padding[1], padding[2] };
        var parts = new List<Tensor>();
        for (long a = 0; a < t; a += chunk)
        {
            long b = Math.Min(t, a + chunk);
            // Output frame τ reads padded input frames τ..τ+k−1, i.e. real frames τ−p .. τ−p+k−1.
            long s = Math.Max(0, a - p), e = Math.Min(t, b + k - 1 - p);
            long padL = s - (a - p), padR = (b + k - 1 - p) - e;
            parts.Add(Scoped.Run(() =>
            {
                var slice = x[.., .., TensorIndex.Slice(s, e)];
                if (padL > 0 || padR > 0) slice = nn.functional.pad(slice, new[] { 0L, 0, 0, 0, padL, padR }); // zero frames = the conv's own padding
                return nn.functional.conv3d(slice, weight, strides: stride, padding: spatialOnly);
            }));
        }
        var result = torch.cat(parts, 2);
        foreach (var part in parts) part.Dispose();
        return result;
    }
}

/// <summary>Chunk sizing shared by the chunked convolutions.</summary>
internal static class TemporalChunking
{
    /// <summary>Largest unfolded buffer allowed per chunk, in floats (256 MB).</summary>
    public static long BudgetFloats = 64L * 1024 * 1024; // tests lower it to force chunking

    public static long FramesPerChunk(long floatsPerFrame) => Math.Max(1, BudgetFloats / Math.Max(1, floatsPerFrame));
}
