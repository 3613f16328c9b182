using TorchSharp;
using static TorchSharp.torch;

namespace SignNotebooks.Decoding;

/// <summary>
/// Entry point for turning head outputs into gloss ids: batches of (B, T, V) scores with per-clip valid
/// lengths, greedy or beam search, n-best with frame spans, and SLRT's post-processing (spec §8.1).
/// Needs only arrays or tensors of scores, never the network.
/// </summary>
public static class CtcDecoder
{
    /// <summary>Decodes one clip. <paramref name="scores"/> is (T, V) row-major, logits or log-probs (see <see cref="CtcDecodeOptions.Normalize"/>).</summary>
    public static CtcHypothesis[] Decode(ReadOnlySpan<float> scores, int vocab, int length, CtcDecodeOptions? options = null)
    {
        options ??= new CtcDecodeOptions();
        LogMath.CheckShape(scores, vocab, length, options.Blank);
        ReadOnlySpan<float> logProbs = scores[..(length * vocab)];
        if (options.Normalize)
        {
            var copy = logProbs.ToArray();
            LogMath.LogSoftmaxRows(copy, length, vocab);
            logProbs = copy;
        }
        int bad = IndexOfNaN(logProbs);
        if (bad >= 0) throw new ArgumentException($"frame {bad / vocab}, class {bad % vocab} is NaN (or a frame is all -inf); the head produced invalid scores", nameof(scores));
        var hyps = options.Method == CtcDecodeMethod.Greedy
            ? [CtcGreedyDecoder.Decode(logProbs, vocab, length, options.Blank)]
            : CtcPrefixBeamSearch.Decode(logProbs, vocab, length, options.BeamWidth, options.Blank, options.NBest);
        return options.CollapseRepeats ? Deduplicate(hyps.Select(CollapseRepeats)) : hyps;
    }

    /// <summary>Decodes a batch laid out (B, T, V) row-major with valid lengths (B).</summary>
    public static IReadOnlyList<CtcHypothesis[]> DecodeBatch(float[] scores, int batch, int frames, int vocab, IReadOnlyList<int> lengths, CtcDecodeOptions? options = null)
    {
        if ((long)batch * frames * vocab != scores.Length)
            throw new ArgumentException($"scores hold {scores.Length} values, not B*T*V = {batch}*{frames}*{vocab}", nameof(scores));
        if (lengths.Count != batch) throw new ArgumentException($"{lengths.Count} lengths for a batch of {batch}", nameof(lengths));
        var result = new CtcHypothesis[batch][];
        for (int b = 0; b < batch; b++)
        {
            if (lengths[b] < 0 || lengths[b] > frames) throw new ArgumentOutOfRangeException(nameof(lengths), $"length {lengths[b]} of clip {b} is outside 0..{frames}");
            result[b] = Decode(scores.AsSpan(b * frames * vocab, frames * vocab), vocab, lengths[b], options);
        }
        return result;
    }

    /// <summary>Decodes a (B, T, V) tensor of logits or log-probs with valid lengths (B) (any integer dtype, any device).</summary>
    public static IReadOnlyList<CtcHypothesis[]> DecodeBatch(Tensor scores, Tensor lengths, CtcDecodeOptions? options = null)
    {
        if (scores.dim() != 3) throw new ArgumentException($"scores must be (B, T, V); got shape [{string.Join(", ", scores.shape)}]", nameof(scores));
        int B = (int)scores.shape[0], T = (int)scores.shape[1], V = (int)scores.shape[2];
        float[] data;
        long[] lens;
        using (var scope = NewDisposeScope())
        {
            data = scores.detach().to(ScalarType.Float32).cpu().contiguous().data<float>().ToArray();
            lens = lengths.detach().to(ScalarType.Int64).cpu().contiguous().data<long>().ToArray();
        }
        return DecodeBatch(data, B, T, V, lens.Select(l => (int)l).ToArray(), options);
    }

    /// <summary>
    /// spec §8.1: SLRT applies <c>itertools.groupby</c> to the decoded ids, merging consecutive identical glosses
    /// even when CTC emitted them as two tokens (separated by a blank). Their spans merge into one.
    /// </summary>
    public static CtcHypothesis CollapseRepeats(CtcHypothesis h)
    {
        var glosses = new List<int>();
        var spans = new List<GlossSpan>();
        for (int i = 0; i < h.Glosses.Length; i++)
        {
            if (i > 0 && h.Glosses[i] == h.Glosses[i - 1]) { spans[^1] = spans[^1] with { End = h.Spans[i].End }; continue; }
            glosses.Add(h.Glosses[i]);
            spans.Add(h.Spans[i]);
        }
        return h with { Glosses = glosses.ToArray(), Spans = spans.ToArray() };
    }

    private static int IndexOfNaN(ReadOnlySpan<float> a)
    {
        for (int i = 0; i < a.Length; i++) if (float.IsNaN(a[i])) return i;
        return -1;
    }

    // After collapsing, two beam entries can become the same labelling ("A A" and "A"): keep the better one.
    private static CtcHypothesis[] Deduplicate(IEnumerable<CtcHypothesis> hyps)
    {
        var seen = new HashSet<string>();
        return hyps.Where(h => seen.Add(string.Join(',', h.Glosses))).ToArray();
    }
}
