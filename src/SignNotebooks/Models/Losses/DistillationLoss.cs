using TorchSharp;
using static TorchSharp.torch;

namespace SignNotebooks.Models.Losses;

/// <summary>
/// Frame-level self-distillation (spec §5): KL(p_T ‖ p_s) = (1/B) Σ_b Σ_{t &lt; T'_b} Σ_v p_T (log p_T − log p_s).
/// The official code runs one clip per GPU (B = 1) with PyTorch's `KLDivLoss(reduction='batchmean')`, so each clip's
/// term is the sum over its own frames, and DDP averages over the clips. With several clips per pass the padded frames
/// of the shorter clips are masked out, so a clip's term (and gradient) does not depend on its batch-mates.
/// No temperature. The teacher is detached here.
/// </summary>
public static class DistillationLoss
{
    /// <param name="teacherLogProbs">(B, T', V) ensemble log-probs; detached inside.</param>
    /// <param name="studentLogProbs">(B, T', V) log-probs of one main head.</param>
    /// <param name="validLengths">(B) int64 valid frames of this level; null counts every frame (an unpadded batch).</param>
    public static Tensor Compute(Tensor teacherLogProbs, Tensor studentLogProbs, Tensor? validLengths = null)
    {
        long b = studentLogProbs.shape[0], t = studentLogProbs.shape[1];
        // TorchSharp's kl_div defaults to log_target: true (PyTorch's to false) and has no batchmean: say it, and divide by B.
        // The teacher goes in as log-probs, exact even where p_T underflows.
        if (validLengths is null)
            return nn.functional.kl_div(studentLogProbs, teacherLogProbs.detach(), reduction: nn.Reduction.Sum, log_target: true) / b;
        using var scope = NewDisposeScope();
        var perFrame = nn.functional.kl_div(studentLogProbs, teacherLogProbs.detach(), reduction: nn.Reduction.None, log_target: true)
            .sum(-1);                                                                   // (B, T', V) -> (B, T')
        var frames = arange(t, dtype: int64, device: perFrame.device).unsqueeze(0);   // (1, T')
        var mask = frames.lt(validLengths.to(int64).to(perFrame.device).unsqueeze(1)); // (B, T') true on valid frames
        // where, not a product: a padded frame's term is dropped even if it is not finite.
        return (where(mask, perFrame, zeros_like(perFrame)).sum() / b).MoveToOuterDisposeScope();
    }
}
