using TorchSharp;
using TorchSharp.Modules;
using SignNotebooks.Models.Layers;
using static TorchSharp.torch;

namespace SignNotebooks.Models.Fusion;

/// <summary>
/// One lateral connection of spec §2, key `conv.weight` [C,C,7,3,3], no bias, kaiming-normal (fan_in, gain √2).
/// Keypoint → video ("pose2rgb") is a ConvTranspose3d that up-samples ×2 spatially; video → keypoint
/// ("rgb2pose") is a Conv3d that down-samples ×2. Both keep T (kernel 7, stride 1, padding 3).
/// </summary>
public sealed class LateralConnection : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> conv;

    /// <param name="upsample">true: keypoint → video (ConvTranspose3d); false: video → keypoint (Conv3d).</param>
    /// <param name="zeroInit">Start at zero instead (see <see cref="ModelConfig.ZeroInitLaterals"/>).</param>
    public LateralConnection(int channels, bool upsample, bool zeroInit = false) : base(nameof(LateralConnection))
    {
        Util.TorchBackend.EnsureConfigured();
        Tensor weight;
        if (upsample)
        {
            var t = new TransposedConv3d(channels, channels, (7L, 3L, 3L), (1L, 2L, 2L), (3L, 1L, 1L), (0L, 1L, 1L));
            (conv, weight) = (t, t.Weight);
        }
        else
        {
            var c = new ChunkedConv3d(channels, channels, (7L, 3L, 3L), (1L, 2L, 2L), (3L, 1L, 1L));
            (conv, weight) = (c, c.Weight);
        }
        using (torch.no_grad()) { if (zeroInit) weight.zero_(); else nn.init.kaiming_normal_(weight); }
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => conv.call(x);
}
