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
/// The "one parameter" for the notebooks: 00, 01, 02, 04, 05, 06 and 08 run headless at the tiny profile on a real-corpus fixture
/// tree, and the views that need SynthSign's ground truth say so in their output instead of failing or vanishing.
/// </summary>
[Collection("notebooks")]
public sealed class RealCorpusNotebookTests(RealCorpusNotebookFixture fx) : IClassFixture<RealCorpusNotebookFixture>
{
    private async Task<NotebookRun> Execute(string name, string dictionary = "")
    {
        Directory.CreateDirectory(Path.Combine(fx.Dir, "executed"));
        var runner = new NotebookRunner(Path.Combine(fx.Dir, "executed"), TextWriter.Null, new Dictionary<string, string>
        {
            ["profile"] = "tiny", ["dataset"] = "phoenix-2014t", ["data_root"] = fx.Root, ["runs_root"] = fx.Runs, ["dictionary"] = dictionary,
        });
        return await runner.RunAsync(Path.Combine(RepoPaths.Notebooks, name));
    }

    /// <param name="trains">The notebook trains runs (00 and 01 only look at the corpus and a pose model).</param>
    private async Task<string> Run(string name, string dictionary = "", bool trains = true)
    {
        var run = await Execute(name, dictionary);
        Assert.True(run.Ok, $"{name} failed at code cell {run.Failed?.CodeCellNumber}: {run.Failed?.Error}");
        Assert.Contains("corpus: Phoenix-2014T (original layout)", Outputs(File.ReadAllText(run.OutputPath)));
        Assert.True(!trains || Directory.Exists(fx.Runs), "the runs went to the runs_root parameter's folder");
        return Outputs(File.ReadAllText(run.OutputPath));
    }

    [NumpyFact]
    public async Task Quickstart_shows_a_real_clip_with_its_keypoints_glosses_and_translation_and_says_the_lexicon_needs_SynthSign()
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var executed = await Run("00_quickstart.ipynb", trains: false);
        Assert.True(sw.Elapsed < TimeSpan.FromMinutes(2), $"notebook 00 took {sw.Elapsed} on the fixture");
        var train = SignNotebooks.Corpora.CorpusSource.Open("phoenix-2014t", fx.Root).Corpus;
        Assert.Contains($"train: {train.ClipNames("train").Count} clips", executed);
        Assert.DoesNotContain("test-shift", executed);
        var clip = train.Load("train", train.ClipNames("train")[0], withFrames: false);
        Assert.Contains($"glosses: <code>{string.Join(' ', clip.Glosses)}</code>", executed);
        Assert.Contains($"translation: <i>{clip.Translation}</i>", executed);
        Assert.Contains("data:image/png;base64", executed);   // the frame strip with the keypoints drawn
        Assert.Contains("keypoints from phoenix-2014t's keypoint file", executed);
        Assert.Contains("not available on phoenix-2014t: it needs SynthSign's ground truth (its lexicon", executed);
        Assert.Contains("not available on phoenix-2014t: it needs SynthSign's ground truth (the true hand speed", executed);
        Assert.Contains("the paper's 79 channels", executed);
    }

    [NumpyFact]
    public async Task Keypoint_extraction_on_a_real_corpus_scores_agreement_with_the_released_keypoints_not_accuracy()
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var executed = await Run("01_keypoint_extraction.ipynb", trains: false);
        Assert.True(sw.Elapsed < TimeSpan.FromMinutes(2), $"notebook 01 took {sw.Elapsed} on the fixture");
        Assert.Contains("SynthSign's own, trained on synthetic frames only", executed);
        Assert.Contains("Agreement with the released keypoints (SLRT's HRNet output), not accuracy", executed);
        Assert.Contains("extracted vs released", executed);
        Assert.Contains("released keypoints (top), extracted (bottom)", executed);
        Assert.Contains("not available on phoenix-2014t: it needs SynthSign's ground truth (the true keypoints of every frame, to sort them by speed)", executed);
        Assert.Contains("not available on phoenix-2014t: it needs SynthSign's ground truth (the true keypoints of every frame, to find failures", executed);
        Assert.DoesNotContain("mean pose</td>", executed);
        var csv = File.ReadAllLines(Path.Combine(FigureExportFolder(), "pose_pck-phoenix-2014t.csv"));
        Assert.Contains(csv, l => l.StartsWith("extracted vs released,all,"));
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

    [NumpyFact]
    public async Task Keypoint_importance_on_a_real_corpus_needs_the_dictionary_parameter_and_then_uses_pseudo_alignments_only()
    {
        var missing = await Execute("08_keypoint_importance.ipynb");
        Assert.False(missing.Ok);
        Assert.Equal(3, missing.Failed!.CodeCellNumber);   // the first cell after set-up and parameters
        Assert.Contains("notebook 08 on phoenix-2014t needs a sign dictionary, and the `dictionary` parameter is empty", missing.Failed.Error);
        Assert.Contains("Fix: write a gloss,part,weight CSV covering the glosses of every split", missing.Failed.Error);
        // signnb workbook prints such an error without the kernel's stack trace.
        var shown = Workbook.ErrorText(missing.Failed.Error!);
        Assert.StartsWith("notebook 08 on phoenix-2014t needs a sign dictionary", shown);
        Assert.EndsWith("(or SIGNNB_DICTIONARY=F.csv).", shown);

        // A user's dictionary for the fixture's glosses: right hand always, mouth for every other gloss.
        var glosses = SignNotebooks.Analysis.ImportanceGating.DictionaryGlosses(new("tiny", TextWriter.Null, fx.Runs, "phoenix-2014t", fx.Root));
        var csv = Path.Combine(fx.Dir, "my-dictionary.csv");
        File.WriteAllLines(csv, ["gloss,part,weight", .. glosses.SelectMany((g, i) => i % 2 == 0 ? new[] { $"{g},right_hand,1", $"{g},mouth,1" } : [$"{g},right_hand,1"])]);
        var executed = await Run("08_keypoint_importance.ipynb", csv);
        Assert.Contains("Sign dictionary: weight of each articulator per gloss (my-dictionary.csv)", executed);
        Assert.Contains("Importance estimator trained on targets from CTC pseudo-alignments: frame accuracy % of (p > 0.5) against targets from CTC pseudo-alignments", executed);
        Assert.Contains("pseudo-targets against the truth: not available on phoenix-2014t: it needs SynthSign's ground truth (true gloss boundaries", executed);
        Assert.Contains("true gloss timeline: not available on phoenix-2014t", executed);
        Assert.Contains("full TwoStream-SLR, gated (pseudo-alignment estimator)", executed);
        Assert.DoesNotContain("(true-boundary estimator)", executed);   // no truth, no upper-bound rows
        Assert.DoesNotContain("the true gloss boundaries", executed);
        Assert.True(File.Exists(Path.Combine(FigureExportFolder(), "importance_gating-phoenix-2014t.csv")));
    }

    [NumpyFact]
    public async Task Translation_runs_on_a_real_corpus_with_translations_and_scores_its_own_splits()
    {
        var executed = await Run("06_translation.ipynb");
        Assert.Contains("Translation on phoenix-2014t (beam", executed);
        Assert.Contains("\"Corpus\": \"phoenix-2014t\"", File.ReadAllText(Directory.GetFiles(fx.Runs, "config.json", SearchOption.AllDirectories)
            .First(f => Path.GetFileName(Path.GetDirectoryName(f)) is var d && d!.StartsWith("g2t-", StringComparison.Ordinal))));
        Assert.DoesNotContain("test-shift", executed);
        var scores = File.ReadAllLines(Path.Combine(FigureExportFolder(), "translation_scores-phoenix-2014t.csv"));
        Assert.Equal(1 + 5 * 2, scores.Length);   // five systems on dev and test
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
