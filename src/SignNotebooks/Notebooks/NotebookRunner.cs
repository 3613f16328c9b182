using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Events;

namespace SignNotebooks.Notebooks;

/// <summary>How one code cell went.</summary>
/// <param name="OutcomeFailed">The cell failed only an outcome check (<see cref="NotebookOutcomeFailedException"/>): the run went
/// on past it.</param>
public sealed record CellRun(int CellIndex, int CodeCellNumber, bool Ok, TimeSpan Elapsed, string? Error, bool OutcomeFailed = false);

/// <summary>How one notebook went; <see cref="OutputPath"/> is the executed copy with outputs (and its page, .html, beside it).</summary>
public sealed record NotebookRun(string Notebook, string OutputPath, IReadOnlyList<CellRun> Cells, TimeSpan Elapsed)
{
    public bool Ok => Cells.All(c => c.Ok);
    public CellRun? Failed => Cells.FirstOrDefault(c => !c.Ok);
    /// <summary>Every failed cell failed an outcome check only, so the notebook ran to its end.</summary>
    public bool OnlyOutcomesFailed => !Ok && Cells.Where(c => !c.Ok).All(c => c.OutcomeFailed);
}

/// <summary>
/// Executes `.ipynb` notebooks in-process with a fresh .NET Interactive C# kernel per notebook (no Jupyter, no
/// external tool), stops at the first failing cell (except a failed outcome check, which is recorded and passed), and writes an executed copy with outputs (HTML charts,
/// tables, text) to <c>outputDir</c>. Parameters reach the notebook as SIGNNB_* environment variables
/// (<see cref="NotebookParameters"/>), and relative paths resolve against the notebook's folder as in VS Code.
/// </summary>
public sealed class NotebookRunner(string outputDir, TextWriter log, IReadOnlyDictionary<string, string>? parameters = null)
{
    // TorchSharp and Console capture are process-global: never run two notebooks at once.
    private static readonly SemaphoreSlim Gate = new(1, 1);

    /// <summary>Redraw the running cell's line on a terminal (elapsed and ETA every second); false: a line every <see cref="QuietInterval"/>.</summary>
    public bool LiveProgress { get; init; }

    /// <summary>Without a terminal, how often a running cell reports its elapsed time (default 30 s).</summary>
    public TimeSpan QuietInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>On a terminal, how often the running cell's line is redrawn (default 1 s).</summary>
    public TimeSpan LiveInterval { get; init; } = TimeSpan.FromSeconds(1);

    public async Task<NotebookRun> RunAsync(string path, CancellationToken cancel = default)
    {
        await Gate.WaitAsync(cancel);
        var oldDir = Environment.CurrentDirectory;
        var oldEnv = new Dictionary<string, string?>();
        try
        {
            foreach (var (k, v) in parameters ?? new Dictionary<string, string>())
            {
                var name = NotebookParameters.VariableName(k);
                oldEnv[name] = Environment.GetEnvironmentVariable(name);
                Environment.SetEnvironmentVariable(name, v);
            }
            Environment.CurrentDirectory = Path.GetDirectoryName(Path.GetFullPath(path))!;
            return await RunCoreAsync(Path.GetFullPath(path), cancel);
        }
        finally
        {
            Environment.CurrentDirectory = oldDir;
            foreach (var (k, v) in oldEnv) Environment.SetEnvironmentVariable(k, v);
            Gate.Release();
        }
    }

    /// <summary>The kernel wraps the exception in its own message text, so the cell is recognised by the exception's prefix.</summary>
    public static bool IsOutcomeFailure(string error) =>
        error.Contains(NotebookOutcomeFailedException.OutcomePrefix, StringComparison.Ordinal);

    /// <summary>The claim that failed, without the kernel's type name and stack trace.</summary>
    public static string OutcomeText(string error)
    {
        int i = error.IndexOf(NotebookOutcomeFailedException.OutcomePrefix, StringComparison.Ordinal);
        var text = i < 0 ? error : error[(i + NotebookOutcomeFailedException.OutcomePrefix.Length)..];
        return text.Split('\n')[0].Trim();
    }

    private async Task<NotebookRun> RunCoreAsync(string path, CancellationToken cancel)
    {
        var nb = NotebookFile.Load(path);
        var total = Stopwatch.StartNew();
        var runs = new List<CellRun>();
        var cellsJson = nb.Json["cells"]!.AsArray();
        var codeCells = nb.Cells.Where(c => c.Kind == "code").ToList();
        using var kernel = new CompositeKernel { new CSharpKernel().UseKernelHelpers() };
        kernel.DefaultKernelName = "csharp";
        int executionCount = 0;
        var profile = NotebookParameters.Get("profile", "tiny"); // RunAsync has set the parameters' variables
        var outPath = Path.Combine(outputDir, nb.FileName);
        var previous = CellTimings.Read(outPath, profile);
        foreach (var cell in codeCells)
        {
            cancel.ThrowIfCancellationRequested();
            int number = ++executionCount;
            var sw = Stopwatch.StartNew();
            KernelCommandResult result;
            string? error;   // the cell's failure message, read once: the progress line and the record below use it
            bool outcome;    // a failed outcome check (the run goes on) rather than an error (the run stops)
            using (var line = new CellProgressLine(log, $"  [{nb.FileName}] cell {number}/{codeCells.Count} ... ", previous.TryGetValue(cell.Index, out var last) ? last : null,
                       LiveProgress, LiveProgress ? LiveInterval : QuietInterval, () => sw.Elapsed))
            {
                result = await kernel.SendAsync(new SubmitCode(PointLibraryReference(cell.Source)), cancel);
                sw.Stop();
                error = result.Events.OfType<CommandFailed>().FirstOrDefault()?.Message;
                outcome = error is not null && IsOutcomeFailure(error);
                line.Finish(error is null ? $"ok ({sw.Elapsed.TotalSeconds:F1} s)"
                    : outcome ? $"OUTCOME CHECK FAILED ({sw.Elapsed.TotalSeconds:F1} s), going on: {OutcomeText(error)}" : "FAILED");
            }
            var outputs = new JsonArray();
            foreach (var e in result.Events)
            {
                switch (e)
                {
                    case CommandFailed f:
                        outputs.Add(new JsonObject
                        {
                            ["output_type"] = "error",
                            ["ename"] = f.Exception?.GetType().Name ?? "Error",
                            ["evalue"] = f.Message,
                            ["traceback"] = new JsonArray(),
                        });
                        break;
                    case StandardOutputValueProduced o:
                        outputs.Add(Stream("stdout", o));
                        break;
                    case StandardErrorValueProduced o:
                        outputs.Add(Stream("stderr", o));
                        break;
                    case ReturnValueProduced r:
                        var er = Display(r, "execute_result");
                        er["execution_count"] = number;
                        outputs.Add(er);
                        break;
                    case DisplayEvent d when d is DisplayedValueProduced or DisplayedValueUpdated:
                        outputs.Add(Display(d, "display_data"));
                        break;
                }
            }
            var cj = cellsJson[cell.Index]!.AsObject();
            cj["outputs"] = outputs;
            cj["execution_count"] = number;
            if (error is null) CellTimings.Write(cj, profile, sw.Elapsed);
            runs.Add(new CellRun(cell.Index, number, error is null, sw.Elapsed, error, outcome));
            if (error is not null && !outcome) break;
        }
        Directory.CreateDirectory(outputDir);
        var tmp = outPath + ".tmp";
        await File.WriteAllTextAsync(tmp, nb.Json.ToJsonString(NotebookFile.JsonOptions), cancel);
        File.Move(tmp, outPath, overwrite: true);
        NotebookHtml.Write(outPath); // NN_topic.html beside it: the same outputs, for any browser
        return new NotebookRun(path, outPath, runs, total.Elapsed);
    }

    /// <summary>
    /// The set-up cell references the library's Release build by a path relative to notebooks/ (what VS Code needs);
    /// in-process, the host has already loaded the library, so point the reference at that very file to keep one
    /// copy of every type (and to work from a Debug build too).
    /// </summary>
    internal static string PointLibraryReference(string source) =>
        System.Text.RegularExpressions.Regex.Replace(source, "#r\\s+\"[^\"]*SignNotebooks\\.dll\"",
            "#r \"" + typeof(NotebookRunner).Assembly.Location + "\"");

    private static JsonObject Stream(string name, DisplayEvent e) => new()
    {
        ["output_type"] = "stream",
        ["name"] = name,
        ["text"] = NotebookFile.ToSourceLines(string.Concat(e.FormattedValues.Where(v => v.MimeType == "text/plain").Select(v => v.Value))),
    };

    private static JsonObject Display(DisplayEvent e, string type)
    {
        var data = new JsonObject();
        foreach (var v in e.FormattedValues)
            data[v.MimeType] = NotebookFile.ToSourceLines(v.Value ?? "");
        return new JsonObject { ["output_type"] = type, ["data"] = data, ["metadata"] = new JsonObject() };
    }
}
