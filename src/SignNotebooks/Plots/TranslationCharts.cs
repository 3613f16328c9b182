using Plotly.NET;
using SignNotebooks.Translation;

namespace SignNotebooks.Plots;

/// <summary>Translation views: the decoder's cross-attention as a word × source-position heatmap.</summary>
public static class TranslationCharts
{
    /// <summary>One row per generated word, one column per encoder position (glosses or 4-frame feature steps).</summary>
    public static GenericChart CrossAttention(CrossAttentionMap map)
    {
        // Plotly draws the first row at the bottom; reverse so the sentence reads top to bottom.
        var z = map.Weights.Reverse().ToArray();
        var y = map.Target.Select((w, i) => $"{i + 1}. {Label(w)}").Reverse().ToArray();
        var chart = Plotly.NET.CSharp.Chart.Heatmap<double, string, string, string>(zData: z, X: map.Source.Select(Label).ToArray(), Y: y,
            ColorScale: StyleParam.Colorscale.Viridis);
        var title = $"{map.System} · {map.Name}: cross-attention (last decoder layer, mean over heads)<br><sub>ref: {map.Reference}<br>hyp: {map.Hypothesis}</sub>";
        return Plotly.NET.Chart.withTitle(title, Microsoft.FSharp.Core.FSharpOption<Font>.None).Invoke(chart);
    }

    // Plotly reads labels as HTML: "</s>" would vanish.
    private static string Label(string token) => token.Replace("<", "‹").Replace(">", "›");

    /// <summary>Dev BLEU-4 after each epoch, one line per run (the curve that selects the best checkpoint, spec §8.4).</summary>
    public static GenericChart DevBleu(IEnumerable<Analysis.TranslationExperiment> runs) =>
        Lines.Chart("Dev BLEU-4 per epoch", "epoch", "BLEU-4", runs.Select(r =>
        {
            var epochs = r.Epochs;
            var x = epochs["epoch"].Cast<object>().Select(Convert.ToDouble).ToList();
            var y = epochs["dev_bleu4"].Cast<object>().Select(Convert.ToDouble).ToList();
            return new XySeries(r.Name, x, y, StreamStyle.ForHead(r.Name.Replace("s2t-", "")));
        }).ToArray());
}
