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
/// <param name="HitRate">% of glosses whose forced-aligned CTC span centre lies inside the true span.</param>
/// <param name="CentreOffset">Mean |aligned centre − true centre| in frames.</param>
public sealed record AlignmentScore(string Head, double HitRate, double CentreOffset, int Glosses);

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
        var hits = heads.ToDictionary(h => h, _ => 0);
        var offsets = heads.ToDictionary(h => h, _ => 0.0);
        var counts = heads.ToDictionary(h => h, _ => 0);
        int n = Math.Min(clips, wb.Corpus.ClipNames(split).Count);
        for (int i = 0; i < n; i++)
        {
            var p = Posteriors(wb, model, run, split, i);
            var truth = p.Truth!.GlossSpans();
            foreach (var head in heads.Where(p.Heads.ContainsKey))
            {
                var spans = AlignedSpans(p, head, wb.Vocabulary);
                if (spans is null) continue;
                foreach (var (g, start, end) in spans)
                {
                    var (ts, te) = truth[g];
                    if (ts < 0) continue;
                    double centre = (start + end - 1) / 2.0, trueCentre = (ts + te) / 2.0;
                    if (centre >= ts && centre <= te + 1) hits[head]++;
                    offsets[head] += Math.Abs(centre - trueCentre);
                    counts[head]++;
                }
            }
        }
        return heads.Where(h => counts[h] > 0).Select(h => new AlignmentScore(h, 100.0 * hits[h] / counts[h], offsets[h] / counts[h], counts[h])).ToList();
    }

    /// <summary>The scores as a table, or on a real corpus the line saying why there are none.</summary>
    public static ResultTable Table(Workbench wb, string caption, IEnumerable<(string Run, IReadOnlyList<AlignmentScore> Scores)> runs) =>
        wb.IsSynthSign ? Table(caption, runs) : wb.NotAvailableTable(Needs);

    public static ResultTable Table(string caption, IEnumerable<(string Run, IReadOnlyList<AlignmentScore> Scores)> runs)
    {
        var inv = CultureInfo.InvariantCulture;
        var rows = runs.SelectMany(r => r.Scores.Select(s => (IReadOnlyList<string>)
            [r.Run, s.Head, s.HitRate.ToString("F1", inv), s.CentreOffset.ToString("F1", inv), s.Glosses.ToString(inv)])).ToList();
        return new ResultTable(caption, ["run", "head", "span hit %", "centre offset (frames)", "glosses"], rows);
    }
}
