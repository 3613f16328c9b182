using System.Reflection;
using System.Runtime.CompilerServices;
using Plotly.NET;

namespace SignNotebooks.Plots;

/// <summary>
/// plotly.js as Plotly.NET ships it (an embedded resource of Plotly.NET.dll, no CDN), so that charts render offline:
/// a notebook carries the library once, in the output of its first chart, and every later chart calls the global
/// <c>Plotly</c> it defines (VS Code and JupyterLab run the outputs of one notebook in one page, so do HTML exports).
/// </summary>
public static class PlotlyLibrary
{
    private static readonly Lazy<(string Version, string Source)> Bundle = new(Load);

    /// <summary>The plotly.js version inside Plotly.NET.dll, e.g. 2.28.0.</summary>
    public static string Version => Bundle.Value.Version;

    /// <summary>The minified library, as shipped.</summary>
    public static string Source => Bundle.Value.Source;

    /// <summary>Marks the script element that defines <c>Plotly</c>; also what tests count.</summary>
    public const string ScriptId = "signnb-plotlyjs";

    /// <summary>
    /// The library as one inline script element. define/module/exports are shadowed so its UMD header sets
    /// <c>window.Plotly</c> even in a page that has loaded require.js (classic Jupyter does).
    /// </summary>
    public static string ScriptElement() =>
        $"<script type=\"text/javascript\" id=\"{ScriptId}\" data-plotly-version=\"{Version}\">" +
        "(function(define, module, exports) {\n" + Source + "\n}).call(window);</script>";

    /// <summary>One chart as an HTML fragment (a div and the script that draws it), without the library.</summary>
    public static string Fragment(GenericChart chart) => GenericChart.toChartHTML(chart);

    /// <summary>Does this HTML draw a Plotly chart (and so need the library)?</summary>
    public static bool DrawsCharts(string html) => html.Contains("Plotly.newPlot(", StringComparison.Ordinal);

    /// <summary>A self-contained page of some charts (what `synth preview` writes next to its clips).</summary>
    public static string Page(string title, IEnumerable<GenericChart> charts) =>
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + System.Net.WebUtility.HtmlEncode(title) + "</title>" +
        ScriptElement() + "</head><body>" + string.Concat(charts.Select(Fragment)) + "</body></html>";

    // The kernels (one per notebook in the runner, VS Code's, Jupyter's) that have already been sent the library.
    private static readonly ConditionalWeakTable<object, object> Sent = new();

    /// <summary>
    /// <paramref name="html"/> with the library in front when it draws charts and <paramref name="kernel"/> has not
    /// been sent the library yet; outside a kernel (<paramref name="kernel"/> null) every chart carries it.
    /// </summary>
    public static string OncePerKernel(string html, object? kernel)
    {
        if (!DrawsCharts(html)) return html;
        if (kernel is not null && !Sent.TryAdd(kernel, new object())) return html;
        return ScriptElement() + html;
    }

    private static (string, string) Load()
    {
        var assembly = typeof(GenericChart).Assembly;
        var name = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("Plotly.NET.plotly-", StringComparison.Ordinal) && n.EndsWith(".min.js", StringComparison.Ordinal))
            .OrderBy(n => n, StringComparer.Ordinal).LastOrDefault()
            ?? throw new InvalidOperationException($"{assembly.Location} has no embedded plotly-*.min.js resource. " +
                "Fix: restore the Plotly.NET version pinned in Directory.Packages.props (environment/setup.sh).");
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        var source = reader.ReadToEnd();
        // An inline script ends at the first "</script"; the shipped bundle has none, keep it that way.
        source = source.Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase);
        return (name["Plotly.NET.plotly-".Length..^".min.js".Length], source);
    }
}
