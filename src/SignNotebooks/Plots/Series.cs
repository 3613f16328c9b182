using Microsoft.FSharp.Core;
using Plotly.NET;

namespace SignNotebooks.Plots;

/// <summary>A named (x, y) series, e.g. one head's loss per step.</summary>
public sealed record XySeries(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y, string? Color = null);

/// <summary>Interactive line charts (Plotly.NET) for notebooks.</summary>
public static class Lines
{
    /// <summary>One line per series, coloured by <see cref="StreamStyle.ForHead"/> unless a colour is given.</summary>
    public static GenericChart Chart(string title, string xTitle, string yTitle, IEnumerable<XySeries> series)
    {
        var charts = series.Select(s =>
            Plotly.NET.CSharp.Chart.Line<double, double, string>(x: s.X.ToArray(), y: s.Y.ToArray(), Name: s.Name,
                LineColor: Color.fromString(s.Color ?? StreamStyle.ForHead(s.Name)))).ToArray();
        var combined = Plotly.NET.CSharp.GenericChartExtensions.WithYAxisStyle<double, double, string>(
            Plotly.NET.CSharp.GenericChartExtensions.WithXAxisStyle<double, double, string>(
                Plotly.NET.CSharp.Chart.Combine(charts), TitleText: xTitle),
            TitleText: yTitle);
        return Plotly.NET.Chart.withTitle(title, FSharpOption<Font>.None).Invoke(combined);
    }
}
