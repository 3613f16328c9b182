using System.Globalization;
using SignNotebooks.Checkpoints;
using SignNotebooks.Data;
using SignNotebooks.Decoding;
using SignNotebooks.Models;
using SignNotebooks.Plots;
using SignNotebooks.Synthetic;

namespace SignNotebooks.Analysis;

/// <summary>Frame-level log-posteriors of every head for one clip, (steps × V) each, with the frames per step.</summary>
/// <param name="Truth">The SynthSign clip with its true gloss boundaries, or null on a real corpus.</param>
public sealed record ClipPosteriors(SignClip Clip, SynthClip? Truth, int SampledFrames, IReadOnlyDictionary<string, (float[] LogProbs, int Steps)> Heads, int Vocab)
{
    /// <summary>Why there is no truth (Workbench.NotAvailable), when <see cref="Truth"/> is null.</summary>
    public string? TruthMissing { get; init; }

    public int FramesPerStep(string head) => SampledFrames / Heads[head].Steps;
}

/// <summary>A head's CTC alignment quality against SynthSign's true gloss boundaries.</summary>
/// <param name="HitRate">% of glosses whose forced-aligned CTC span centre lies inside the true span, give or take
/// half a step of the head (2 frames at stride 4).</param>
/// <param name="CentreOffset">Mean |aligned centre − true centre| in frames.</param>
/// <param name="ChanceRate">% a centre drawn uniformly over the clip would hit (the mean true span length over the
/// clip length): the floor a score must clear to say anything.</param>
/// <param name="UniformSplitRate">% hit by cutting each clip into as many equal parts as it has glosses, in order: a
/// timing-blind baseline that knows only the gloss count.</param>
public sealed record AlignmentScore(string Head, double HitRate, double CentreOffset, int Glosses, double ChanceRate = double.NaN, double UniformSplitRate = double.NaN);

/// <summary>Running totals of span hits for one head (or one baseline) over clips.</summary>
public sealed class SpanHitCounter
{
    public int Hits { get; private set; }
    public int Glosses { get; private set; }
    public double OffsetSum { get; private set; }
    public double HitRate => Glosses == 0 ? double.NaN : 100.0 * Hits / Glosses;
    public double MeanOffset => Glosses == 0 ? double.NaN : OffsetSum / Glosses;

    /// <summary>
    /// Scores one clip: <paramref name="aligned"/> are (gloss index, first frame, end frame exclusive) spans,
    /// <paramref name="truth"/> the true (first, last inclusive) frames per gloss index; glosses the truth never shows
    /// (start −1) are skipped. A hit is a span centre inside the true span (its last frame's extent included),
    /// widened by <paramref name="tolerance"/> frames on each side. The heads speak once per step of 4 frames, so a
    /// 3-frame gloss that straddles a step boundary has no step centre inside it: half a step of tolerance is the
    /// resolution of the output, and posteriors built from the truth then hit every gloss (AlignmentScoringTests).
    /// </summary>
    public void Add(IEnumerable<(int Gloss, int Start, int End)> aligned, IReadOnlyList<(int Start, int End)> truth, double tolerance = 0)
    {
        foreach (var (g, start, end) in aligned)
        {
            var (ts, te) = truth[g];
            if (ts < 0) continue;
            double centre = (start + end - 1) / 2.0, trueCentre = (ts + te) / 2.0;
            if (centre >= ts - tolerance && centre <= te + 1 + tolerance) Hits++;
            OffsetSum += Math.Abs(centre - trueCentre);
            Glosses++;
        }
    }

    /// <summary>The equal-parts baseline of a clip with <paramref name="glosses"/> glosses over <paramref name="frames"/> frames.</summary>
    public static IEnumerable<(int Gloss, int Start, int End)> UniformSplit(int glosses, int frames) =>
        Enumerable.Range(0, glosses).Select(g => (g, g * frames / glosses, Math.Max(g * frames / glosses + 1, (g + 1) * frames / glosses)));

    /// <summary>Chance of a uniformly placed centre hitting each true span (widened as <see cref="Add"/> widens it), summed (a hit count in expectation).</summary>
    public static double ChanceHits(IReadOnlyList<(int Start, int End)> truth, int frames, double tolerance = 0) =>
        truth.Where(t => t.Start >= 0).Sum(t => Math.Min(frames, t.End + 1 - t.Start + 1 + 2 * tolerance) / (double)frames);
}

/// <summary>
/// Pseudo-targets made visible (spec §5): the frame × gloss posteriors of each head and of the ensemble teacher,
/// and their CTC alignments (Viterbi forced alignment of the reference glosses) against the ground-truth gloss
/// boundaries that only a synthetic corpus has.
/// </summary>
public static class AlignmentAnalysis
{
    public static RecognitionModel LoadModel(ExperimentRun run)
    {
        var model = Training.Trainer.LoadModel(run.Config, run.BestWeights);
        model.eval();
        return model;
    }

    public static ClipPosteriors Posteriors(Workbench wb, RecognitionModel model, ExperimentRun run, string split, int index)
    {
        bool frames = run.Config.Streams.HasFlag(InputStreams.Rgb);
        var truth = wb.IsSynthSign ? wb.Corpus.Generate(split, index, withFrames: frames) : null;
        var clip = truth?.ToSignClip() ?? wb.Dataset.Load(split, wb.Dataset.ClipNames(split)[index], frames);
        var pipeline = new ClipPipeline(run.Config.Input);
        using var inputs = pipeline.Prepare(clip, train: false, new Random(0), run.Config.Streams);
        var (heads, vocab) = ClipPosteriorsForward.Run(model, inputs);
        return new ClipPosteriors(clip, truth, inputs.Length, heads, vocab) { TruthMissing = truth is null ? wb.NotAvailable(Needs) : null };
    }

    /// <summary>Forced alignment of the clip's reference glosses on one head: (gloss index, first frame, end frame) per gloss.</summary>
    public static IReadOnlyList<(int Gloss, int Start, int End)>? AlignedSpans(ClipPosteriors p, string head, Vocabulary vocabulary)
    {
        var (lp, steps) = p.Heads[head];
        var ids = vocabulary.Encode(p.Clip.Glosses);
        if (!CtcForcedAligner.Fits(ids, steps)) return null;
        var hyp = CtcForcedAligner.Align(lp, p.Vocab, steps, ids, vocabulary.BlankId);
        int f = p.FramesPerStep(head);
        return hyp.Spans.Select((s, i) => (i, s.Start * f, s.End * f)).ToList();
    }

    /// <summary>What the alignment scores need, as <see cref="Workbench.NotAvailable"/> says it on a real corpus.</summary>
    public const string Needs = "true gloss boundaries per frame, which real corpora do not annotate";

    /// <summary>Alignment quality per head over the first <paramref name="clips"/> clips of a split (none on a real corpus: no truth).</summary>
    public static IReadOnlyList<AlignmentScore> Score(Workbench wb, ExperimentRun run, string split, int clips, IReadOnlyList<string> heads)
    {
        if (!wb.IsSynthSign) return [];
        var model = LoadModel(run);
        var counters = heads.ToDictionary(h => h, _ => new SpanHitCounter());
        var uniform = heads.ToDictionary(h => h, _ => new SpanHitCounter());
        var chance = heads.ToDictionary(h => h, _ => 0.0);
        int n = Math.Min(clips, wb.Corpus.ClipNames(split).Count);
        for (int i = 0; i < n; i++)
        {
            var p = Posteriors(wb, model, run, split, i);
            var truth = p.Truth!.GlossSpans();
            foreach (var head in heads.Where(p.Heads.ContainsKey))
            {
                var spans = AlignedSpans(p, head, wb.Vocabulary);
                if (spans is null) continue;
                double tolerance = p.FramesPerStep(head) / 2.0;
                counters[head].Add(spans, truth, tolerance);
                // Baselines over the same clips, the same frames the network saw (its sampled length) and the same tolerance.
                uniform[head].Add(SpanHitCounter.UniformSplit(truth.Count, p.SampledFrames), truth, tolerance);
                chance[head] += SpanHitCounter.ChanceHits(truth, p.SampledFrames, tolerance);
            }
        }
        return heads.Where(h => counters[h].Glosses > 0).Select(h => new AlignmentScore(h, counters[h].HitRate, counters[h].MeanOffset,
            counters[h].Glosses, 100.0 * chance[h] / uniform[h].Glosses, uniform[h].HitRate)).ToList();
    }

    /// <summary>The scores as a table, or on a real corpus the line saying why there are none.</summary>
    public static ResultTable Table(Workbench wb, string caption, IEnumerable<(string Run, IReadOnlyList<AlignmentScore> Scores)> runs) =>
        wb.IsSynthSign ? Table(caption, runs) : wb.NotAvailableTable(Needs);

    public static ResultTable Table(string caption, IEnumerable<(string Run, IReadOnlyList<AlignmentScore> Scores)> runs)
    {
        var inv = CultureInfo.InvariantCulture;
        var rows = runs.SelectMany(r => r.Scores.Select(s => (IReadOnlyList<string>)
            [r.Run, s.Head, s.HitRate.ToString("F1", inv), s.ChanceRate.ToString("F1", inv), s.UniformSplitRate.ToString("F1", inv),
             s.CentreOffset.ToString("F1", inv), s.Glosses.ToString(inv)])).ToList();
        return new ResultTable(caption, ["run", "head", "span hit %", "chance %", "equal-split %", "centre offset (frames)", "glosses"], rows);
    }
}
