using System.Diagnostics;

namespace SignNotebooks.Notebooks;

/// <summary>The outcome of running the numbered notebooks in order.</summary>
public sealed record WorkbookRun(string Profile, IReadOnlyList<NotebookRun> Notebooks, TimeSpan Elapsed)
{
    public bool Ok => Notebooks.All(n => n.Ok);
}

/// <summary>Runs `notebooks/NN_*.ipynb` in order at a profile; the engine behind `signnb workbook` and the notebook tests.</summary>
public static class Workbook
{
    /// <summary>
    /// A failed cell's error as the user should read it: a <see cref="Util.UserFacingException"/> is its message alone
    /// (it already names the problem and the fix), anything else the kernel's full text with its stack trace.
    /// </summary>
    public static string ErrorText(string error)
    {
        const string marker = "SignNotebooks.Util.UserFacingException: ";
        int i = error.IndexOf(marker, StringComparison.Ordinal);
        if (i < 0) return error;
        return string.Join('\n', error[(i + marker.Length)..].Split('\n')
            .TakeWhile(l => !l.StartsWith("   at ", StringComparison.Ordinal) && !l.StartsWith("--- End of", StringComparison.Ordinal))).TrimEnd();
    }

    /// <summary>Notebook paths selected by their two-digit prefixes (all when <paramref name="only"/> is empty).</summary>
    public static IReadOnlyList<string> Select(string folder, IReadOnlyCollection<string>? only)
    {
        var all = NotebookFile.List(folder);
        if (only is null || only.Count == 0) return all;
        var unknown = only.Where(o => !all.Any(p => Path.GetFileName(p).StartsWith(o + "_", StringComparison.Ordinal))).ToList();
        if (unknown.Count > 0)
            throw new Util.UserFacingException($"no notebook numbered {string.Join(", ", unknown)} in {folder}. " +
                $"Fix: use the prefixes of {string.Join(", ", all.Select(Path.GetFileName))}.");
        return all.Where(p => only.Any(o => Path.GetFileName(p).StartsWith(o + "_", StringComparison.Ordinal))).ToList();
    }

    /// <summary>
    /// Runs the notebooks; stops at the first one that fails with an error or a structural check. A notebook whose
    /// only failures are outcome checks ran to its end, and the run goes on (the result shows it as failed).
    /// </summary>
    /// <param name="parameters">More notebook parameters (e.g. dataset, data_root), passed like the profile.</param>
    /// <param name="liveProgress">Redraw the running cell's line every second (a terminal); false: a line every 30 s.</param>
    public static async Task<WorkbookRun> RunAsync(IReadOnlyList<string> notebooks, string profile, string outputDir, TextWriter log,
        CancellationToken cancel = default, IReadOnlyDictionary<string, string>? parameters = null, bool liveProgress = false)
    {
        if (!NotebookParameters.Profiles.Contains(profile))
            throw new Util.UserFacingException($"unknown profile '{profile}'. Fix: use one of {string.Join(", ", NotebookParameters.Profiles)}.");
        var sw = Stopwatch.StartNew();
        var all = new Dictionary<string, string>(parameters ?? new Dictionary<string, string>()) { ["profile"] = profile };
        var runner = new NotebookRunner(outputDir, log, all) { LiveProgress = liveProgress };
        var runs = new List<NotebookRun>();
        foreach (var nb in notebooks)
        {
            log.WriteLine($"{Path.GetFileName(nb)} (profile {profile})");
            var run = await runner.RunAsync(nb, cancel);
            runs.Add(run);
            log.WriteLine($"  {(run.Ok ? "done" : run.OnlyOutcomesFailed ? "done, OUTCOME CHECK FAILED," : "FAILED")} in {run.Elapsed.TotalSeconds:F1} s -> {run.OutputPath}");
            if (!run.Ok && !run.OnlyOutcomesFailed) break;
        }
        return new WorkbookRun(profile, runs, sw.Elapsed);
    }
}
