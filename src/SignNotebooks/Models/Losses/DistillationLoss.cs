using TorchSharp;
using static TorchSharp.torch;

namespace SignNotebooks.Models.Losses;

/// <summary>
/// Frame-level self-distillation (spec §5): KL(p_T ‖ p_s) = (1/B) Σ_{b,t,v} p_T (log p_T − log p_s), PyTorch's
/// `KLDivLoss(reduction='batchmean')`. No temperature, no mask. The teacher is detached here.
/// </summary>
public static class DistillationLoss
{
    /// <param name="teacherLogProbs">(B, T', V) ensemble log-probs; detached inside.</param>
    /// <param name="studentLogProbs">(B, T', V) log-probs of one main head.</param>
    public static Tensor Compute(Tensor teacherLogProbs, Tensor studentLogProbs)
    {
        // TorchSharp's kl_div has no batchmean; log_target: true takes the teacher as log-probs (exact for tiny p).
        var sum = nn.functional.kl_div(studentLogProbs, teacherLogProbs.detach(), reduction: nn.Reduction.Sum, log_target: true);
        return sum / studentLogProbs.shape[0];
    }
}
