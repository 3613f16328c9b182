namespace SignNotebooks.Decoding;

/// <summary>One decoded gloss and the frames it occupies: <c>[Start, End)</c> on the head's time axis.</summary>
public readonly record struct GlossSpan(int Gloss, int Start, int End)
{
    public int Length => End - Start;
}

/// <summary>
/// A decoded labelling. <see cref="LogProb"/> is the natural-log score: for beam search the total CTC
/// probability of the labelling (summed over the alignments the beam kept), for greedy decoding and forced
/// alignment the probability of the single best path. <see cref="Spans"/> has one entry per gloss, in order.
/// </summary>
public sealed record CtcHypothesis(int[] Glosses, GlossSpan[] Spans, double LogProb)
{
    public override string ToString() => $"[{string.Join(' ', Glosses)}] logp={LogProb:F4}";
}

/// <summary>How to turn frame scores into glosses.</summary>
public enum CtcDecodeMethod
{
    /// <summary>Best path: arg-max per frame, merge repeats, drop blanks.</summary>
    Greedy,
    /// <summary>CTC prefix beam search (spec §8.1 uses beam 5 at test time, 1 at validation).</summary>
    BeamSearch,
}

/// <summary>
/// Decoding settings. Defaults follow spec §8.1 (test time): beam 5, blank id 0, top path only, and the
/// <c>groupby</c> collapse of consecutive identical glosses that SLRT applies after TensorFlow's decoder.
/// </summary>
public sealed record CtcDecodeOptions
{
    public CtcDecodeMethod Method { get; init; } = CtcDecodeMethod.BeamSearch;
    public int BeamWidth { get; init; } = 5;
    public int Blank { get; init; } = 0;
    /// <summary>How many hypotheses to return (at most <see cref="BeamWidth"/>; greedy always returns one).</summary>
    public int NBest { get; init; } = 1;
    /// <summary>spec §8.1: SLRT runs <c>itertools.groupby</c> on the decoded ids, so "A A" becomes "A".</summary>
    public bool CollapseRepeats { get; init; } = true;
    /// <summary>Apply log-softmax per frame first, as TensorFlow does, so logits and log-probs both work.</summary>
    public bool Normalize { get; init; } = true;
}
