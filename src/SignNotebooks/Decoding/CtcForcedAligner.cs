namespace SignNotebooks.Decoding;

/// <summary>
/// Forced (Viterbi) alignment of a known gloss sequence to frame log-posteriors: the single most probable CTC
/// path that collapses to exactly that sequence, returned as one frame span per gloss. Used for pseudo-target
/// analysis and alignment plots, and by the beam search to attach spans to its hypotheses.
/// </summary>
public static class CtcForcedAligner
{
    /// <summary>True when <paramref name="length"/> frames can carry the sequence (one per gloss, plus a blank between repeats).</summary>
    public static bool Fits(IReadOnlyList<int> glosses, int length)
    {
        int need = glosses.Count;
        for (int i = 1; i < glosses.Count; i++) if (glosses[i] == glosses[i - 1]) need++;
        return need <= length;
    }

    /// <param name="logProbs">(T, V) row-major frame log-probabilities; only the first <paramref name="length"/> frames are read.</param>
    /// <exception cref="ArgumentException">The sequence contains the blank, an id outside the vocabulary, or needs more frames than given.</exception>
    public static CtcHypothesis Align(ReadOnlySpan<float> logProbs, int vocab, int length, IReadOnlyList<int> glosses, int blank = 0)
    {
        LogMath.CheckShape(logProbs, vocab, length, blank);
        foreach (var g in glosses)
            if (g == blank || g < 0 || g >= vocab) throw new ArgumentException($"gloss id {g} cannot be aligned (blank is {blank}, vocabulary 0..{vocab - 1})", nameof(glosses));
        if (!Fits(glosses, length))
            throw new ArgumentException($"{glosses.Count} glosses cannot fit in {length} frames (each gloss needs a frame, repeats need a blank between them)", nameof(glosses));
        int L = glosses.Count;
        if (L == 0)
        {
            double s = 0;
            for (int t = 0; t < length; t++) s += logProbs[t * vocab + blank];
            return new CtcHypothesis([], [], s);
        }
        // Extended sequence: blank, g1, blank, g2, ..., gL, blank (state s is a gloss when s is odd).
        int S = 2 * L + 1;
        int Label(int s) => (s & 1) == 0 ? blank : glosses[s >> 1];
        var prev = new double[S];
        var cur = new double[S];
        var back = new byte[length * S]; // 0 = stay, 1 = from s-1, 2 = from s-2
        Array.Fill(prev, double.NegativeInfinity);
        prev[0] = logProbs[blank];
        prev[1] = logProbs[Label(1)];
        for (int t = 1; t < length; t++)
        {
            var row = logProbs.Slice(t * vocab, vocab);
            for (int s = 0; s < S; s++)
            {
                double best = prev[s];
                byte from = 0;
                if (s >= 1 && prev[s - 1] > best) { best = prev[s - 1]; from = 1; }
                if (s >= 2 && (s & 1) == 1 && Label(s) != Label(s - 2) && prev[s - 2] > best) { best = prev[s - 2]; from = 2; }
                cur[s] = double.IsNegativeInfinity(best) ? best : best + row[Label(s)];
                back[t * S + s] = from;
            }
            (prev, cur) = (cur, prev);
        }
        int state = prev[S - 1] >= prev[S - 2] ? S - 1 : S - 2;
        double logProb = prev[state];
        var path = new int[length];
        for (int t = length - 1; t >= 0; t--)
        {
            path[t] = state;
            if (t > 0) state -= back[t * S + state];
        }
        var spans = new GlossSpan[L];
        for (int t = 0; t < length; t++)
        {
            if ((path[t] & 1) == 0) continue;
            int k = path[t] >> 1;
            spans[k] = spans[k].Length == 0 ? new GlossSpan(glosses[k], t, t + 1) : spans[k] with { End = t + 1 };
        }
        return new CtcHypothesis(glosses.ToArray(), spans, logProb);
    }
}
