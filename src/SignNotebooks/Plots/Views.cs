using Microsoft.AspNetCore.Html;
using Plotly.NET;

namespace SignNotebooks.Plots;

/// <summary>Small display helpers so one notebook cell can show several results.</summary>
public static class Views
{
    /// <summary>Several interactive charts one under the other, as one HTML result.</summary>
    public static HtmlString Stack(IEnumerable<GenericChart> charts) =>
        new(string.Concat(charts.Select(c => "<div>" + GenericChart.toChartHTML(c) + "</div>")));

    /// <summary>A PNG file (e.g. a figure just written to figures/) inlined as an image.</summary>
    public static HtmlString Png(string path, int? width = null) =>
        new($"<img src=\"data:image/png;base64,{Convert.ToBase64String(File.ReadAllBytes(path))}\"{(width is int w ? $" width=\"{w}\"" : "")}/>");
}
