using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SignNotebooks.Models.Heads;

/// <summary>
/// Batch norm over the valid frames only (spec §3 `bn1`): in training the statistics come from the unpadded frames
/// of the whole batch and padded frames pass through unchanged; in eval it is plain BN with running stats over
/// all frames. Key `norm.*` (BatchNorm1d, eps 1e-5, momentum 0.1).
/// </summary>
public sealed class MaskedNorm : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly BatchNorm1d norm;
    private readonly long features;

    public MaskedNorm(long features) : base(nameof(MaskedNorm))
    {
        this.features = features;
        norm = nn.BatchNorm1d(features, eps: 1e-5, momentum: 0.1);
        RegisterComponents();
    }

    /// <param name="x">(B, T, C)</param>
    /// <param name="mask">(B, T) bool, true on valid frames.</param>
    public override Tensor forward(Tensor x, Tensor mask)
    {
        var flat = x.reshape(-1, features); // (B, T, C) -> (B·T, C)
        if (!training) return norm.call(flat).reshape(x.shape); // (B·T, C) -> (B, T, C)
        var idx = mask.reshape(-1).nonzero().squeeze(1);   // (B·T,) -> (N,) indices of valid frames
        var normed = norm.call(flat.index_select(0, idx)); // (N, C)
        return flat.index_copy(0, idx, normed).reshape(x.shape); // (B·T, C) -> (B, T, C)
    }
}
