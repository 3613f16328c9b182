using System.Globalization;
using SignNotebooks.Evaluation;
using SignNotebooks.Plots;

namespace SignNotebooks.Analysis;

/// <summary>Per-head WER tables across splits.</summary>
public static class HeadTables
{
    /// <summary>One row per head of each run, one column per split (test beam unless given).</summary>
    public static ResultTable PerSplit(Workbench wb, IEnumerable<ExperimentRun> runs, IReadOnlyList<string> splits, int? beam = null,
        IReadOnlyCollection<string>? heads = null)
    {
        var rows = new List<IReadOnlyList<string>>();
        int usedBeam = 0;
        foreach (var run in runs)
        {
            var evals = splits.Select(s => wb.Evaluate(run, s, beam, heads)).ToList();
            usedBeam = evals[0].Beam;
            foreach (var h in evals[0].Heads.Select(h => h.Head))
                rows.Add([run.Name, h, .. evals.Select(e => e.WerOf(h).ToString("F1", CultureInfo.InvariantCulture))]);
        }
        return new ResultTable($"WER % per head (beam {usedBeam}; lower is better)", ["run", "head", .. splits], rows);
    }
}
