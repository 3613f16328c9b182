using SignNotebooks.Notebooks;
using Plotly.NET;

namespace SignNotebooks.Plots;

/// <summary>Small display helpers so one notebook cell can show several results.</summary>
public static class Views
{
    /// <summary>Several interactive charts one under the other, as one HTML result.</summary>
    public static HtmlView Stack(IEnumerable<GenericChart> charts)
    {
        var list = charts.ToList();
        return new(string.Concat(list.Select(c => "<div>" + PlotlyLibrary.Fragment(c) + "</div>")), $"{list.Count} charts");
    }

    /// <summary>A PNG file (e.g. a figure just written to figures/) inlined as an image.</summary>
    public static HtmlView Png(string path, int? width = null) =>
        new($"<img src=\"data:image/png;base64,{Convert.ToBase64String(File.ReadAllBytes(path))}\"{(width is int w ? $" width=\"{w}\"" : "")}/>", path);
}
