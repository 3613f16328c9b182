using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SignNotebooks.Models.Backbones;

/// <summary>Bias-free Conv3d → BN(eps 1e-3, momentum 1e-3) → ReLU; keys `conv.*`, `bn.*` (spec §1.1).</summary>
public sealed class BasicConv3d : nn.Module<Tensor, Tensor>
{
    private readonly Conv3d conv;
    private readonly BatchNorm3d bn;

    public BasicConv3d(long inChannels, long outChannels, (long, long, long) kernel, (long, long, long) stride, (long, long, long) padding)
        : base(nameof(BasicConv3d))
    {
        Util.TorchBackend.EnsureConfigured();
        conv = nn.Conv3d(inChannels, outChannels, kernel, stride, padding, bias: false);
        bn = S3DBatchNorm.Create(outChannels);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => Layers.Scoped.Run(() => S3DBatchNorm.BnRelu(bn, conv.call(x)));
}

/// <summary>The S3D batch-norm settings shared by the backbone and the pyramid (spec §1.1, §4).</summary>
public static class S3DBatchNorm
{
    /// <summary>BatchNorm3d with eps 1e-3 and momentum 1e-3 (kylemin/SLRT values).</summary>
    public static BatchNorm3d Create(long channels) => nn.BatchNorm3d(channels, eps: 1e-3, momentum: 1e-3);

    /// <summary>
    /// BN then in-place ReLU, releasing the conv output as soon as BN has read it: on a 400-frame clip the RGB stem's
    /// full-rate maps are 1.3 GB each. Autograd keeps what it needs (BN saves its input; ReLU after BN may be in place).
    /// </summary>
    public static Tensor BnRelu(BatchNorm3d bn, Tensor convOutput)
    {
        var y = bn.call(convOutput);
        convOutput.Dispose();
        return y.relu_();
    }
}
