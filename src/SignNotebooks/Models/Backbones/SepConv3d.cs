using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SignNotebooks.Models.Backbones;

/// <summary>
/// Separable 3D conv: spatial (1,k,k) conv → BN → ReLU, then temporal (k,1,1) conv → BN → ReLU (spec §1.1).
/// Keys `conv_s, bn_s, conv_t, bn_t`, as in kylemin/SLRT.
/// </summary>
public sealed class SepConv3d : nn.Module<Tensor, Tensor>
{
    private readonly Conv3d conv_s;
    private readonly BatchNorm3d bn_s;
    private readonly ReLU relu_s;
    private readonly Conv3d conv_t;
    private readonly BatchNorm3d bn_t;
    private readonly ReLU relu_t;

    public SepConv3d(long inChannels, long outChannels, long kernel, long stride, long padding) : base(nameof(SepConv3d))
    {
        conv_s = nn.Conv3d(inChannels, outChannels, (1, kernel, kernel), (1, stride, stride), (0, padding, padding), bias: false);
        bn_s = S3DBatchNorm.Create(outChannels);
        relu_s = nn.ReLU();
        conv_t = nn.Conv3d(outChannels, outChannels, (kernel, 1, 1), (stride, 1, 1), (padding, 0, 0), bias: false);
        bn_t = S3DBatchNorm.Create(outChannels);
        relu_t = nn.ReLU();
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => Layers.Scoped.Run(() =>
    {
        var s = relu_s.call(bn_s.call(conv_s.call(x)));
        return relu_t.call(bn_t.call(conv_t.call(s)));
    });
}
