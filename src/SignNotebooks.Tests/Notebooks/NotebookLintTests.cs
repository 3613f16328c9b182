using SignNotebooks.Notebooks;
using SignNotebooks.Util;

namespace SignNotebooks.Tests.Notebooks;

public class NotebookLintTests
{
    public static TheoryData<string> RepoNotebooks()
    {
        var data = new TheoryData<string>();
        foreach (var p in Directory.EnumerateFiles(RepoPaths.Notebooks, "*.ipynb")) data.Add(Path.GetFileName(p));
        return data;
    }

    [Theory]
    [MemberData(nameof(RepoNotebooks))]
    public void Committed_notebook_follows_the_house_rules(string name)
    {
        var problems = NotebookLint.Check(Path.Combine(RepoPaths.Notebooks, name));
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Notebook_numbers_are_unique_and_start_at_00()
    {
        // The issue tracker fixes each topic's number (01 keypoint extraction, 06 translation, …), so a number can be
        // missing until its notebook exists; two notebooks may never share one.
        var names = NotebookFile.List(RepoPaths.Notebooks).Select(Path.GetFileName).ToList();
        Assert.NotEmpty(names);
        Assert.StartsWith("00_", names[0]);
        Assert.Equal(names.Count, names.Select(n => n![..2]).Distinct().Count());
        Assert.Equal(Directory.EnumerateFiles(RepoPaths.Notebooks, "*.ipynb").Count(), names.Count);
    }

    [Fact]
    public void Lint_catches_outputs_loops_types_and_missing_sections()
    {
        var dir = Path.Combine(Path.GetTempPath(), "signnb-lint-" + Guid.NewGuid().ToString("N"));
        try
        {
            var bad = new NotebookBuilder().Markdown("# Title only").Code("var a = 1;")
                .Code("for (int i = 0; i < 3; i++) { }").Code("class Model { }").Write(dir, "7_bad.ipynb");
            var json = File.ReadAllText(bad).Replace("\"outputs\": []", "\"outputs\": [{\"output_type\": \"stream\", \"name\": \"stdout\", \"text\": [\"x\"]}]");
            File.WriteAllText(bad, json);
            var problems = string.Join("\n", NotebookLint.Check(bad));
            Assert.Contains("NN_topic", problems);
            Assert.Contains("has outputs", problems);
            Assert.Contains("What you will learn", problems);
            Assert.Contains("set-up cell", problems);
            Assert.Contains("parameters cell", problems);
            Assert.Contains("for/while loop", problems);
            Assert.Contains("declares a type", problems);
            Assert.Contains("explicit checks", problems);

            var good = NotebookBuilder.Standard().Code("Check.That(true, \"ok\")").Write(dir, "01_good.ipynb");
            Assert.Empty(NotebookLint.Check(good));
        }
        finally { Directory.Delete(dir, true); }
    }
}
