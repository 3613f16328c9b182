using SignNotebooks.Notebooks;
using SignNotebooks.Util;

namespace SignNotebooks.Tests.Notebooks;

/// <summary>Every committed notebook, executed headless at the tiny profile: a notebook passes when no cell throws and its checks hold.</summary>
[Collection("notebooks")]
public class RepoNotebookTests
{
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
            new Dictionary<string, string> { ["profile"] = "tiny" });
        var run = await runner.RunAsync(Path.Combine(RepoPaths.Notebooks, name));
        Assert.True(run.Ok, $"{name} failed at code cell {run.Failed?.CodeCellNumber}: {run.Failed?.Error}\n{log}");
    }
}
