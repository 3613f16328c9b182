using System.Globalization;
using SignNotebooks.Evaluation;
using SignNotebooks.Models;
using SignNotebooks.Plots;
using SignNotebooks.Training;

namespace SignNotebooks.Analysis;

/// <summary>One row of the ablation: how to get its run for a seed, and which head it is scored on.</summary>
public sealed record AblationRow(string Name, string Head, Func<Workbench, int, ExperimentRun> Train);

/// <summary>A row's WER per split over seeds.</summary>
public sealed record AblationResult(AblationRow Row, IReadOnlyList<string> Splits, IReadOnlyList<IReadOnlyList<double>> WerBySplitThenSeed)
{
    public double Mean(int split) => WerBySplitThenSeed[split].Average();
    public double Spread(int split) => WerBySplitThenSeed[split].Count < 2 ? 0 : WerBySplitThenSeed[split].Max() - WerBySplitThenSeed[split].Min();
}

/// <summary>
/// The paper-style ablation (spec §2–§5): single streams, then the two-stream network built up one component at a
/// time — lateral connections in each direction, both, the sign pyramid network with its auxiliary heads, the joint
/// head, and frame-level self-distillation. Every two-stream row starts from the same seed's single-stream runs and
/// is scored on the late ensemble; single streams on their own head. Runs are shared with notebooks 02 and 03.
/// </summary>
public static class Ablation
{
    private static TrainingConfig Components(TrainingConfig c, bool k2v, bool v2k, bool spn, bool joint, bool sd) =>
        c with { Model = c.Model with { LateralKeypointToRgb = k2v, LateralRgbToKeypoint = v2k, Pyramid = spn, JointHead = joint, SelfDistillation = sd } };

    /// <summary>The rows, in the order components are added.</summary>
    public static IReadOnlyList<AblationRow> PaperRows { get; } =
    [
        new("video only", RecognitionOutputs.Video, (wb, s) => wb.Stage(TrainingStage.Video, s)),
        new("keypoint only", RecognitionOutputs.Keypoint, (wb, s) => wb.Stage(TrainingStage.Keypoint, s)),
        new("two-stream, lateral keypoint→video", RecognitionOutputs.EnsembleLast, (wb, s) => wb.Joint("lat-k2v", c => Components(c, true, false, false, false, false), s)),
        new("two-stream, lateral video→keypoint", RecognitionOutputs.EnsembleLast, (wb, s) => wb.Joint("lat-v2k", c => Components(c, false, true, false, false, false), s)),
        new("+ bidirectional laterals", RecognitionOutputs.EnsembleLast, (wb, s) => wb.Joint("lat-both", c => Components(c, true, true, false, false, false), s)),
        new("+ sign pyramid network", RecognitionOutputs.EnsembleLast, (wb, s) => wb.Joint("spn", c => Components(c, true, true, true, false, false), s)),
        new("+ joint head", RecognitionOutputs.EnsembleLast, (wb, s) => wb.Joint("joint-head", c => Components(c, true, true, true, true, false), s)),
        new("+ self-distillation (full TwoStream-SLR)", RecognitionOutputs.EnsembleLast, (wb, s) => FullModel(wb, s)),
    ];

    /// <summary>The complete network (every component on), the run notebook 03 trains.</summary>
    public static ExperimentRun FullModel(Workbench wb, int seed = 0) => wb.Joint("full", null, seed);

    /// <summary>The same network without self-distillation (notebook 05's comparison).</summary>
    public static ExperimentRun WithoutDistillation(Workbench wb, int seed = 0) => PaperRows[6].Train(wb, seed);

    public static IReadOnlyList<AblationResult> Run(Workbench wb, int seeds, IReadOnlyList<string> splits, IReadOnlyList<AblationRow>? rows = null)
    {
        var results = new List<AblationResult>();
        foreach (var row in rows ?? PaperRows)
        {
            var wer = splits.Select(_ => new List<double>()).ToList();
            for (int s = 0; s < seeds; s++)
            {
                var run = row.Train(wb, s);
                for (int i = 0; i < splits.Count; i++) wer[i].Add(wb.Evaluate(run, splits[i], heads: [row.Head]).WerOf(row.Head));
            }
            results.Add(new AblationResult(row, splits, wer.Select(w => (IReadOnlyList<double>)w).ToList()));
        }
        return results;
    }

    /// <summary>
    /// The ablation chart on the last split (test-shift on SynthSign, test on a real corpus) and the table, written
    /// under names a real corpus suffixes (<see cref="Workbench.FigureName"/>); returns the chart's PNG.
    /// </summary>
    public static string SaveFigures(Workbench wb, IReadOnlyList<AblationResult> results, ResultTable table, string madeBy)
    {
        var splits = results[0].Splits;
        FigureExport.SaveTable(table, wb.FigureName("ablation_table"), wb.Profile, madeBy);
        return FigureExport.SaveAblationChart(results, splits.Count - 1, wb.FigureName("ablation_" + splits[^1].Replace('-', '_')),
            wb.Profile, madeBy, wb.CorpusLabel);
    }

    /// <summary>Mean WER per split, with the spread (max − min) over seeds when there are several.</summary>
    public static ResultTable Table(IReadOnlyList<AblationResult> results, int seeds, string title = "Ablation")
    {
        var inv = CultureInfo.InvariantCulture;
        var splits = results[0].Splits;
        var rows = results.Select(r => (IReadOnlyList<string>)
            [r.Row.Name, r.Row.Head, .. splits.Select((_, i) => seeds > 1 ? $"{r.Mean(i).ToString("F1", inv)} ± {(r.Spread(i) / 2).ToString("F1", inv)}" : r.Mean(i).ToString("F1", inv))]).ToList();
        return new ResultTable($"{title}: WER % (mean{(seeds > 1 ? $" ± half-range over {seeds} seeds" : ", 1 seed")}; beam as the test beam)",
            ["configuration", "head", .. splits], rows);
    }
}
