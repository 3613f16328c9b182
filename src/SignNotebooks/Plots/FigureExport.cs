using System.Text.Json;
using SignNotebooks.Analysis;
using SignNotebooks.Util;

namespace SignNotebooks.Plots;

/// <summary>
/// Static figures for `figures/` (house style): each figure or table is written with the CSV of its data and a
/// metadata file saying how it was made (commit, profile, command, date). Only the standard profile writes into the
/// committed `figures/` folder; other profiles write to `artifacts/figures/&lt;profile&gt;` so tests never touch it.
/// </summary>
public static class FigureExport
{
    public static string Folder(string profile) =>
        profile == "standard" ? RepoPaths.Figures : Path.Combine(RepoPaths.Artifacts, "figures", profile);

    /// <summary>Writes NAME.csv, NAME.md and NAME.meta.json; returns the CSV path.</summary>
    public static string SaveTable(ResultTable table, string name, string profile, string madeBy)
    {
        var dir = Folder(profile);
        Directory.CreateDirectory(dir);
        Training.RunDirectory.WriteAtomic(Path.Combine(dir, name + ".csv"), table.ToCsv());
        Training.RunDirectory.WriteAtomic(Path.Combine(dir, name + ".md"), $"**{table.Caption}**\n\n{table.ToMarkdown()}");
        WriteMeta(dir, name, profile, madeBy, table.Caption);
        return Path.Combine(dir, name + ".csv");
    }

    /// <summary>A bar chart of the ablation's mean WER on one split with the seed spread as error bars (PNG, ScottPlot).</summary>
    public static string SaveAblationChart(IReadOnlyList<AblationResult> results, int split, string name, string profile, string madeBy, string corpus = "SynthSign")
    {
        var dir = Folder(profile);
        Directory.CreateDirectory(dir);
        var plt = new ScottPlot.Plot();
        var means = results.Select(r => r.Mean(split)).ToArray();
        var bars = plt.Add.Bars(means);
        for (int i = 0; i < results.Count; i++)
            bars.Bars[i].FillColor = ScottPlot.Color.FromHex(StreamStyle.ForHead(results[i].Row.Head));
        var err = plt.Add.ErrorBar(Enumerable.Range(0, means.Length).Select(i => (double)i).ToArray(), means,
            results.Select(r => r.Spread(split) / 2).ToArray());
        err.LineWidth = 2;
        plt.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, means.Length).Select(i => (double)i).ToArray(), results.Select((r, i) => $"{i + 1}").ToArray());
        plt.Axes.Bottom.Label.Text = "ablation row (see the table)";
        plt.Axes.Left.Label.Text = $"{results[0].Splits[split]} WER %";
        plt.Title($"{corpus} {profile}: WER by configuration ({results[0].Splits[split]})");
        plt.Axes.Margins(bottom: 0);
        var png = Path.Combine(dir, name + ".png");
        plt.SavePng(png, 900, 450);
        var csv = "row,configuration,head,split,mean_wer,half_range\n" + string.Concat(results.Select((r, i) =>
            FormattableString.Invariant($"{i + 1},\"{r.Row.Name}\",{r.Row.Head},{r.Splits[split]},{r.Mean(split):F2},{r.Spread(split) / 2:F2}\n")));
        Training.RunDirectory.WriteAtomic(Path.Combine(dir, name + ".csv"), csv);
        WriteMeta(dir, name, profile, madeBy, "ablation bar chart");
        return png;
    }

    /// <summary>
    /// Dev WER per epoch of single-stream runs (each run's own head, the validation beam), one line per run coloured
    /// by stream, as PNG + CSV: the learning curves behind the ablation's first rows, seeds side by side.
    /// </summary>
    public static string SaveStageCurves(IReadOnlyList<ExperimentRun> runs, string name, string profile, string madeBy, string corpus = "SynthSign")
    {
        var dir = Folder(profile);
        Directory.CreateDirectory(dir);
        var plt = new ScottPlot.Plot();
        var csv = new System.Text.StringBuilder("run,head,epoch,dev_wer\n");
        foreach (var run in runs)
        {
            string head = run.Config.ResolvedSelectionHead;
            var epochs = TrainingCharts.Column(run.Epochs, "epoch").ToArray();
            var wer = TrainingCharts.Column(run.Epochs, "dev_wer_" + head).ToArray();
            var line = plt.Add.Scatter(epochs, wer);
            line.LegendText = run.Name;
            line.Color = ScottPlot.Color.FromHex(StreamStyle.ForHead(head));
            if (run.Config.Seed != runs[0].Config.Seed) line.LinePattern = ScottPlot.LinePattern.Dashed;
            for (int i = 0; i < epochs.Length; i++) csv.Append(FormattableString.Invariant($"{run.Name},{head},{epochs[i]},{wer[i]:F2}\n"));
        }
        plt.Axes.Bottom.Label.Text = "epoch";
        plt.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericFixedInterval(1);
        plt.Axes.Left.Label.Text = "dev WER % (validation beam)";
        plt.Title($"{corpus} {profile}: single-stream dev WER per epoch");
        // Lower left: WER starts high, so the curves leave that corner empty.
        plt.ShowLegend(ScottPlot.Alignment.LowerLeft);
        var png = Path.Combine(dir, name + ".png");
        plt.SavePng(png, 900, 450);
        Training.RunDirectory.WriteAtomic(Path.Combine(dir, name + ".csv"), csv.ToString());
        WriteMeta(dir, name, profile, madeBy, "single-stream dev WER per epoch");
        return png;
    }

    private static void WriteMeta(string dir, string name, string profile, string madeBy, string what)
    {
        var (ok, commit) = Doctor.Exec("git", $"-C \"{RepoPaths.Root}\" rev-parse --short HEAD");
        var meta = new Dictionary<string, string>
        {
            ["what"] = what,
            ["made_by"] = madeBy,
            ["profile"] = profile,
            ["commit"] = ok ? commit.Trim() : "unknown",
            ["date_utc"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ"),
            ["machine"] = $"{Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}",
        };
        Training.RunDirectory.WriteAtomic(Path.Combine(dir, name + ".meta.json"), JsonSerializer.Serialize(meta, new JsonSerializerOptions { WriteIndented = true }));
    }
}
