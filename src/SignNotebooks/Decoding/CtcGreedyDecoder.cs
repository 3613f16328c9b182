namespace SignNotebooks.Decoding;

/// <summary>
/// Best-path decoding: the arg-max class of every frame, repeats merged, blanks dropped. The result is the
/// labelling of the single most probable alignment; its score is that alignment's log-probability.
/// </summary>
public static class CtcGreedyDecoder
{
    /// <param name="logProbs">(T, V) row-major frame log-probabilities; only the first <paramref name="length"/> frames are read.</param>
    public static CtcHypothesis Decode(ReadOnlySpan<float> logProbs, int vocab, int length, int blank = 0)
    {
        LogMath.CheckShape(logProbs, vocab, length, blank);
        var glosses = new List<int>();
        var spans = new List<GlossSpan>();
        double score = 0;
        int prev = -1;
        for (int t = 0; t < length; t++)
        {
            var row = logProbs.Slice(t * vocab, vocab);
            int best = 0;
            for (int v = 1; v < vocab; v++) if (row[v] > row[best]) best = v; // first maximum wins ties, like argmax
            score += row[best];
            if (best != blank)
            {
                if (best == prev) spans[^1] = spans[^1] with { End = t + 1 };
                else { glosses.Add(best); spans.Add(new GlossSpan(best, t, t + 1)); }
            }
            prev = best;
        }
        return new CtcHypothesis(glosses.ToArray(), spans.ToArray(), score);
    }
}
