using TorchSharp;
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

    // The joint-stage tests start from one-epoch tiny stream stages and run 2 joint epochs on 16 clips (4 steps; the
    // per-epoch quirk runs epoch 2 at lr 0).
    private (string Video, string Keypoint) StreamStages(SynthSignDataset ds, Vocabulary vocab)
    {
        string Stage(TrainingStage s)
        {
            var r = new RunDirectory(Path.Combine(_dir, s.ToString()));
            new Trainer(Tiny(s) with { Epochs = 1, MaxTrainClips = 8 }, r, ds, vocab, TextWriter.Null).Run();
            return r.ModelFile("best");
        }
        return (Stage(TrainingStage.Video), Stage(TrainingStage.Keypoint));
    }

    private static TrainingConfig JointCfg() => Tiny(TrainingStage.Joint) with { Epochs = 2, MaxTrainClips = 16 };

    private StateDictFile JointRun(string name, TrainingConfig cfg, SynthSignDataset ds, Vocabulary vocab, (string, string) init)
    {
        var r = new RunDirectory(Path.Combine(_dir, name));
        new Trainer(cfg, r, ds, vocab, TextWriter.Null) { InitFromStages = init }.Run();
        return StateDictFile.Read(r.ModelFile("last"));
    }

    /// <summary>The joint model as the trainer builds it before loading anything (same seed, same initial weights).</summary>
    private static SignNotebooks.Models.RecognitionModel FreshJoint(Vocabulary vocab)
    {
        var cfg = JointCfg();
        torch.manual_seed(cfg.Seed);
        return SignNotebooks.Models.ModelRegistry.Create(cfg.Model with { VocabularySize = vocab.Count });
    }

    // Saved checkpoints may carry a prefix in front of the model's own key.
    private static string KeyIn(StateDictFile file, string key) =>
        file.Tensors.Keys.Single(x => x == key || x.EndsWith("." + key, StringComparison.Ordinal));

    [Fact]
    public void Joint_stage_with_StreamFreezeSteps_keeps_the_merged_stream_weights_and_trains_the_new_parts()
    {
        var (ds, vocab) = Corpus();
        var init = StreamStages(ds, vocab);
        StateDictFile Joint(string name, int? freeze) => JointRun(name, JointCfg() with { StreamFreezeSteps = freeze }, ds, vocab, init);
        var frozen = Joint("frozen", 1000);
        var thawed = Joint("thawed", 1);   // frozen for the first of four steps only (epoch 2 runs at the quirk's lr 0)
        var video = StateDictFile.Read(init.Item1);
        var keypoint = StateDictFile.Read(init.Item2);
        var merged = StreamMerge.Merge(video, keypoint);
        string InJoint(string k) => KeyIn(frozen, k);
        var headKey = merged.Keys.First(k => k.Contains("visual_head") && k.EndsWith(".weight") && !StreamFreeze.IsNewPart(k));
        Assert.True(merged[headKey].allclose(frozen.Tensors[InJoint(headKey)], 0, 0), $"{headKey} moved while frozen");
        Assert.False(merged[headKey].allclose(thawed.Tensors[InJoint(headKey)], 0, 0), $"{headKey} never trained after the thaw");
        // The parts that start random do train while the streams are frozen: compare with the same seed's initial weights.
        using var fresh = FreshJoint(vocab);
        var fuse = fresh.state_dict().Keys.First(k => k.Contains("visual_head_fuse") && k.EndsWith(".weight"));
        Assert.False(fresh.state_dict()[fuse].allclose(frozen.Tensors[InJoint(fuse)], 0, 0), $"{fuse} did not train");
        // The new-part rule is exactly what the merge leaves random.
        var report = StreamMerge.LoadInto(fresh, video, keypoint);
        Assert.All(report.Missing, k => Assert.True(StreamFreeze.IsNewPart(k), k));
        Assert.All(report.Loaded, k => Assert.False(StreamFreeze.IsNewPart(k), k));
    }

    [Fact]
    public void Laterals_learn_at_their_own_rate_when_LateralLearningRateScale_is_set()
    {
        var (ds, vocab) = Corpus();
        var init = StreamStages(ds, vocab);
        double LateralMove(string name, double? scale)
        {
            var trained = JointRun(name, JointCfg() with { LateralLearningRateScale = scale }, ds, vocab, init);
            using var fresh = FreshJoint(vocab);
            var key = fresh.state_dict().Keys.First(k => k.Contains("_lateral.") && k.EndsWith(".weight"));
            return (trained.Tensors[KeyIn(trained, key)] - fresh.state_dict()[key]).abs().max().item<float>();
        }
        double full = LateralMove("full", null), slow = LateralMove("slow", 0.01);
        Assert.True(full > 1e-5, $"laterals did not train at full rate ({full})");
        Assert.True(slow < full * 0.05, $"laterals at 1 % of the rate moved {slow} against {full}");
        Assert.Throws<UserFacingException>(() => (Tiny(TrainingStage.Joint) with { LateralLearningRateScale = 0 }).Validate("test"));
    }

    [Fact]
    public void A_backbone_at_rate_scale_zero_keeps_its_weights_while_the_head_learns()
    {
        var (ds, vocab) = Corpus();
        var cfg = Tiny(TrainingStage.Keypoint) with { BackboneLearningRateScale = 0 };
        var run = new RunDirectory(Path.Combine(_dir, "fixed-backbone"));
        new Trainer(cfg, run, ds, vocab, TextWriter.Null).Run();
        var trained = StateDictFile.Read(run.ModelFile("last"));
        torch.manual_seed(cfg.Seed);
        using var fresh = SignNotebooks.Models.ModelRegistry.Create(cfg.Model with { VocabularySize = vocab.Count });
        var backbone = fresh.named_modules().Single(m => m.module is SignNotebooks.Models.Backbones.S3DBackbone).name + ".";
        var weights = fresh.state_dict().Where(kv => kv.Key.EndsWith(".weight") && kv.Value.dim() > 1).ToList();
        Assert.Contains(weights, kv => kv.Key.StartsWith(backbone));
        foreach (var (key, value) in weights)
        {
            bool same = value.allclose(trained.Tensors[KeyIn(trained, key)], 0, 0);
            if (key.StartsWith(backbone)) Assert.True(same, $"{key} is in the backbone but changed");
            else if (key.Contains("gloss_output_layer") || key.Contains(".fc1.")) Assert.False(same, $"{key} did not train");
        }
        Assert.Throws<UserFacingException>(() => (Tiny(TrainingStage.Keypoint) with { BackboneLearningRateScale = 1.5 }).Validate("test"));
    }
}
