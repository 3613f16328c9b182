using TorchSharp;
using SignNotebooks.Util;
using static TorchSharp.torch;

namespace SignNotebooks.Models.Losses;

/// <summary>CTC as in spec §6: blank 0, zero_infinity, reduction sum divided by the batch size B.</summary>
public static class CtcLoss
{
    /// <param name="logProbs">(B, T', V) log-probabilities of one head.</param>
    /// <param name="inputLengths">(B) int64 valid lengths of that head's level.</param>
    /// <param name="targets">(B, L) padded gloss ids (no blanks inside the valid part).</param>
    /// <param name="targetLengths">(B) int64.</param>
    /// <param name="head">Head name, for error messages.</param>
    public static Tensor Compute(Tensor logProbs, Tensor inputLengths, Tensor targets, Tensor targetLengths, string head, bool throwOnImpossible = true)
    {
        if (throwOnImpossible) CheckEmittable(inputLengths, targets, targetLengths, head, logProbs.shape[2]);
        long b = logProbs.shape[0];
        var tbv = logProbs.transpose(0, 1); // (B, T', V) -> (T', B, V), the layout ctc_loss expects
        var loss = nn.functional.ctc_loss(log_probs: tbv, targets: targets, input_lengths: inputLengths, target_lengths: targetLengths,
                                          blank: 0, zero_infinity: true, reduction: nn.Reduction.Sum);
        return loss / b;
    }

    /// <summary>
    /// Throws a plain-words error when a target cannot be emitted: CTC needs one frame per gloss plus one blank
    /// between equal neighbours, so L + repeats must not exceed the valid length. Also rejects ids outside 1..V−1.
    /// </summary>
    public static void CheckEmittable(Tensor inputLengths, Tensor targets, Tensor targetLengths, string head, long vocabularySize)
    {
        var lens = inputLengths.cpu().to(int64).data<long>().ToArray();
        var tl = targetLengths.cpu().to(int64).data<long>().ToArray();
        var t = targets.cpu().to(int64);
        long width = t.shape[1];
        var ids = t.data<long>().ToArray();
        for (int i = 0; i < tl.Length; i++)
        {
            if (tl[i] > width)
                throw new UserFacingException($"CTC ({head}): sample {i} has target length {tl[i]} but the padded targets hold only {width} ids. Fix the target lengths.");
            long repeats = 0;
            for (long j = 0; j < tl[i]; j++)
            {
                long id = ids[i * width + j];
                if (id <= 0 || id >= vocabularySize)
                    throw new UserFacingException($"CTC ({head}): sample {i} has gloss id {id} at position {j}; ids must be in 1..{vocabularySize - 1} (0 is the blank, spec §6). Fix the vocabulary mapping or the model's VocabularySize.");
                if (j > 0 && ids[i * width + j - 1] == id) repeats++;
            }
            if (tl[i] + repeats > lens[i])
                throw new UserFacingException(
                    $"CTC ({head}): sample {i} has {tl[i]} glosses ({repeats} adjacent repeats) but this level has only {lens[i]} valid frames, " +
                    $"so no alignment exists. Fix: use longer clips (≥ {4 * (tl[i] + repeats)} input frames for the T/4 heads), or drop the sample.");
        }
    }
}
