using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SignNotebooks.Notebooks;
using SignNotebooks.Plots;
using SkiaSharp;

namespace SignNotebooks.Tests.Notebooks;

/// <summary>
/// Charts render with no network: an executed notebook carries plotly.js once (from Plotly.NET.dll), and its HTML
/// export, opened in a real headless chromium without networking, draws every chart.
/// </summary>
[Collection("notebooks")]
public partial class OfflineChartTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "signnb-charts-" + Guid.NewGuid().ToString("N"));

    public void Dispose() { try { Directory.Delete(_dir, true); } catch (IOException) { } }

    [Fact]
    public void The_library_comes_from_the_Plotly_NET_package()
    {
        Assert.Matches(@"^\d+\.\d+\.\d+$", PlotlyLibrary.Version);
        Assert.Contains("plotly.js v" + PlotlyLibrary.Version, PlotlyLibrary.Source[..2000]);
        Assert.True(PlotlyLibrary.Source.Length > 1_000_000, $"{PlotlyLibrary.Source.Length} characters: not the full bundle");
        Assert.DoesNotContain("</script", PlotlyLibrary.Source, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Each_kernel_is_sent_the_library_once()
    {
        var chart = PlotlyLibrary.Fragment(Chart("video"));
        object kernelA = new(), kernelB = new();
        Assert.StartsWith(PlotlyLibrary.ScriptElement(), PlotlyLibrary.OncePerKernel(chart, kernelA));
        Assert.Equal(chart, PlotlyLibrary.OncePerKernel(chart, kernelA));
        Assert.StartsWith(PlotlyLibrary.ScriptElement(), PlotlyLibrary.OncePerKernel(chart, kernelB));
        Assert.StartsWith(PlotlyLibrary.ScriptElement(), PlotlyLibrary.OncePerKernel(chart, null)); // no kernel: self-contained
        Assert.Equal("<b>table</b>", PlotlyLibrary.OncePerKernel("<b>table</b>", new object())); // no chart, no library
    }

    /// <summary>A notebook with a chart and a stack of two charts, executed by the runner.</summary>
    private async Task<NotebookRun> RunChartNotebook()
    {
        var path = NotebookBuilder.Standard()
            .Markdown("## Loss\nA *line* chart.")
            .Code("using SignNotebooks.Plots;\n" + ChartCode("video"))
            .Code("Views.Stack(new[] { " + ChartCode("keypoint") + ", " + ChartCode("joint") + " })")
            .Write(_dir, "01_charts.ipynb");
        var run = await new NotebookRunner(Path.Combine(_dir, "out"), TextWriter.Null).RunAsync(path);
        Assert.True(run.Ok, run.Failed?.Error);
        return run;
    }

    private static string ChartCode(string head) =>
        $"Lines.Chart(\"{head} loss\", \"step\", \"loss\", new[] {{ new XySeries(\"{head}\", new double[] {{ 0, 1, 2, 3, 4 }}, new double[] {{ 4, 2.5, 1.8, 1.2, 1.0 }}) }})";

    private static Plotly.NET.GenericChart Chart(string head) =>
        Lines.Chart(head, "step", "loss", [new XySeries(head, [0, 1, 2, 3], [3, 2, 1.5, 1])]);

    /// <summary>The text/html of every output of an executed notebook, in order.</summary>
    private static List<string> OutputHtml(string ipynb) =>
        JsonNode.Parse(File.ReadAllText(ipynb))!["cells"]!.AsArray()
            .SelectMany(c => c!["outputs"]?.AsArray() ?? [])
            .Select(o => o?["data"]?["text/html"]).Where(h => h is not null)
            .Select(h => string.Concat(h!.AsArray().Select(l => l!.GetValue<string>()))).ToList();

    [GeneratedRegex(@"Plotly\.newPlot\('([0-9a-f-]+)'")]
    private static partial Regex NewPlot();

    [GeneratedRegex(@"<svg[^>]*class=""main-svg""")]
    private static partial Regex MainSvg();

    private static List<string> ChartIds(string html) => NewPlot().Matches(html).Select(m => m.Groups[1].Value).Distinct().ToList();

    /// <summary>Does the chart div <paramref name="id"/> hold an svg.main-svg (drawn before its own script follows)?</summary>
    private static bool Drawn(string dom, string id)
    {
        int start = dom.IndexOf($"id=\"{id}\"", StringComparison.Ordinal);
        if (start < 0) return false;
        int end = dom.IndexOf("<script", start, StringComparison.Ordinal);
        return MainSvg().IsMatch(end < 0 ? dom[start..] : dom[start..end]);
    }

    [Fact]
    public async Task Executed_notebook_carries_plotly_js_once_before_its_first_chart_and_no_remote_script()
    {
        var run = await RunChartNotebook();
        var outputs = OutputHtml(run.OutputPath);
        var withLibrary = outputs.Select((o, i) => (o, i)).Where(x => x.o.Contains(PlotlyLibrary.ScriptId)).Select(x => x.i).ToList();
        Assert.Single(withLibrary);
        Assert.Equal(outputs.FindIndex(o => o.Contains("Plotly.newPlot(")), withLibrary[0]); // before the first chart
        var all = string.Concat(outputs);
        Assert.Equal(3, ChartIds(all).Count);
        Assert.DoesNotMatch(@"<script[^>]+src=", all);
        Assert.DoesNotContain("requirejs", all);

        var page = Path.ChangeExtension(run.OutputPath, ".html");
        var html = File.ReadAllText(page);
        Assert.Single(Regex.Matches(html, PlotlyLibrary.ScriptId));
        Assert.Contains("<em>line</em>", html); // markdown rendered
        Assert.DoesNotMatch(@"<(script|img|link)[^>]+(src|href)=""(https?:)?//", html);
    }

    [Fact]
    public async Task Chromium_offline_draws_every_chart_of_the_HTML_export_and_nothing_without_plotly_js()
    {
        var run = await RunChartNotebook();
        var page = Path.ChangeExtension(run.OutputPath, ".html");
        var html = File.ReadAllText(page);
        var ids = ChartIds(html);
        Assert.Equal(3, ids.Count);

        var dom = HeadlessChromium.DumpDom(page);
        var blank = ids.Where(id => !Drawn(dom, id)).ToList();
        Assert.True(blank.Count == 0, $"{blank.Count} of {ids.Count} chart divs hold no svg.main-svg in {page}");

        // The same page without the library: the check above must then fail, for every chart.
        var stripped = html.Replace(PlotlyLibrary.ScriptElement(), "");
        Assert.NotEqual(html.Length, stripped.Length);
        var strippedPage = Path.Combine(_dir, "no-plotly.html");
        File.WriteAllText(strippedPage, stripped);
        var strippedDom = HeadlessChromium.DumpDom(strippedPage);
        Assert.All(ids, id => Assert.False(Drawn(strippedDom, id), $"chart {id} drawn without plotly.js"));
    }

    [Fact]
    public async Task A_screenshot_of_a_chart_is_not_blank()
    {
        var run = await RunChartNotebook();
        // The first chart output of the executed notebook (it carries the library), alone on a page.
        var chartOutput = OutputHtml(run.OutputPath).First(h => h.Contains("Plotly.newPlot("));
        var page = Path.Combine(_dir, "chart.html");
        File.WriteAllText(page, "<!DOCTYPE html><html><body style=\"margin:0;background:#fff\">" + chartOutput + "</body></html>");
        using var bitmap = SKBitmap.Decode(HeadlessChromium.Screenshot(page, 640, 480));
        var (variance, coloured) = LumaStats(bitmap);
        // A white page has variance 0; a drawn chart has a grey plot area, grid, axes text and a coloured line.
        Assert.True(variance > 100, $"luma variance {variance:F1}: the chart screenshot is blank");
        Assert.True(coloured > 50, $"{coloured} strongly coloured pixels: no trace drawn");
    }

    /// <summary>Variance of the pixels' luma, and how many pixels are saturated colour (a trace, not grey).</summary>
    private static (double Variance, int Coloured) LumaStats(SKBitmap bitmap)
    {
        double sum = 0, sum2 = 0;
        int coloured = 0, n = bitmap.Width * bitmap.Height;
        for (int y = 0; y < bitmap.Height; y++)
            for (int x = 0; x < bitmap.Width; x++)
            {
                var c = bitmap.GetPixel(x, y);
                double luma = 0.299 * c.Red + 0.587 * c.Green + 0.114 * c.Blue;
                sum += luma; sum2 += luma * luma;
                if (Math.Max(c.Red, Math.Max(c.Green, c.Blue)) - Math.Min(c.Red, Math.Min(c.Green, c.Blue)) > 80) coloured++;
            }
        double mean = sum / n;
        return (sum2 / n - mean * mean, coloured);
    }
}
