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
    /// <param name="throwOnImpossible">true: a target the level cannot emit throws; false: its loss is zeroed (spec §6).</param>
    /// <param name="impossible">When given, receives the batch indices of the samples whose target the level cannot emit
    /// (their loss and gradient are zero, `zero_infinity`).</param>
    public static Tensor Compute(Tensor logProbs, Tensor inputLengths, Tensor targets, Tensor targetLengths, string head,
                                 bool throwOnImpossible = true, ISet<int>? impossible = null)
    {
        var cannot = Impossible(inputLengths, targets, targetLengths, head, logProbs.shape[2]);
        if (throwOnImpossible && cannot.Length > 0) throw ImpossibleError(head, cannot[0]);
        if (impossible is not null) foreach (var c in cannot) impossible.Add(c.Sample);
        long b = logProbs.shape[0];
        var tbv = logProbs.transpose(0, 1); // (B, T', V) -> (T', B, V), the layout ctc_loss expects
        var loss = nn.functional.ctc_loss(log_probs: tbv, targets: targets, input_lengths: inputLengths, target_lengths: targetLengths,
                                          blank: 0, zero_infinity: true, reduction: nn.Reduction.Sum);
        return loss / b;
    }

    /// <summary>One sample whose target cannot be emitted: its glosses, adjacent repeats and the level's valid frames.</summary>
    public readonly record struct ImpossibleTarget(int Sample, long Glosses, long Repeats, long Frames);

    /// <summary>
    /// The samples whose target cannot be emitted: CTC needs one frame per gloss plus one blank between equal
    /// neighbours, so L + repeats must not exceed the valid length. Ids outside 1..V−1 and target lengths beyond the
    /// padded width are data errors and always throw.
    /// </summary>
    public static ImpossibleTarget[] Impossible(Tensor inputLengths, Tensor targets, Tensor targetLengths, string head, long vocabularySize)
    {
        var lens = inputLengths.cpu().to(int64).data<long>().ToArray();
        var tl = targetLengths.cpu().to(int64).data<long>().ToArray();
        using var t = targets.cpu().to(int64);
        long width = t.shape[1];
        var ids = t.data<long>().ToArray();
        var found = new List<ImpossibleTarget>();
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
            if (tl[i] + repeats > lens[i]) found.Add(new ImpossibleTarget(i, tl[i], repeats, lens[i]));
        }
        return found.ToArray();
    }

    /// <summary>Throws a plain-words error for the first target that cannot be emitted (see <see cref="Impossible"/>).</summary>
    public static void CheckEmittable(Tensor inputLengths, Tensor targets, Tensor targetLengths, string head, long vocabularySize)
    {
        var cannot = Impossible(inputLengths, targets, targetLengths, head, vocabularySize);
        if (cannot.Length > 0) throw ImpossibleError(head, cannot[0]);
    }

    private static UserFacingException ImpossibleError(string head, ImpossibleTarget c) => new(
        $"CTC ({head}): sample {c.Sample} has {c.Glosses} glosses ({c.Repeats} adjacent repeats) but this level has only {c.Frames} valid frames, " +
        $"so no alignment exists. Fix: use longer clips (≥ {4 * (c.Glosses + c.Repeats)} input frames for the T/4 heads), drop the sample, " +
        "or set Loss.ThrowOnImpossibleTarget to false (the official zero_infinity: the sample's loss is zeroed and counted, spec §6).");
}
