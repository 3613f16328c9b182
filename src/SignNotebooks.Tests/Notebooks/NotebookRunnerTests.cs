using System.Text.Json.Nodes;
using SignNotebooks.Notebooks;

namespace SignNotebooks.Tests.Notebooks;

[Collection("notebooks")]
public class NotebookRunnerTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "signnb-nb-" + Guid.NewGuid().ToString("N"));

    public void Dispose() { try { Directory.Delete(_dir, true); } catch (IOException) { } }

    [Fact]
    public async Task Runs_cells_in_order_and_writes_outputs_and_parameters()
    {
        var path = NotebookBuilder.Standard()
            .Code("var x = 20 + 1;\nConsole.WriteLine($\"printed {x}\");")
            .Code("new HtmlView(\"<b>bold</b>\", \"bold\")")
            .Code("profile")
            .Code("Check.That(x == 21, \"x is 21\")")
            .Write(_dir, "01_demo.ipynb");
        var runner = new NotebookRunner(Path.Combine(_dir, "out"), TextWriter.Null, new Dictionary<string, string> { ["profile"] = "standard" });
        var run = await runner.RunAsync(path);
        Assert.True(run.Ok, run.Failed?.Error);
        Assert.Equal(6, run.Cells.Count);
        var written = JsonNode.Parse(File.ReadAllText(run.OutputPath))!["cells"]!.AsArray();
        string OutputText(int cell) => written[cell]!["outputs"]!.ToJsonString(NotebookFile.JsonOptions);
        Assert.Contains("printed 21", OutputText(3));
        Assert.Contains("<b>bold</b>", OutputText(4));
        Assert.Contains("standard", OutputText(5)); // the parameter reached the parameters cell
        Assert.Equal(6, written[6]!["execution_count"]!.GetValue<int>());
        // The source notebook stays without outputs.
        Assert.DoesNotContain(NotebookLint.Check(path), p => p.Contains("outputs"));
    }

    [Fact]
    public async Task Stops_at_the_first_failing_cell_and_names_it()
    {
        var path = NotebookBuilder.Standard()
            .Code("var y = 1;")
            .Code("throw new InvalidOperationException(\"boom in cell four\");")
            .Code("Console.WriteLine(\"never\");")
            .Write(_dir, "02_fails.ipynb");
        var run = await new NotebookRunner(Path.Combine(_dir, "out"), TextWriter.Null).RunAsync(path);
        Assert.False(run.Ok);
        Assert.Equal(4, run.Failed!.CodeCellNumber);
        Assert.Contains("boom in cell four", run.Failed.Error);
        Assert.Equal(4, run.Cells.Count);
        var written = File.ReadAllText(run.OutputPath);
        Assert.Contains("boom in cell four", written);
        Assert.DoesNotContain("never\\n", written.Replace("Console.WriteLine(\\\"never\\\")", ""));
    }

    [Fact]
    public async Task A_failed_check_fails_the_notebook()
    {
        var path = NotebookBuilder.Standard().Code("Check.InRange(0.9, 0, 0.5, \"WER\")").Write(_dir, "03_check.ipynb");
        var run = await new NotebookRunner(Path.Combine(_dir, "out"), TextWriter.Null).RunAsync(path);
        Assert.False(run.Ok);
        Assert.Contains("WER = 0.9", run.Failed!.Error);
    }

    [Fact]
    public async Task A_failed_outcome_check_is_recorded_and_the_notebook_and_workbook_go_on()
    {
        // At the standard profile an outcome check that fails is a result: later cells and notebooks still run.
        var first = NotebookBuilder.Standard()
            .Code("Check.Outcome(profile, 31.0 < 30.5, \"the full model beats the keypoint stream (31.0 vs 30.5 %)\")")
            .Code("Console.WriteLine(\"after the outcome\");")
            .Write(_dir, "03_outcome.ipynb");
        var second = NotebookBuilder.Standard().Code("Console.WriteLine(\"second notebook ran\");").Write(_dir, "04_next.ipynb");
        var third = NotebookBuilder.Standard().Code("Check.That(false, \"a structural check\")").Write(_dir, "05_broken.ipynb");
        var fourth = NotebookBuilder.Standard().Code("Console.WriteLine(\"never\");").Write(_dir, "06_never.ipynb");
        var run = await Workbook.RunAsync([first, second, third, fourth], "standard", Path.Combine(_dir, "out"), TextWriter.Null);
        Assert.Equal(3, run.Notebooks.Count); // the structural check stopped the run; the outcome check did not
        var outcome = run.Notebooks[0];
        Assert.False(outcome.Ok);
        Assert.True(outcome.OnlyOutcomesFailed);
        Assert.Equal(4, outcome.Cells.Count);
        Assert.True(outcome.Cells[2].OutcomeFailed);
        Assert.True(outcome.Cells[3].Ok);
        Assert.Contains("after the outcome", File.ReadAllText(outcome.OutputPath));
        Assert.Equal("the full model beats the keypoint stream (31.0 vs 30.5 %)", NotebookRunner.OutcomeText(outcome.Cells[2].Error!));
        Assert.True(run.Notebooks[1].Ok);
        Assert.False(run.Notebooks[2].OnlyOutcomesFailed);
        Assert.False(run.Ok);
    }

    [Fact]
    public async Task An_outcome_check_that_fails_at_the_tiny_profile_is_only_reported()
    {
        var path = NotebookBuilder.Standard().Code("Check.Outcome(\"tiny\", false, \"claim\")").Write(_dir, "03_tiny.ipynb");
        var run = await new NotebookRunner(Path.Combine(_dir, "out"), TextWriter.Null).RunAsync(path);
        Assert.True(run.Ok, run.Failed?.Error);
        Assert.Contains("not asserted at the tiny profile", File.ReadAllText(run.OutputPath));
    }

    [Fact]
    public async Task Settings_records_display_as_tables_not_record_dumps()
    {
        // Notebooks 06 and 07 show a TranslationConfig and reproduction cards as a cell's result.
        var path = NotebookBuilder.Standard()
            .Code("SignNotebooks.Translation.TranslationProfiles.Get(\"tiny\", SignNotebooks.Translation.TranslationStage.Gloss2Text)")
            .Code("SignNotebooks.Reproduction.ReproductionCards.Find(\"slr-phoenix-2014t-test\")")
            .Write(_dir, "04_sheets.ipynb");
        var run = await new NotebookRunner(Path.Combine(_dir, "out"), TextWriter.Null).RunAsync(path);
        Assert.True(run.Ok, run.Failed?.Error);
        var written = JsonNode.Parse(File.ReadAllText(run.OutputPath))!["cells"]!.AsArray();
        foreach (int cell in new[] { 3, 4 })
        {
            var outputs = written[cell]!["outputs"]!.ToJsonString(NotebookFile.JsonOptions);
            Assert.Contains("<table", outputs);
            Assert.DoesNotContain("Config {", outputs);
            Assert.DoesNotContain("Card {", outputs);
        }
        Assert.Contains("Model.DModel", written[3]!["outputs"]!.ToJsonString());
        Assert.Contains("card slr-phoenix-2014t-test", written[4]!["outputs"]!.ToJsonString());
    }

    [Fact]
    public async Task A_long_cell_reports_its_elapsed_time_and_the_next_run_an_eta()
    {
        var path = NotebookBuilder.Standard().Code("System.Threading.Thread.Sleep(2500);").Write(_dir, "05_slow.ipynb");
        var outDir = Path.Combine(_dir, "out");
        // Not a terminal: a plain line every QuietInterval, then the outcome on a line of its own.
        var quiet = new StringWriter();
        var run = await new NotebookRunner(outDir, TextWriter.Synchronized(quiet)) { QuietInterval = TimeSpan.FromMilliseconds(400) }.RunAsync(path);
        Assert.True(run.Ok, run.Failed?.Error);
        var text = quiet.ToString();
        Assert.DoesNotContain('\r', text);
        Assert.Matches(@"\[05_slow.ipynb\] cell 3/3 \.\.\. still running, \d s\n", text.Replace("\r\n", "\n"));
        Assert.Matches(@"\[05_slow.ipynb\] cell 3/3 \.\.\. ok \([1-9]\.\d s\)", text);
        Assert.Matches(@"\[05_slow.ipynb\] cell 1/3 \.\.\. ok", text); // a quick cell stays one line
        // A terminal, second run: the line is redrawn in place, with the first run's time and the ETA.
        var live = new StringWriter();
        run = await new NotebookRunner(outDir, TextWriter.Synchronized(live)) { LiveProgress = true, LiveInterval = TimeSpan.FromMilliseconds(300) }.RunAsync(path);
        Assert.True(run.Ok, run.Failed?.Error);
        Assert.Matches(@"\r  \[05_slow.ipynb\] cell 3/3 \.\.\. running \d s \(last run \d s, ETA \ds\)", live.ToString());
        Assert.Matches(@"\r  \[05_slow.ipynb\] cell 3/3 \.\.\. ok \([1-9]\.\d s\)", live.ToString());
    }

    [Fact]
    public void Unknown_profile_is_refused_with_the_valid_ones()
    {
        var e = Assert.Throws<SignNotebooks.Util.UserFacingException>(() =>
            Workbook.RunAsync([], "huge", _dir, TextWriter.Null).GetAwaiter().GetResult());
        Assert.Contains("tiny, standard, paper", e.Message);
    }

    [Fact]
    public void Library_reference_is_pointed_at_the_loaded_assembly()
    {
        var src = "#r \"../src/SignNotebooks.Cli/bin/Release/net10.0/linux-x64/SignNotebooks.dll\"\nusing X;";
        var rewritten = NotebookRunner.PointLibraryReference(src);
        Assert.Contains(typeof(NotebookRunner).Assembly.Location, rewritten);
        Assert.EndsWith("using X;", rewritten);
    }
}
