using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SignNotebooks.Pose;

/// <summary>3×3 conv (no bias) → BatchNorm → ReLU, with "same" padding for its dilation. Kept as two named parts so
/// the ONNX writer can fold the BN statistics into the conv.</summary>
public sealed class ConvBnRelu : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv;
    private readonly BatchNorm2d bn;

    public ConvBnRelu(long inChannels, long outChannels, long stride, long dilation) : base(nameof(ConvBnRelu))
    {
        Util.TorchBackend.EnsureConfigured();
        conv = nn.Conv2d(inChannels, outChannels, 3, stride: stride, padding: dilation, dilation: dilation, bias: false);
        bn = nn.BatchNorm2d(outChannels);
        RegisterComponents();
        Stride = stride;
        Dilation = dilation;
    }

    public long Stride { get; }
    public long Dilation { get; }

    /// <summary>The conv with the BN folded in (eval statistics): w' = w·γ/√(var+ε), b' = β − mean·γ/√(var+ε).</summary>
    public (float[] Weight, float[] Bias) Folded()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var scale = bn.weight!.div(bn.running_var!.add(bn.eps).sqrt());
        // (Cout) -> (Cout, 1, 1, 1) to scale each output filter.
        var w = conv.weight.mul(scale.view(-1, 1, 1, 1));
        var b = bn.bias!.sub(bn.running_mean!.mul(scale));
        return (w.contiguous().data<float>().ToArray(), b.contiguous().data<float>().ToArray());
    }

    public override Tensor forward(Tensor x) => nn.functional.relu(bn.call(conv.call(x)));
}
