using SignNotebooks.Checkpoints;
using SignNotebooks.Data;
using SignNotebooks.Models;
using SignNotebooks.Models.Losses;
using SignNotebooks.Synthetic;
using SignNotebooks.Training;
using SignNotebooks.Util;
using TorchSharp;

namespace SignNotebooks.Tests.Training;

public sealed class PretrainingStageTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "signnb-pretrain-" + Guid.NewGuid().ToString("N"));
    public void Dispose() { try { Directory.Delete(_dir, true); } catch (IOException) { } }

    [Fact]
    public void Stage_0_learns_frame_labels_and_the_stream_stage_starts_from_it()
    {
        var ds = new SynthSignDataset("tiny");
        var vocab = Vocabulary.SynthSign(ds.Glosses);
        var pre = TrainingProfiles.Get("tiny", TrainingStage.PretrainKeypoint) with { MaxTrainClips = 16, MaxEvalClips = 4, Epochs = 1 };
        Assert.Equal(1.0, pre.Loss.FrameLabelWeight);
        Assert.False(pre.Model.FreezeRgbStem);
        var preRun = new RunDirectory(Path.Combine(_dir, "pre"));
        new Trainer(pre, preRun, ds, vocab, TextWriter.Null).Run();
        var steps = MetricsLog.Load(preRun.StepsCsv);
        Assert.Contains("frame_ce_keypoint", steps.Columns.Select(c => c.Name));
        Assert.Contains("ctc_keypoint", steps.Columns.Select(c => c.Name));
        Assert.True(steps["frame_ce_keypoint"].Cast<object>().Select(Convert.ToDouble).All(double.IsFinite));

        var weights = preRun.ModelFile("best");
        var stage = TrainingProfiles.Get("tiny", TrainingStage.Keypoint) with { MaxTrainClips = 8, MaxEvalClips = 4, Epochs = 1, Init = weights };
        var run = new RunDirectory(Path.Combine(_dir, "kp"));
        var trainer = new Trainer(stage, run, ds, vocab, TextWriter.Null);
        Assert.Equal(64, trainer.Config.InitSha256!.Length);   // resolved: a changed file changes the run's hash
        trainer.Run();
        var report = File.ReadAllText(Path.Combine(run.Root, "init_report.txt"));
        Assert.Contains("loaded", report, StringComparison.OrdinalIgnoreCase);
        // Every tensor of the keypoint network came from stage 0: backbone and head (same variant, same keys).
        using var model = ModelRegistry.Create(Trainer.Resolve(stage, vocab).Model);
        var loaded = CheckpointLoader.Load(model, weights);
        Assert.Empty(loaded.Missing);
    }

    [Fact]
    public void Missing_init_file_and_frozen_random_stem_are_refused_before_training()
    {
        var ds = new SynthSignDataset("tiny");
        var vocab = Vocabulary.SynthSign(ds.Glosses);
        var cfg = TrainingProfiles.Get("tiny", TrainingStage.Video) with { Init = Path.Combine(_dir, "nope.pt") };
        var e = Assert.Throws<UserFacingException>(() => new Trainer(cfg, new RunDirectory(Path.Combine(_dir, "a")), ds, vocab, TextWriter.Null).Run());
        Assert.Contains("pretrain-video", e.Message);
        Assert.False(Directory.Exists(Path.Combine(_dir, "a", "checkpoints")));
        var paper = TrainingProfiles.Get("paper", TrainingStage.Video) with { CorpusProfile = "tiny" };
        e = Assert.Throws<UserFacingException>(() => new Trainer(paper, new RunDirectory(Path.Combine(_dir, "b")), ds, vocab, TextWriter.Null).Run());
        Assert.Contains("Kinetics-400", e.Message);
        Assert.Contains("FreezeRgbStem", e.Message);
    }

    [Fact]
    public void Frame_labels_are_required_where_the_loss_asks_for_them()
    {
        var model = new ModelConfig { Streams = StreamKind.Keypoint, VocabularySize = 5 };
        var loss = new RecognitionLoss(model, new LossConfig { FrameLabelWeight = 1 });
        using var scope = torch.NewDisposeScope();
        var logits = torch.randn(2, 3, 5);
        var outputs = new RecognitionOutputs();
        outputs.Add("keypoint", SignNotebooks.Models.Heads.HeadOutput.FromLogits(logits, torch.tensor(new long[] { 3, 2 })));
        var e = Assert.Throws<UserFacingException>(() => loss.Compute(outputs, torch.tensor(new long[,] { { 1 }, { 2 } }), torch.tensor(new long[] { 1, 1 })));
        Assert.Contains("SynthSign", e.Message);
        var frames = new FrameTargets([[0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0], [2, 2, 2, 2, 0, 0, 0, 0]]);
        var r = loss.Compute(outputs, torch.tensor(new long[,] { { 1 }, { 2 } }), torch.tensor(new long[] { 1, 1 }), frames);
        // The term equals cross-entropy summed over each clip's valid steps, divided by B.
        var lp = torch.nn.functional.log_softmax(logits, -1);
        double expected = -(lp[0, 0, 0].item<float>() + lp[0, 1, 1].item<float>() + lp[0, 2, 0].item<float>() + lp[1, 0, 2].item<float>() + lp[1, 1, 0].item<float>()) / 2;
        Assert.Equal(expected, r.Terms["frame_ce_keypoint"].item<float>(), 4);
    }
}
