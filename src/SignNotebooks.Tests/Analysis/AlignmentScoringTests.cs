using SignNotebooks.Analysis;
using SignNotebooks.Data;
using SignNotebooks.Synthetic;

namespace SignNotebooks.Tests.Analysis;

/// <summary>
/// The alignment scoring of notebook 05 is right before it judges a model: posteriors built from SynthSign's true
/// frame labels, read at the heads' rate (4 frames a step) the way the network's outputs are, must align to every
/// gloss's true span give or take half a step (100 % hit, offset below a step), while chance stays well below.
/// A frame-index offset anywhere between sampling, steps and frames would break the first assertion.
/// </summary>
public sealed class AlignmentScoringTests
{
    [Fact]
    public void Posteriors_built_from_the_truth_hit_every_gloss()
    {
        var ds = new SynthSignDataset("standard");
        var vocab = Vocabulary.SynthSign(ds.Glosses);
        int v = vocab.Count;
        var counter = new SpanHitCounter();
        var uniform = new SpanHitCounter();
        double chance = 0;
        var misses = new List<string>();
        for (int i = 0; i < 30; i++)
        {
            var clip = ds.Generate("dev", i, withFrames: false);
            var indices = TemporalSampling.Eval(clip.FrameCount);   // what evaluation feeds the network
            var ids = vocab.Encode(clip.Glosses);
            var targets = new FrameTargets([FrameTargets.ForClip(clip.FrameGlossIndex, ids, indices, vocab.BlankId)]);
            int steps = indices.Length / 4;
            var labels = targets.At(4, steps).data<long>().ToArray();
            var lp = new float[steps * v];
            for (int t = 0; t < steps; t++)
                for (int k = 0; k < v; k++) lp[t * v + k] = k == labels[t] ? MathF.Log(0.9f) : MathF.Log(0.1f / (v - 1));
            var post = new ClipPosteriors(clip.ToSignClip(), clip, indices.Length,
                new Dictionary<string, (float[], int)> { ["video"] = (lp, steps) }, v);
            var spans = AlignmentAnalysis.AlignedSpans(post, "video", vocab)!;
            var truth = clip.GlossSpans();
            counter.Add(spans, truth, 2);
            foreach (var (g, st, en) in spans)
            {
                var (ts, te) = truth[g];
                double c = (st + en - 1) / 2.0;
                if (ts >= 0 && !(c >= ts - 2 && c <= te + 3)) misses.Add($"dev clip {i} gloss {g}: aligned frames {st}-{en - 1}, true {ts}-{te}");
            }
            uniform.Add(SpanHitCounter.UniformSplit(truth.Count, indices.Length), truth, 2);
            chance += SpanHitCounter.ChanceHits(truth, indices.Length, 2);
        }
        Assert.True(counter.HitRate == 100.0, "missed: " + string.Join("; ", misses));
        Assert.True(counter.MeanOffset < 4, $"mean centre offset {counter.MeanOffset:F2} frames, more than a step");
        double chanceRate = 100 * chance / uniform.Glosses;
        Assert.InRange(chanceRate, 1, 40);
        Assert.InRange(uniform.HitRate, chanceRate, 100);   // knowing the gloss count beats a blind guess
    }

    [Fact]
    public void A_span_one_gloss_late_misses_and_an_unseen_gloss_is_skipped()
    {
        var truth = new List<(int, int)> { (0, 9), (10, 19), (-1, -1) };
        var c = new SpanHitCounter();
        c.Add([(0, 12, 16), (1, 20, 24), (2, 0, 4)], truth);   // centres 13.5 (in gloss 1, not 0) and 21.5 (past gloss 1's end)
        Assert.Equal(2, c.Glosses);
        Assert.Equal(0, c.Hits);
        c.Add([(0, 4, 8)], truth);                             // centre 5.5 inside 0..9
        Assert.Equal(1, c.Hits);
        c.Add([(1, 8, 12)], truth, tolerance: 2);               // centre 9.5: 0.5 frame before gloss 1, inside half a step
        Assert.Equal(2, c.Hits);
        Assert.Equal([(0, 0, 10), (1, 10, 20)], SpanHitCounter.UniformSplit(2, 20).ToArray());
    }
}
