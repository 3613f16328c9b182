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

    /// <summary>Installs the assembly resolvers and the chart formatters; returns a one-line description of the backend.</summary>
    /// <remarks>This method touches only BCL types: the resolvers must be in place before the JIT compiles any
    /// method that references TorchSharp or Plotly, which happens in <see cref="InitCore"/>.</remarks>
    public static string Init()
    {
        if (Interlocked.Exchange(ref _initialised, 1) == 0) InstallResolvers();
        return InitCore();
    }

    private static int _formatters;

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static string InitCore()
    {
        if (Interlocked.Exchange(ref _formatters, 1) == 0)
        {
            // The first chart a kernel shows carries plotly.js (from Plotly.NET.dll); later ones use its global Plotly.
            Formatter.Register<Plotly.NET.GenericChart>((chart, w) => w.Write(WithPlotly(Plots.PlotlyLibrary.Fragment(chart))), HtmlFormatter.MimeType);
            Formatter.Register<HtmlView>((view, w) => w.Write(WithPlotly(view.Html)), HtmlFormatter.MimeType);
            Formatter.Register<HtmlView>((view, w) => w.Write(view.Text), PlainTextFormatter.MimeType);
            // Settings records a notebook shows as a result read as a table of settings, not as a C# record dump.
            Sheet<Translation.TranslationConfig>();
            Sheet<Translation.MBartConfig>();
            Sheet<Reproduction.ReproductionCard>(card => $"card {card.Id}: {card.Title}");
            Sheet<Training.TrainingConfig>();
            Sheet<Models.ModelConfig>();
            Sheet<Data.InputConfig>();
        }
        return "SignNotebooks " + typeof(NotebookSetup).Assembly.GetName().Version + " | " + Util.TorchInfo.Describe() +
               " | profile " + NotebookParameters.Profile();
    }

    private static void Sheet<T>(Func<T, string>? caption = null) where T : class
    {
        Formatter.Register<T>((value, w) => w.Write(Plots.PropertySheet.View(value, caption?.Invoke(value)).Html), HtmlFormatter.MimeType);
        Formatter.Register<T>((value, w) => w.Write(Plots.PropertySheet.View(value, caption?.Invoke(value)).Text), PlainTextFormatter.MimeType);
    }

    private static string WithPlotly(string html) =>
        Plots.PlotlyLibrary.OncePerKernel(html, Microsoft.DotNet.Interactive.KernelInvocationContext.Current?.HandlingKernel?.RootKernel);

    /// <summary>
    /// A kernel that `#r`s SignNotebooks.dll by path does not look for its dependencies (TorchSharp, Plotly.NET, ...)
    /// next to it, so resolve them from the library's own folder. And:
    /// the VS Code / Jupyter .NET Interactive kernels (1.0.712001, dotnet-repl 0.3.259) ship FSharp.Core 10.0 while
    /// Plotly.NET 6 is compiled against 10.1, so every chart call throws FileNotFoundException there. FSharp.Core is
    /// backwards compatible for what Plotly uses, so answer the request with the copy already loaded. The in-process
    /// runner hosts FSharp.Core 10.1 itself, where this handler never fires.
    /// </summary>
    internal static void InstallResolvers()
    {
        var library = typeof(NotebookSetup).Assembly;
        var libraryDir = Path.GetDirectoryName(library.Location)!;
        Assembly? Resolve(AssemblyLoadContext context, AssemblyName name)
        {
            var loaded = AppDomain.CurrentDomain.GetAssemblies()
                .Where(a => a.GetName().Name == name.Name)
                .OrderByDescending(a => a.GetName().Version)
                .FirstOrDefault();
            if (loaded is not null) return loaded; // e.g. FSharp.Core 10.0 answering a request for 10.1
            var candidate = Path.Combine(libraryDir, name.Name + ".dll");
            return File.Exists(candidate) ? context.LoadFromAssemblyPath(candidate) : null;
        }
        // Kernels load `#r` assemblies into their own load context; listen there as well as on the default one.
        var own = AssemblyLoadContext.GetLoadContext(library) ?? AssemblyLoadContext.Default;
        own.Resolving += Resolve;
        if (own != AssemblyLoadContext.Default) AssemblyLoadContext.Default.Resolving += Resolve;
        AppDomain.CurrentDomain.AssemblyResolve += (_, e) => Resolve(own, new AssemblyName(e.Name));
    }
}

/// <summary>A rich HTML result (table, figure, card) with a plain-text fallback for terminals and logs.</summary>
public sealed record HtmlView(string Html, string Text)
{
    public override string ToString() => Text;
}
