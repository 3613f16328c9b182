using Plotly.NET;
using SignNotebooks.Analysis;

namespace SignNotebooks.Plots;

/// <summary>Interactive training curves read from a run's metrics files.</summary>
public static class TrainingCharts
{
    /// <summary>Mean training loss per epoch, one line per run.</summary>
    public static GenericChart TrainLoss(params ExperimentRun[] runs) =>
        Lines.Chart("training loss per epoch", "epoch", "mean loss", runs.Select(r =>
            new XySeries(r.Name, Column(r.Epochs, "epoch"), Column(r.Epochs, "train_loss"))));

    /// <summary>Dev WER per epoch of every head of one run (the validation beam), coloured by stream.</summary>
    public static GenericChart DevWer(ExperimentRun run)
    {
        var e = run.Epochs;
        var heads = e.Columns.Select(c => c.Name).Where(n => n.StartsWith("dev_wer_", StringComparison.Ordinal));
        return Lines.Chart($"{run.Name}: dev WER per head", "epoch", "WER %",
            heads.Select(h => new XySeries(h["dev_wer_".Length..], Column(e, "epoch"), Column(e, h))));
    }

    /// <summary>Per-step loss terms whose names start with <paramref name="prefix"/> (e.g. `distill_`, `ctc_`).</summary>
    public static GenericChart Terms(ExperimentRun run, string prefix)
    {
        var s = run.Steps;
        var cols = s.Columns.Select(c => c.Name).Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        if (cols.Count == 0) throw new ArgumentException($"{run.Name} logged no loss term starting with '{prefix}' (has: {string.Join(", ", s.Columns.Select(c => c.Name))})");
        return Lines.Chart($"{run.Name}: {prefix}* per step", "step", "loss term (unweighted)",
            cols.Select(c => new XySeries(c[prefix.Length..], Column(s, "step"), Column(s, c))));
    }

    internal static IReadOnlyList<double> Column(Microsoft.Data.Analysis.DataFrame df, string name) =>
        df.Columns[name].Cast<object?>().Select(v => v is null ? double.NaN : Convert.ToDouble(v)).ToList();
}
