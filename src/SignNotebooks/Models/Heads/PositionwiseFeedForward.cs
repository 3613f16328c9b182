using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SignNotebooks.Models.Heads;

/// <summary>
/// Pre-LN residual temporal-conv block of the visual head (spec §3 step 6):
/// x + Dropout(Conv1d_ff→d,k3(Dropout(ReLU(Conv1d_d→ff,k3(LN(x)))))). Keys `layer_norm.*`, `pwff_layer.{0,3}.*`.
/// </summary>
public sealed class PositionwiseFeedForward : nn.Module<Tensor, Tensor>
{
    private readonly LayerNorm layer_norm;
    private readonly Sequential pwff_layer;

    public PositionwiseFeedForward(int dim, int ffDim, double dropout) : base(nameof(PositionwiseFeedForward))
    {
        Util.TorchBackend.EnsureConfigured();
        layer_norm = nn.LayerNorm(dim, eps: 1e-6);
        // 'same' padding for kernel 3 is one zero on each side.
        pwff_layer = nn.Sequential(
            nn.Conv1d(dim, ffDim, 3, padding: 1),
            nn.ReLU(),
            nn.Dropout(dropout),
            nn.Conv1d(ffDim, dim, 3, padding: 1),
            nn.Dropout(dropout));
        RegisterComponents();
    }

    /// <param name="x">(B, T, d)</param>
    public override Tensor forward(Tensor x)
    {
        var h = layer_norm.call(x).transpose(1, 2);        // (B, T, d) -> (B, d, T)
        return x + pwff_layer.call(h).transpose(1, 2);     // (B, d, T) -> (B, T, d)
    }
}
