using System.Net;
using System.Text;
using SignNotebooks.Notebooks;
using Plotly.NET;
using SignNotebooks.Analysis;
using SignNotebooks.Data;

namespace SignNotebooks.Plots;

/// <summary>The alignment explorer's views: posteriors as frame × gloss heatmaps, and CTC spans against the truth.</summary>
public static class AlignmentCharts
{
    /// <summary>Posterior probability of blank and of each gloss of the clip, per frame, for one head.</summary>
    public static GenericChart Posteriors(ClipPosteriors p, string head, Vocabulary vocabulary)
    {
        var (lp, steps) = p.Heads[head];
        int f = p.FramesPerStep(head);
        var ids = new List<int> { vocabulary.BlankId };
        foreach (var id in vocabulary.Encode(p.Clip.Glosses)) if (!ids.Contains(id)) ids.Add(id);
        var z = ids.Select(id => Enumerable.Range(0, steps).Select(t => Math.Exp(lp[t * p.Vocab + id])).ToArray()).ToArray();
        var x = Enumerable.Range(0, steps).Select(t => (double)(t * f)).ToArray();
        var y = ids.Select(id => id == vocabulary.BlankId ? "(blank)" : vocabulary.Decode(id)).ToArray();
        var chart = Plotly.NET.CSharp.Chart.Heatmap<double, double, string, string>(zData: z, X: x, Y: y,
            ColorScale: StyleParam.Colorscale.Viridis);
        return Plotly.NET.Chart.withTitle($"{head}: posteriors per frame (first frame of each step)", Microsoft.FSharp.Core.FSharpOption<Font>.None).Invoke(chart);
    }

    /// <summary>
    /// The true gloss timeline, then each head's forced-aligned CTC spans on the same frame axis. On a real corpus
    /// the truth row says why it is missing; the heads' spans are drawn all the same.
    /// </summary>
    public static HtmlView Spans(ClipPosteriors p, Vocabulary vocabulary, IEnumerable<string> heads, int widthPx = 720)
    {
        int frames = p.SampledFrames;
        var sb = new StringBuilder("<div style=\"font-family:sans-serif;font-size:12px\">");
        sb.Append($"<b>{WebUtility.HtmlEncode(p.Clip.Name)}</b>: {WebUtility.HtmlEncode(string.Join(' ', p.Clip.Glosses))}<br/>");
        if (p.Truth is null) sb.Append($"<div>truth: {WebUtility.HtmlEncode(p.TruthMissing)}</div>");
        else Row(sb, "truth", widthPx, frames, Truth(p, frames));
        foreach (var h in heads.Where(p.Heads.ContainsKey))
        {
            var spans = AlignmentAnalysis.AlignedSpans(p, h, vocabulary);
            if (spans is null) { sb.Append($"<div>{h}: the reference does not fit in {p.Heads[h].Steps} steps</div>"); continue; }
            Row(sb, h, widthPx, frames, spans.Select(s => (s.Gloss, s.Start, Math.Min(s.End, frames))).ToList());
        }
        return new HtmlView(sb.Append("</div>").ToString(), $"alignment spans of {p.Clip.Name}");
    }

    private static List<(int Gloss, int Start, int End)> Truth(ClipPosteriors p, int frames) =>
        p.Truth!.GlossSpans().Select((s, g) => (g, s.Start, Math.Min(s.End + 1, frames))).Where(s => s.Start >= 0 && s.Start < frames).ToList();

    private static void Row(StringBuilder sb, string label, int widthPx, int frames, IReadOnlyList<(int Gloss, int Start, int End)> spans)
    {
        sb.Append($"<div style=\"display:flex;align-items:center;margin:2px 0\"><div style=\"width:110px\">{WebUtility.HtmlEncode(label)}</div>");
        sb.Append($"<div style=\"position:relative;width:{widthPx}px;height:22px;background:#eee\">");
        foreach (var (g, start, end) in spans)
        {
            double left = 100.0 * start / frames, width = Math.Max(0.6, 100.0 * (end - start) / frames);
            sb.Append($"<div title=\"gloss {g + 1}: frames {start}–{end - 1}\" style=\"position:absolute;left:{left:F2}%;width:{width:F2}%;height:22px;" +
                      $"background:{SynthViews.Palette(g)};border:1px solid #555;box-sizing:border-box;font-size:10px;text-align:center\">{g + 1}</div>");
        }
        sb.Append("</div></div>");
    }
}
