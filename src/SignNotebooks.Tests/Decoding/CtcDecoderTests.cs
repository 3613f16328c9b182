using SignNotebooks.Decoding;
using TorchSharp;

namespace SignNotebooks.Tests.Decoding;

public class CtcDecoderTests
{
    public static TheoryData<int, int, int, int> TinyProblems => new()
    {
        // frames, vocab, blank, seed
        { 4, 3, 0, 1 }, { 5, 3, 0, 2 }, { 5, 4, 0, 3 }, { 6, 3, 2, 4 }, { 5, 4, 3, 5 }, { 3, 5, 0, 6 }, { 6, 4, 1, 7 },
    };

    [Theory, MemberData(nameof(TinyProblems))]
    public void Wide_beam_finds_the_most_probable_labelling_with_its_exact_probability(int frames, int vocab, int blank, int seed)
    {
        var lp = CtcBruteForce.RandomLogProbs(new Random(seed), frames, vocab);
        var (total, _, _) = CtcBruteForce.Enumerate(lp, frames, vocab, blank);
        var hyps = CtcPrefixBeamSearch.Decode(lp, vocab, frames, beamWidth: 10_000, blank: blank, nBest: 10_000);
        var bestKey = total.MaxBy(kv => kv.Value).Key;
        Assert.Equal(bestKey, CtcBruteForce.Key(hyps[0].Glosses));
        Assert.Equal(total.Count, hyps.Length); // nothing pruned: every feasible labelling is in the beam
        foreach (var h in hyps) Assert.Equal(total[CtcBruteForce.Key(h.Glosses)], h.LogProb, 9);
        Assert.True(hyps.Zip(hyps.Skip(1)).All(p => p.First.LogProb >= p.Second.LogProb));
    }

    [Theory, MemberData(nameof(TinyProblems))]
    public void Narrow_beam_still_scores_its_top_labelling_no_higher_than_the_truth(int frames, int vocab, int blank, int seed)
    {
        var lp = CtcBruteForce.RandomLogProbs(new Random(seed), frames, vocab);
        var (total, _, _) = CtcBruteForce.Enumerate(lp, frames, vocab, blank);
        var top = CtcPrefixBeamSearch.Decode(lp, vocab, frames, beamWidth: 2, blank: blank)[0];
        // A pruned beam only loses alignments, so its score is a lower bound of the labelling's probability.
        Assert.True(top.LogProb <= total[CtcBruteForce.Key(top.Glosses)] + 1e-9);
    }

    [Theory, MemberData(nameof(TinyProblems))]
    public void Greedy_equals_the_best_path(int frames, int vocab, int blank, int seed)
    {
        var lp = CtcBruteForce.RandomLogProbs(new Random(seed), frames, vocab);
        var (_, _, bestPath) = CtcBruteForce.Enumerate(lp, frames, vocab, blank);
        var g = CtcGreedyDecoder.Decode(lp, vocab, frames, blank);
        Assert.Equal(CtcBruteForce.Collapse(bestPath, blank), g.Glosses);
        Assert.Equal(CtcBruteForce.PathLogProb(lp, vocab, bestPath), g.LogProb, 9);
        // Greedy spans are the runs of the best path.
        for (int t = 0; t < frames; t++)
        {
            var inSpan = g.Spans.Where(s => s.Start <= t && t < s.End).ToList();
            if (bestPath[t] == blank) Assert.Empty(inSpan);
            else Assert.Equal(bestPath[t], Assert.Single(inSpan).Gloss);
        }
    }

    [Theory, MemberData(nameof(TinyProblems))]
    public void Forced_alignment_is_the_best_path_of_the_labelling_and_its_spans_rebuild_the_score(int frames, int vocab, int blank, int seed)
    {
        var lp = CtcBruteForce.RandomLogProbs(new Random(seed), frames, vocab);
        var (_, bestPath, _) = CtcBruteForce.Enumerate(lp, frames, vocab, blank);
        foreach (var (key, score) in bestPath)
        {
            var glosses = key.Length == 0 ? Array.Empty<int>() : key.Split(',').Select(int.Parse).ToArray();
            var a = CtcForcedAligner.Align(lp, vocab, frames, glosses, blank);
            Assert.Equal(score, a.LogProb, 9);
            AssertSpansConsistent(a, frames);
            Assert.Equal(score, ScoreFromSpans(lp, vocab, frames, blank, a.Spans), 9);
        }
    }

    [Fact]
    public void Forced_alignment_refuses_sequences_that_cannot_fit()
    {
        var lp = CtcBruteForce.RandomLogProbs(new Random(1), 3, 4);
        Assert.True(CtcForcedAligner.Fits([1, 2, 3], 3));
        Assert.False(CtcForcedAligner.Fits([1, 1, 2], 3)); // the repeat needs a blank between
        Assert.Throws<ArgumentException>(() => CtcForcedAligner.Align(lp, 4, 3, [1, 1, 2]));
        Assert.Throws<ArgumentException>(() => CtcForcedAligner.Align(lp, 4, 3, [0]));
    }

    [Fact]
    public void Beam_spans_are_consistent_with_the_frames_on_a_realistic_size()
    {
        var rng = new Random(11);
        var lp = CtcBruteForce.RandomLogProbs(rng, 60, 50, sharpness: 6);
        foreach (var h in CtcPrefixBeamSearch.Decode(lp, 50, 60, beamWidth: 5, nBest: 5))
        {
            AssertSpansConsistent(h, 60);
            Assert.Equal(h.Glosses, h.Spans.Select(s => s.Gloss));
        }
    }

    [Fact]
    public void Groupby_collapse_merges_equal_neighbours_and_their_spans()
    {
        var h = new CtcHypothesis([5, 5, 7, 5], [new(5, 0, 2), new(5, 3, 4), new(7, 5, 6), new(5, 8, 9)], -1.0);
        var c = CtcDecoder.CollapseRepeats(h);
        Assert.Equal([5, 7, 5], c.Glosses);
        Assert.Equal([new GlossSpan(5, 0, 4), new(7, 5, 6), new(5, 8, 9)], c.Spans);
    }

    [Fact]
    public void Decoder_applies_groupby_after_the_beam_like_SLRT()
    {
        // Frames: A, blank, A. CTC reads "A A"; SLRT's groupby turns it into "A".
        const int V = 3;
        var lp = new float[3 * V];
        float hi = MathF.Log(0.98f), lo = MathF.Log(0.01f);
        float[][] rows = [[lo, hi, lo], [hi, lo, lo], [lo, hi, lo]];
        for (int t = 0; t < 3; t++) rows[t].CopyTo(lp, t * V);
        var raw = CtcDecoder.Decode(lp, V, 3, new CtcDecodeOptions { CollapseRepeats = false });
        Assert.Equal([1, 1], raw[0].Glosses);
        var slrt = CtcDecoder.Decode(lp, V, 3, new CtcDecodeOptions());
        Assert.Equal([1], slrt[0].Glosses);
        Assert.Equal(new GlossSpan(1, 0, 3), Assert.Single(slrt[0].Spans));
    }

    [Fact]
    public void Tensor_batch_matches_the_array_path_and_ignores_frames_past_the_length()
    {
        var rng = new Random(3);
        int B = 3, T = 12, V = 7;
        var logits = Enumerable.Range(0, B * T * V).Select(_ => (float)(rng.NextDouble() * 8 - 4)).ToArray();
        int[] lengths = [12, 7, 0];
        var fromTensor = CtcDecoder.DecodeBatch(torch.tensor(logits).reshape(B, T, V), torch.tensor(lengths.Select(l => (long)l).ToArray()),
            new CtcDecodeOptions { NBest = 3 });
        for (int b = 0; b < B; b++)
        {
            var clip = logits.AsSpan(b * T * V, lengths[b] * V).ToArray();
            var one = CtcDecoder.Decode(clip, V, lengths[b], new CtcDecodeOptions { NBest = 3 });
            Assert.Equal(one.Select(h => CtcBruteForce.Key(h.Glosses)), fromTensor[b].Select(h => CtcBruteForce.Key(h.Glosses)));
            Assert.All(fromTensor[b], h => Assert.All(h.Spans, s => Assert.True(s.End <= lengths[b])));
        }
        Assert.Empty(fromTensor[2][0].Glosses);
    }

    [Fact]
    public void Logits_and_log_probs_decode_alike()
    {
        var rng = new Random(5);
        var lp = CtcBruteForce.RandomLogProbs(rng, 20, 9, sharpness: 4);
        var shifted = lp.Select((x, i) => x + (i / 9) * 0.7f + 3f).ToArray(); // per-frame constant: same softmax
        var a = CtcDecoder.Decode(lp, 9, 20)[0];
        var b = CtcDecoder.Decode(shifted, 9, 20)[0];
        Assert.Equal(a.Glosses, b.Glosses);
        Assert.Equal(a.LogProb, b.LogProb, 4);
    }

    [Fact]
    public void NaN_scores_are_refused_not_decoded()
    {
        var lp = CtcBruteForce.RandomLogProbs(new Random(2), 4, 3);
        lp[7] = float.NaN;
        Assert.Contains("frame 2,", Assert.Throws<ArgumentException>(() => CtcDecoder.Decode(lp, 3, 4)).Message);
    }

    internal static void AssertSpansConsistent(CtcHypothesis h, int length)
    {
        Assert.Equal(h.Glosses.Length, h.Spans.Length);
        int prevEnd = 0;
        foreach (var s in h.Spans)
        {
            Assert.True(s.Start >= prevEnd && s.End > s.Start && s.End <= length, $"bad span {s} after {prevEnd}");
            prevEnd = s.End;
        }
    }

    private static double ScoreFromSpans(float[] lp, int vocab, int frames, int blank, GlossSpan[] spans)
    {
        double s = 0;
        for (int t = 0; t < frames; t++)
        {
            var span = spans.FirstOrDefault(x => x.Start <= t && t < x.End);
            s += lp[t * vocab + (span.Length > 0 ? span.Gloss : blank)];
        }
        return s;
    }
}
