using SignNotebooks.Checkpoints;
using SignNotebooks.Data;
using SignNotebooks.Synthetic;
using SignNotebooks.Training;
using SignNotebooks.Util;

namespace SignNotebooks.Tests.Training;


public class TrainerTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "signnb-train-" + Guid.NewGuid().ToString("N"));
    public void Dispose() { try { Directory.Delete(_dir, true); } catch (IOException) { } }

    // The paper's per-epoch schedule and a random start: what these tests pin down (tiny's own defaults add stage 0 and a per-step schedule).
    private static TrainingConfig Tiny(TrainingStage stage) => TrainingProfiles.Get("tiny", stage) with { MaxTrainClips = 16, MaxEvalClips = 8, Epochs = 2, Schedule = null, Init = null };

    private static (SynthSignDataset, Vocabulary) Corpus()
    {
        var ds = new SynthSignDataset("tiny");
        return (ds, Vocabulary.SynthSign(ds.Glosses));
    }

    [Fact]
    public void Keypoint_stage_trains_writes_metrics_and_checkpoints()
    {
        var (ds, vocab) = Corpus();
        var run = new RunDirectory(Path.Combine(_dir, "kp"));
        var result = new Trainer(Tiny(TrainingStage.Keypoint), run, ds, vocab, TextWriter.Null).Run();
        Assert.Equal(2, result.EpochsRun);
        Assert.True(run.HasCheckpoint("last") && run.HasCheckpoint("best"));
        Assert.True(File.Exists(run.ModelFile("last")));
        var steps = MetricsLog.Load(run.StepsCsv);
        Assert.Equal(2 * 2, steps.Rows.Count); // 16 clips / batch 8 × 2 epochs
        Assert.Contains("ctc_keypoint", steps.Columns.Select(c => c.Name));
        var epochs = MetricsLog.Load(run.EpochsCsv);
        Assert.Equal(2, epochs.Rows.Count);
        Assert.Contains("dev_wer_keypoint", epochs.Columns.Select(c => c.Name));
        Assert.True(double.IsFinite(result.BestScore));
        // The saved weights are a PyTorch state dict with the official single-stream keys.
        var file = StateDictFile.Read(run.ModelFile("best"));
        Assert.Contains(file.Tensors.Keys, k => k.StartsWith("recognition_network.visual_backbone_keypoint.backbone.base.0.", StringComparison.Ordinal));
        // The cosine quirk: epoch 1 of 2 runs at lr(1) = 0.5e-3, epoch 2 at lr(2) = 0.
        Assert.Equal(0.5e-3, Convert.ToDouble(epochs["lr"][0]), 6);
        Assert.Equal(0.0, Convert.ToDouble(epochs["lr"][1]), 9);
    }

    [Fact]
    public void Resumed_run_ends_with_the_same_weights_as_an_uninterrupted_one()
    {
        var (ds, vocab) = Corpus();
        var cfg = Tiny(TrainingStage.Video) with { Epochs = 3 };
        var full = new RunDirectory(Path.Combine(_dir, "full"));
        new Trainer(cfg, full, ds, vocab, TextWriter.Null).Run();

        var cut = new RunDirectory(Path.Combine(_dir, "cut"));
        using (var cts = new CancellationTokenSource())
        {
            var t = new Trainer(cfg, cut, ds, vocab, TextWriter.Null) { EpochCompleted = e => { if (e == 0) cts.Cancel(); } };
            Assert.Throws<OperationCanceledException>(() => t.Run(cancel: cts.Token));
        }
        new Trainer(cfg, cut, ds, vocab, TextWriter.Null).Run(resume: true);

        var a = StateDictFile.Read(full.ModelFile("last")).Tensors;
        var b = StateDictFile.Read(cut.ModelFile("last")).Tensors;
        Assert.Equal(a.Keys.OrderBy(k => k), b.Keys.OrderBy(k => k));
        foreach (var k in a.Keys)
            Assert.True(a[k].eq(b[k]).all().item<bool>(), $"{k} differs after resume");
        Assert.Equal(MetricsLog.Load(full.EpochsCsv).Rows.Count, MetricsLog.Load(cut.EpochsCsv).Rows.Count);
    }

    [Fact]
    public void Refuses_to_overwrite_a_run_and_names_missing_prerequisites()
    {
        var (ds, vocab) = Corpus();
        var run = new RunDirectory(Path.Combine(_dir, "once"));
        new Trainer(Tiny(TrainingStage.Keypoint) with { Epochs = 1 }, run, ds, vocab, TextWriter.Null).Run();
        var again = Assert.Throws<UserFacingException>(() => new Trainer(Tiny(TrainingStage.Keypoint), run, ds, vocab, TextWriter.Null).Run());
        Assert.Contains("--resume", again.Message);
        var changed = Assert.Throws<UserFacingException>(() =>
            new Trainer(Tiny(TrainingStage.Keypoint) with { Epochs = 3 }, run, ds, vocab, TextWriter.Null).Run(resume: true));
        Assert.Contains("different config", changed.Message);
        var joint = Assert.Throws<UserFacingException>(() => new Trainer(Tiny(TrainingStage.Joint), new RunDirectory(Path.Combine(_dir, "j")), ds, vocab, TextWriter.Null).Run());
        Assert.Contains("--stage video", joint.Message);
    }
}
