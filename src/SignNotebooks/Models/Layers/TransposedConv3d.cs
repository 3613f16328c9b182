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

    public override Tensor forward(Tensor x) =>
        nn.functional.conv_transpose3d(x, weight, strides: stride, padding: padding, output_padding: outputPadding);
}
