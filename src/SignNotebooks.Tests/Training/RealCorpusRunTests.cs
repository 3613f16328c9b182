using SignNotebooks.Analysis;
using SignNotebooks.Tests.Corpora;
using SignNotebooks.Training;
using SignNotebooks.Util;

namespace SignNotebooks.Tests.Training;

/// <summary>
/// The one-parameter switch: `signnb train` / `evaluate` and the notebooks' Workbench on a real-corpus fixture tree
/// (the SynthSign export in the Phoenix-2014T layout) instead of SynthSign; sharded evaluation merges to the unsharded result.
/// </summary>
[Collection("Console")]
public sealed class RealCorpusRunTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("signnb-realrun-").FullName;
    public void Dispose() => Directory.Delete(_dir, true);
    private string Root => Path.Combine(_dir, "corpus");

    private static (int code, string stdout, string stderr) Signnb(params string[] args) => CliCapture.Run(args);

    [Fact]
    public void Train_and_evaluate_run_on_a_real_corpus_folder_and_shards_merge_exactly()
    {
        CorpusFixtures.ExportPhoenix2014T(Root);
        var cfg = Path.Combine(_dir, "one-epoch.json");
        File.WriteAllText(cfg, "{ \"Epochs\": 1 }");
        var run = Path.Combine(_dir, "run");
        var (code, stdout, stderr) = Signnb("train", "--stage", "video", "--profile", "tiny", "--config", cfg, "--out", run,
            "--dataset", "phoenix-2014t", "--data-root", Root);
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains($"corpus: Phoenix-2014T (original layout) at {Root}: V = ", stdout);
        var saved = File.ReadAllText(Path.Combine(run, "config.json"));
        Assert.Contains("\"Corpus\": \"phoenix-2014t\"", saved);
        Assert.Contains($"\"DataRoot\": \"{Root}\"", saved);
        Assert.True(File.Exists(Path.Combine(run, "checkpoints", "best", "gloss2ids.pkl")));

        (code, stdout, stderr) = Signnb("evaluate", "--checkpoint", run, "--split", "test");
        Assert.True(code == 0, stdout + stderr);
        var whole = stdout.Split('\n').Single(l => l.StartsWith("video "));
        Assert.Contains("N=", whole);

        foreach (var i in new[] { "0/2", "1/2" })
        {
            (code, stdout, stderr) = Signnb("evaluate", "--checkpoint", run, "--split", "test", "--shard", i);
            Assert.True(code == 0, stdout + stderr);
            Assert.Contains($"test shard {i}, beam 5", stdout);
        }
        Assert.Single(File.ReadAllLines(Path.Combine(run, "eval", "best-shard0of2", "test.video.tsv")).Skip(1));   // 1 of the 2 test clips
        (code, stdout, stderr) = Signnb("evaluate", "merge", "--checkpoint", run, "--split", "test");
        Assert.True(code == 0, stdout + stderr);
        Assert.Equal(whole, stdout.Split('\n').Single(l => l.StartsWith("video ")));

        // The data moved: --data-root points evaluation at the new place; a wrong one is a clear error.
        Directory.Move(Root, Root + "-moved");
        (code, _, stderr) = Signnb("evaluate", "--checkpoint", run, "--split", "test");
        Assert.Equal(1, code);
        Assert.Contains($"{Root}: the Phoenix-2014T data folder does not exist.", stderr);
        (code, stdout, _) = Signnb("evaluate", "--checkpoint", run, "--split", "test", "--data-root", Root + "-moved");
        Assert.Equal(0, code);
        Assert.Equal(whole, stdout.Split('\n').Single(l => l.StartsWith("video ")));
    }

    [Fact]
    public void Missing_shards_and_cuda_without_a_gpu_are_clear_errors()
    {
        var (code, _, stderr) = Signnb("train", "--stage", "video", "--profile", "tiny", "--device", "cuda", "--out", Path.Combine(_dir, "x"));
        Assert.Equal(1, code);
        Assert.Contains("--device cuda: no CUDA device is available", stderr);
        (code, _, stderr) = Signnb("evaluate", "--checkpoint", _dir, "--shard", "2/2");
        Assert.Equal(2, code);   // a malformed option is a usage error (issue 17)
        Assert.Contains("--shard '2/2': expected i/N with 0 ≤ i < N", stderr);
        (code, _, stderr) = Signnb("train", "--stage", "video", "--profile", "tiny", "--dataset", "phoenix-2014t", "--out", Path.Combine(_dir, "y"));
        Assert.Equal(1, code);
        Assert.Contains("dataset phoenix-2014t needs a data root", stderr);
        (code, _, stderr) = Signnb("train", "--stage", "video", "--profile", "tiny", "--data-root", _dir, "--out", Path.Combine(_dir, "z"));
        Assert.Equal(1, code);
        Assert.Contains("was given for SynthSign, which is generated, not read. Fix: add --dataset", stderr);
        var wb = Assert.Throws<UserFacingException>(() => new Workbench("tiny", TextWriter.Null, _dir, device: "cuda"));   // the notebooks' device parameter
        Assert.StartsWith("--device cuda: no CUDA device is available", wb.Message);
    }

    [Fact]
    public void The_workbench_trains_and_scores_on_a_real_corpus_and_says_which_views_need_synthsign()
    {
        CorpusFixtures.ExportPhoenix2014T(Root);
        var wb = new Workbench("tiny", TextWriter.Null, Path.Combine(_dir, "runs"), "phoenix-2014t", Root);
        Assert.Equal(["dev", "test"], wb.EvalSplits);
        var video = wb.Stage(TrainingStage.Video);
        Assert.Equal(("phoenix-2014t", Root), (video.Config.Corpus, video.Config.DataRoot));
        var eval = wb.Evaluate(video, "test");
        Assert.Equal(2, eval.Pairs["video"].Count);
        var e = Assert.Throws<UserFacingException>(() => wb.Corpus);
        Assert.StartsWith("this step needs SynthSign's ground truth", e.Message);
    }

    [Fact]
    public void SynthSign_configs_serialise_as_before_so_cached_notebook_runs_stay_valid()
    {
        var json = ConfigJson.Serialize(TrainingProfiles.Get("standard", TrainingStage.Joint));
        Assert.DoesNotContain("DataRoot", json);
        Assert.Contains("\"Corpus\": \"synthsign\"", json);
    }
}
