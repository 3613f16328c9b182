using TorchSharp;
using TorchSharp.Modules;
using SignNotebooks.Models.Backbones;
using SignNotebooks.Models.Layers;
using static TorchSharp.torch;

namespace SignNotebooks.Models.Pyramid;

/// <summary>
/// SPN up-sampling step (spec §4): spatial ConvTranspose3d (1,3,3)/(1,2,2) → BN → ReLU, then temporal
/// ConvTranspose3d (3,1,1) → BN → ReLU; all bias-free. A temporal stride of 2 doubles T (Up₀), 1 keeps it (Up₁).
/// </summary>
public sealed class Upsampling : nn.Module<Tensor, Tensor>
{
    private readonly TransposedConv3d conv_trans_s;
    private readonly BatchNorm3d bn_s;
    private readonly ReLU relu_s;
    private readonly TransposedConv3d conv_trans_t;
    private readonly BatchNorm3d bn_t;
    private readonly ReLU relu_t;

    public Upsampling(int inChannels, int outChannels, int temporalStride) : base(nameof(Upsampling))
    {
        Util.TorchBackend.EnsureConfigured();
        conv_trans_s = new TransposedConv3d(inChannels, outChannels, (1L, 3L, 3L), (1L, 2L, 2L), (0L, 1L, 1L), (0L, 1L, 1L));
        bn_s = S3DBatchNorm.Create(outChannels);
        relu_s = nn.ReLU();
        long st = temporalStride;
        conv_trans_t = new TransposedConv3d(outChannels, outChannels, (3L, 1L, 1L), (st, 1L, 1L), (1L, 0L, 0L), (st - 1, 0L, 0L));
        bn_t = S3DBatchNorm.Create(outChannels);
        relu_t = nn.ReLU();
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => Scoped.Run(() =>
    {
        var s = relu_s.call(bn_s.call(conv_trans_s.call(x)));
        return relu_t.call(bn_t.call(conv_trans_t.call(s)));
    });
}
