using System.Reflection;
using System.Runtime.Loader;
using Microsoft.DotNet.Interactive.Formatting;

namespace SignNotebooks.Notebooks;

/// <summary>
/// What a notebook's set-up cell calls once, after `#r` of the library: makes charts display in every kernel
/// and reports the backend. Safe to call twice.
/// </summary>
public static class NotebookSetup
{
    private static int _initialised;

    /// <summary>Installs the FSharp.Core shim and the chart formatters; returns a one-line description of the backend.</summary>
    public static string Init()
    {
        if (Interlocked.Exchange(ref _initialised, 1) == 0)
        {
            InstallFSharpCoreShim();
            Formatter.Register<Plotly.NET.GenericChart>((chart, w) => w.Write(Plotly.NET.GenericChart.toChartHTML(chart)), HtmlFormatter.MimeType);
            Formatter.Register<HtmlView>((view, w) => w.Write(view.Html), HtmlFormatter.MimeType);
            Formatter.Register<HtmlView>((view, w) => w.Write(view.Text), PlainTextFormatter.MimeType);
        }
        return "SignNotebooks " + typeof(NotebookSetup).Assembly.GetName().Version + " | " + Util.TorchInfo.Describe() +
               " | profile " + NotebookParameters.Profile();
    }

    /// <summary>
    /// The VS Code / Jupyter .NET Interactive kernels (1.0.712001, dotnet-repl 0.3.259) ship FSharp.Core 10.0 while
    /// Plotly.NET 6 is compiled against 10.1, so every chart call throws FileNotFoundException there. FSharp.Core is
    /// backwards compatible for what Plotly uses, so answer the request with the copy already loaded. The in-process
    /// runner hosts FSharp.Core 10.1 itself, where this handler never fires.
    /// </summary>
    internal static void InstallFSharpCoreShim()
    {
        AssemblyLoadContext.Default.Resolving += (context, name) =>
        {
            if (name.Name != "FSharp.Core") return null;
            return AppDomain.CurrentDomain.GetAssemblies()
                .Where(a => a.GetName().Name == "FSharp.Core")
                .OrderByDescending(a => a.GetName().Version)
                .FirstOrDefault();
        };
    }
}

/// <summary>A rich HTML result (table, figure, card) with a plain-text fallback for terminals and logs.</summary>
public sealed record HtmlView(string Html, string Text)
{
    public override string ToString() => Text;
}
