using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SignNotebooks.Models.Backbones;

/// <summary>
/// Separable 3D conv: spatial (1,k,k) conv → BN → ReLU, then temporal (k,1,1) conv → BN → ReLU (spec §1.1).
/// Keys `conv_s, bn_s, conv_t, bn_t`, as in kylemin/SLRT. ReLU runs in place (no numeric effect, spec §1.1).
/// </summary>
public sealed class SepConv3d : nn.Module<Tensor, Tensor>
{
    private readonly Conv3d conv_s;
    private readonly BatchNorm3d bn_s;
    private readonly Conv3d conv_t;
    private readonly BatchNorm3d bn_t;

    public SepConv3d(long inChannels, long outChannels, long kernel, long stride, long padding) : base(nameof(SepConv3d))
    {
        Util.TorchBackend.EnsureConfigured();
        conv_s = nn.Conv3d(inChannels, outChannels, (1, kernel, kernel), (1, stride, stride), (0, padding, padding), bias: false);
        bn_s = S3DBatchNorm.Create(outChannels);
        conv_t = nn.Conv3d(outChannels, outChannels, (kernel, 1, 1), (stride, 1, 1), (padding, 0, 0), bias: false);
        bn_t = S3DBatchNorm.Create(outChannels);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => Layers.Scoped.Run(() =>
    {
        var s = S3DBatchNorm.BnRelu(bn_s, conv_s.call(x));
        var t = S3DBatchNorm.BnRelu(bn_t, conv_t.call(s));
        s.Dispose();
        return t;
    });
}
