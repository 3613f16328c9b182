using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SignNotebooks.Models.Layers;

/// <summary>
/// Bias-free 3D transposed convolution with key `weight` [C_in, C_out, kT, kH, kW], as PyTorch's ConvTranspose3d.
/// Exists because TorchSharp 0.107's `nn.ConvTranspose3d` module ignores `output_padding` (measured: 8→15 instead
/// of 16 with stride 2, padding 1, output_padding 1); the functional form honours it.
/// </summary>
public sealed class TransposedConv3d : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly long[] stride, padding, outputPadding;

    public TransposedConv3d(long inChannels, long outChannels, (long, long, long) kernel, (long, long, long) stride,
                            (long, long, long) padding, (long, long, long) outputPadding) : base(nameof(TransposedConv3d))
    {
        Util.TorchBackend.EnsureConfigured();
        // Borrow the module only for PyTorch's default init (kaiming-uniform a=√5 on fan computed from dim 1).
        using (var init = nn.ConvTranspose3d(inChannels, outChannels, kernel, stride: stride, padding: padding, bias: false))
            weight = new Parameter(init.weight!.detach().clone());
        this.stride = new[] { stride.Item1, stride.Item2, stride.Item3 };
        this.padding = new[] { padding.Item1, padding.Item2, padding.Item3 };
        this.outputPadding = new[] { outputPadding.Item1, outputPadding.Item2, outputPadding.Item3 };
        RegisterComponents();
    }

    /// <summary>The weight, [C_in, C_out, kT, kH, kW].</summary>
    public Parameter Weight => weight;

    public override Tensor forward(Tensor x)
    {
        long t = x.shape[2], k = weight.shape[2], p = padding[0];
        long perFrame = weight.shape[1] * k * weight.shape[3] * weight.shape[4] * x.shape[3] * x.shape[4];
        long chunk = TemporalChunking.FramesPerChunk(perFrame);
        if (stride[0] != 1 || chunk >= t)
            return nn.functional.conv_transpose3d(x, weight, strides: stride, padding: padding, output_padding: outputPadding);
        // Long clip, temporal stride 1: the CPU path unfolds C_out·k × T·H·W floats (≈10 GB for the first lateral at
        // 400 frames). Output frame τ only reads input frames τ−(k−1−p) .. τ+p, so chunks with that halo are exact.
        var spatial = new[] { 0, padding[1], padding[2] };
        var spatialOut = new[] { 0, outputPadding[1], outputPadding[2] };
        var parts = new List<Tensor>();
        for (long a = 0; a < t; a += chunk)
        {
            long b = Math.Min(t, a + chunk);
            long s = Math.Max(0, a - (k - 1 - p)), e = Math.Min(t, b + p);
            parts.Add(Scoped.Run(() =>
            {
                // Without temporal padding, result frame j is unpadded output frame s + j, i.e. padded frame s + j − p.
                var y = nn.functional.conv_transpose3d(x[.., .., TensorIndex.Slice(s, e)], weight, strides: stride, padding: spatial, output_padding: spatialOut);
                return y[.., .., TensorIndex.Slice(a - s + p, b - s + p)].contiguous();
            }));
        }
        var result = torch.cat(parts, 2);
        foreach (var part in parts) part.Dispose();
        return result;
    }
}
