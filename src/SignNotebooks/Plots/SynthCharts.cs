using Plotly.NET;
using SignNotebooks.Synthetic;
using CS = Plotly.NET.CSharp;

namespace SignNotebooks.Plots;

/// <summary>
/// Interactive (Plotly.NET) view of a SynthSign clip's keypoint failure mode: the true speed of each hand per
/// frame, the frames where the detector missed that hand, and the gloss segments (ground truth) along the
/// bottom. Fast movements are where misses cluster.
/// </summary>
public static class SynthCharts
{
    public static GenericChart HandSpeed(SynthClip clip)
    {
        int T = clip.FrameCount;
        double unit = clip.Signer.HandLength * clip.Height;
        var frames = Enumerable.Range(0, T).ToArray();
        var charts = new List<GenericChart>();
        string[] names = ["left hand", "right hand"];
        string[] colors = ["#2878ff", "#ff3c3c"];
        for (int h = 0; h < 2; h++)
        {
            var speed = frames.Select(t => clip.HandSpeed[t * 2 + h] / unit).ToArray();
            charts.Add(CS.Chart.Line<int, double, string>(frames, speed, Name: $"{names[h]} speed", LineColor: Color.fromHex(colors[h])));
            int start = h == 0 ? SynthLayout.LeftHandStart : SynthLayout.RightHandStart;
            var missed = frames.Where(t => clip.DetectedKeypoints[(t * SynthLayout.Count + start) * 3 + 2] == 0).ToArray();
            if (missed.Length > 0)
                charts.Add(CS.Chart.Point<int, double, string>(missed, missed.Select(t => speed[t]), Name: $"{names[h]} missed by detector",
                    MarkerColor: Color.fromHex(colors[h]), MarkerSymbol: StyleParam.MarkerSymbol.X));
        }
        foreach (var (g, (s, e)) in clip.GlossSpans().Select((span, g) => (g, span)))
        {
            if (s < 0) continue;
            charts.Add(CS.Chart.Line<int, double, string>([s, e], [-0.08, -0.08], Name: clip.Glosses[g], ShowLegend: false,
                LineColor: Color.fromHex(SynthViews.Palette(g)), LineWidth: 12,
                MultiText: new[] { clip.Glosses[g], "" }, TextPosition: StyleParam.TextPosition.TopRight));
        }
        return CS.GenericChartExtensions.WithYAxisStyle<double, double, string>(
            CS.GenericChartExtensions.WithXAxisStyle<int, int, string>(CS.Chart.Combine(charts), TitleText: "frame"),
            TitleText: "true speed (hand lengths per frame)");
    }

    /// <summary>The chart as a standalone HTML page (plotly.js from its CDN).</summary>
    public static string HandSpeedHtml(SynthClip clip) => PlotlyLibrary.Page(clip.Name + ": hand speed", [HandSpeed(clip)]);
}
