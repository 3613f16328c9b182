using SignNotebooks.Notebooks;
using SignNotebooks.Util;

namespace SignNotebooks.Tests.Notebooks;

/// <summary>Every committed notebook, executed headless at the tiny profile: a notebook passes when no cell throws and its checks hold.</summary>
[Collection("notebooks")]
public class RepoNotebookTests
{
    /// <summary>
    /// The tests' own run cache, emptied once per test process: the notebooks train from scratch here, and neither the
    /// workbook's cache (artifacts/runs/tiny) nor this one can make the other's timing look shorter (issue 18).
    /// The notebooks of one test process still share it, as the workbook's notebooks share theirs.
    /// </summary>
    internal static string RunsRoot => LazyRuns.Value;

    private static readonly Lazy<string> LazyRuns = new(() =>
    {
        var dir = Path.Combine(RepoPaths.Artifacts, "test-runs", "tiny");
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        Directory.CreateDirectory(dir);
        return dir;
    });

    public static TheoryData<string> Numbered()
    {
        var data = new TheoryData<string>();
        foreach (var p in NotebookFile.List(RepoPaths.Notebooks)) data.Add(Path.GetFileName(p));
        return data;
    }

    [Theory]
    [MemberData(nameof(Numbered))]
    public async Task Notebook_runs_at_the_tiny_profile(string name)
    {
        var log = new StringWriter();
        var runner = new NotebookRunner(Path.Combine(RepoPaths.Artifacts, "notebooks-tests"), log,
            new Dictionary<string, string> { ["profile"] = "tiny", ["runs_root"] = RunsRoot });
        var workbookRuns = Path.Combine(RepoPaths.Artifacts, "runs", "tiny");
        var before = Directory.Exists(workbookRuns) ? Directory.GetDirectories(workbookRuns).Length : 0;
        var run = await runner.RunAsync(Path.Combine(RepoPaths.Notebooks, name));
        Assert.True(run.Ok, $"{name} failed at code cell {run.Failed?.CodeCellNumber}: {run.Failed?.Error}\n{log}");
        var after = Directory.Exists(workbookRuns) ? Directory.GetDirectories(workbookRuns).Length : 0;
        Assert.True(after == before, $"{name} wrote {after - before} run(s) into the workbook's cache {workbookRuns}; the tests keep theirs in {RunsRoot}");
    }
}
