using SignNotebooks.Notebooks;
using SignNotebooks.Tests.Corpora;
using SignNotebooks.Util;

namespace SignNotebooks.Tests.Notebooks;

/// <summary>
/// A Phoenix-2014T fixture tree (the SynthSign export, 2 clips per split, with SLRT's keypoint pickle beside it) and
/// one runs folder, shared by the notebook runs so 04 and 05 reuse the stage runs 02 trained.
/// </summary>
public sealed class RealCorpusNotebookFixture : IDisposable
{
    public string Dir { get; } = Directory.CreateTempSubdirectory("signnb-realnb-").FullName;
    public string Root => Path.Combine(Dir, "corpus");
    public string Runs => Path.Combine(Dir, "runs");

    public RealCorpusNotebookFixture()
    {
        if (DebianPython.MissingNumpy is not null) return;
        CorpusFixtures.ExportPhoenix2014T(Root);
        DebianPython.RunScript(CorpusFixtures.KeypointPickle, Root, Path.Combine(Root, "phoenix-2014t-keypoints.pkl"));
    }

    public void Dispose() => Directory.Delete(Dir, true);
}

/// <summary>
/// The "one parameter" for the notebooks: 02, 04 and 05 run headless at the tiny profile on a real-corpus fixture
/// tree, and the views that need SynthSign's ground truth say so in their output instead of failing or vanishing.
/// </summary>
[Collection("notebooks")]
public sealed class RealCorpusNotebookTests(RealCorpusNotebookFixture fx) : IClassFixture<RealCorpusNotebookFixture>
{
    private async Task<string> Run(string name)
    {
        var log = new StringWriter();
        Directory.CreateDirectory(Path.Combine(fx.Dir, "executed"));
        var runner = new NotebookRunner(Path.Combine(fx.Dir, "executed"), log, new Dictionary<string, string>
        {
            ["profile"] = "tiny", ["dataset"] = "phoenix-2014t", ["data_root"] = fx.Root, ["runs_root"] = fx.Runs,
        });
        var run = await runner.RunAsync(Path.Combine(RepoPaths.Notebooks, name));
        Assert.True(run.Ok, $"{name} failed at code cell {run.Failed?.CodeCellNumber}: {run.Failed?.Error}\n{log}");
        Assert.Contains("corpus: Phoenix-2014T (original layout)", Outputs(File.ReadAllText(run.OutputPath)));
        Assert.True(Directory.Exists(fx.Runs), "the runs went to the runs_root parameter's folder");
        return Outputs(File.ReadAllText(run.OutputPath));
    }

    [NumpyFact]
    public async Task Stream_pretraining_runs_on_a_real_corpus_with_signer_groups_and_says_what_needs_SynthSign()
    {
        var executed = await Run("02_stream_pretraining.ipynb");
        Assert.Contains("test: WER % by group (phoenix-2014t)", executed);
        // The signer groups come from the annotations' speaker column.
        var signers = File.ReadAllLines(Path.Combine(fx.Root, "annotations", "manual", "PHOENIX-2014-T.test.corpus.csv")).Skip(1)
            .Select(l => l.Split('|')[4]).Distinct().ToList();
        Assert.NotEmpty(signers);
        Assert.All(signers, s => Assert.Contains($">{s}</td>", executed));
        Assert.Contains("not available on phoenix-2014t: it needs SynthSign's ground truth (the background family each clip was rendered on)", executed);
        Assert.Contains("not available on phoenix-2014t: it needs SynthSign's ground truth (the clean keypoints", executed);
        Assert.DoesNotContain("test-shift", executed);
    }

    [NumpyFact]
    public async Task Pyramid_ablations_run_on_a_real_corpus_and_name_their_figures_after_it()
    {
        var executed = await Run("04_pyramid_ablations.ipynb");
        Assert.Contains("+ self-distillation (full TwoStream-SLR)", executed);
        var figures = FigureExportFolder();
        Assert.True(File.Exists(Path.Combine(figures, "ablation_test-phoenix-2014t.png")));
        Assert.True(File.Exists(Path.Combine(figures, "ablation_table-phoenix-2014t.csv")));
        Assert.True(File.Exists(Path.Combine(figures, "stream_dev_wer-phoenix-2014t.png")));
    }

    [NumpyFact]
    public async Task Self_distillation_runs_on_a_real_corpus_and_the_alignment_view_says_it_needs_true_boundaries()
    {
        var executed = await Run("05_self_distillation.ipynb");
        Assert.Contains("not available on phoenix-2014t: it needs SynthSign's ground truth (true gloss boundaries per frame", executed);
        Assert.Contains("truth: not available on phoenix-2014t", executed);
        Assert.Contains("distill_joint", File.ReadAllText(Directory.GetFiles(fx.Runs, "steps.csv", SearchOption.AllDirectories)
            .First(f => f.Contains("full-s0"))));
    }

    /// <summary>Every string in the executed notebook's cell outputs (HTML decoded), the sources left out.</summary>
    private static string Outputs(string executed) => System.Net.WebUtility.HtmlDecode(string.Join('\n',
        System.Text.Json.Nodes.JsonNode.Parse(executed)!["cells"]!.AsArray().SelectMany(c => Strings(c!["outputs"]))));

    private static IEnumerable<string> Strings(System.Text.Json.Nodes.JsonNode? node) => node switch
    {
        System.Text.Json.Nodes.JsonArray a => a.SelectMany(Strings),
        System.Text.Json.Nodes.JsonObject o => o.Select(p => p.Value).SelectMany(Strings),
        System.Text.Json.Nodes.JsonValue v when v.TryGetValue<string>(out var s) => [s],
        _ => [],
    };

    private static string FigureExportFolder() => SignNotebooks.Plots.FigureExport.Folder("tiny");
}
