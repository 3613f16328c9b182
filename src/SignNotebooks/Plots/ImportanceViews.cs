using System.Globalization;
using Plotly.NET;
using SignNotebooks.Importance;

namespace SignNotebooks.Plots;

/// <summary>Tables and charts of the keypoint-importance study (notebook 08).</summary>
public static class ImportanceViews
{
    private static readonly string[] PartColors = ["#d62728", "#1f77b4", "#ff7f0e", "#9467bd", "#7f7f7f"];
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The dictionary sheet: one row per gloss, one column per articulator.</summary>
    public static ResultTable DictionarySheet(SignDictionary dictionary, string source) => new(
        $"Sign dictionary: weight of each articulator per gloss ({source})",
        ["gloss", .. ArticulatorParts.Names],
        dictionary.Glosses.Order(StringComparer.Ordinal)
            .Select(g => (IReadOnlyList<string>)[g, .. dictionary.Weights(g).Select(w => w == 0 ? "·" : w.ToString("0.##", Inv))])
            .ToList());

    /// <summary>Per split and part: the estimator's frame accuracy next to the majority-label baseline.</summary>
    public static ResultTable Accuracy(IEnumerable<ImportanceReport> reports)
    {
        var list = reports.ToList();
        var source = list.Select(r => r.Source).Distinct().Single();
        var trained = list.Select(r => r.TrainedOn).Distinct().Single();
        return new ResultTable(
            $"Importance estimator trained on targets from {Describe(trained)}: frame accuracy % of (p > 0.5) against targets from {Describe(source)}; baseline = the part's majority label on train",
            ["split", "part", "frames", "important %", "estimator %", "baseline %", "mean |p − target|"],
            list.SelectMany(r => r.Parts.Select(p => (IReadOnlyList<string>)[
                r.Split, p.Part, r.Frames.ToString(Inv), p.PositiveRate.ToString("F1", Inv), p.Accuracy.ToString("F1", Inv),
                p.BaselineAccuracy.ToString("F1", Inv), p.MeanAbsError.ToString("F3", Inv)])).ToList());
    }

    /// <summary>Importance over one clip's frames: targets (top) and the estimator's prediction (bottom), one line per part.</summary>
    public static Notebooks.HtmlView Timeline(string title, ImportanceTargets targets, float[,] predicted)
    {
        var frames = Enumerable.Range(0, targets.Frames).Select(t => (double)t).ToArray();
        IEnumerable<XySeries> Series(Func<int, int, double> value, string suffix) => ArticulatorParts.Names.Select((name, k) =>
            new XySeries($"{name} {suffix}", frames, frames.Select(t => value((int)t, k)).ToArray(), PartColors[k]));
        var top = Lines.Chart($"{title}: targets ({Describe(targets.Source)})", "frame", "importance", Series((t, k) => targets.Values[t, k], "target"));
        var bottom = Lines.Chart($"{title}: estimator", "frame", "importance", Series((t, k) => predicted[t, k], "predicted"));
        return Views.Stack([top, bottom]);
    }

    /// <summary>The clip's frames with the detected skeleton and its gloss timeline, above <see cref="Timeline"/>.</summary>
    public static Notebooks.HtmlView ClipTimeline(Synthetic.SynthClip clip, ImportanceTargets targets, float[,] predicted)
    {
        var charts = Timeline($"{clip.Name}", targets, predicted);
        return new(SynthViews.ClipViewerHtml(clip, count: 8, compare: false) + charts.Html, $"{clip.Name}: {string.Join(' ', clip.Glosses)}");
    }

    public static string Describe(TargetSource source) => source switch
    {
        TargetSource.GroundTruthBoundaries => "the true gloss boundaries",
        TargetSource.CtcPseudoAlignment => "CTC pseudo-alignments",
        _ => source.ToString(),
    };
}
