using SignNotebooks.Data;
using static TorchSharp.torch;

namespace SignNotebooks.Models.Losses;

/// <summary>
/// Frame-level cross-entropy of a head against <see cref="FrameTargets"/> (the gloss each output step shows, or blank):
/// summed over valid steps and divided by the batch size, the same scale as the CTC term (spec §6: sum / B). Not a
/// term of the paper; the stage-0 pretraining uses it as the workbook's stand-in for Kinetics/WLASL classification
/// pretraining, because the true frame labels leave CTC's blank plateau in a few hundred steps where CTC alone did not.
/// </summary>
public static class FrameLabelLoss
{
    /// <param name="logits">(B, T', V) logits of one head.</param>
    /// <param name="targets">The batch's per-frame targets; the head's stride is T / T'.</param>
    public static Tensor Compute(Tensor logits, FrameTargets targets)
    {
        long b = logits.shape[0], steps = logits.shape[1], v = logits.shape[2];
        int stride = Math.Max(1, (int)(targets.MaxLength / steps));
        var labels = targets.At(stride, steps).to(logits.device);
        // (B, T', V) -> (B·T', V) against (B·T'): padded steps carry the ignore index.
        var loss = nn.functional.cross_entropy(logits.reshape(b * steps, v), labels.reshape(b * steps),
            ignore_index: FrameTargets.Ignore, reduction: nn.Reduction.Sum);
        return loss / b;
    }
}
