using SignNotebooks.Data;
using SignNotebooks.Models;
using SignNotebooks.Models.Heads;
using SignNotebooks.Models.Losses;
using SignNotebooks.Tests.Data;
using SignNotebooks.Training;
using SignNotebooks.Util;
using TorchSharp;
using static TorchSharp.torch;

namespace SignNotebooks.Tests.Models;

/// <summary>
/// Issue 20, spec §6: the official CTC uses zero_infinity, so a clip whose glosses cannot fit its (augmented) frames
/// gets a zero loss instead of stopping the run; the trainer counts those clips per epoch.
/// </summary>
public class ImpossibleCtcTargetTests
{
    [Fact]
    public void By_default_an_impossible_clip_is_zeroed_and_named_and_the_others_train_as_alone()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(6);
        var logits = torch.randn(2, 4, 6, requires_grad: true);
        var outputs = new RecognitionOutputs();
        outputs.Add(RecognitionOutputs.Video, HeadOutput.FromLogits(logits, torch.tensor(new long[] { 4, 3 })));
        // Clip 1: "5 5 5" needs 5 frames (3 glosses + 2 blanks between repeats) but has 3.
        var targets = torch.tensor(new long[,] { { 1, 2, 3 }, { 5, 5, 5 } });
        var lengths = torch.tensor(new long[] { 3, 3 });
        var model = new ModelConfig { Streams = StreamKind.Video };
        Assert.False(new LossConfig().ThrowOnImpossibleTarget);

        var result = new RecognitionLoss(model).Compute(outputs, targets, lengths);
        Assert.Equal([1], result.ZeroedCtcClips);
        result.Total.backward();
        Assert.Equal(0f, logits.grad![1].abs().max().item<float>());   // no gradient from the impossible clip
        // The possible clip's loss is its own loss over the batch size B = 2.
        var alone = CtcLoss.Compute(logits[0..1].log_softmax(-1), torch.tensor(new long[] { 4 }), targets[0..1], lengths[0..1], "video");
        Assert.Equal(alone.item<float>() / 2, result.Total.item<float>(), 1e-5);

        // The strict switch still stops at the first impossible clip, with the fix.
        var e = Assert.Throws<UserFacingException>(() => new RecognitionLoss(model, new LossConfig { ThrowOnImpossibleTarget = true }).Compute(outputs, targets, lengths));
        Assert.Contains("sample 1 has 3 glosses (2 adjacent repeats) but this level has only 3 valid frames", e.Message);
        Assert.Contains("ThrowOnImpossibleTarget", e.Message);
    }

    [Fact]
    public void Bad_gloss_ids_still_throw_when_impossible_targets_are_zeroed()
    {
        using var scope = torch.NewDisposeScope();
        var lp = torch.randn(1, 4, 6).log_softmax(-1);
        var e = Assert.Throws<UserFacingException>(() => CtcLoss.Compute(lp, torch.tensor(new long[] { 4 }), torch.tensor(new long[,] { { 1, 9 } }),
            torch.tensor(new long[] { 2 }), "video", throwOnImpossible: false));
        Assert.Contains("gloss id 9", e.Message);
    }

    [Fact]
    public void The_trainer_counts_zeroed_clips_per_epoch_in_epochs_csv_and_the_log()
    {
        var dir = Path.Combine(Path.GetTempPath(), "signnb-zeroed-" + Guid.NewGuid().ToString("N"));
        try
        {
            // Clip 0 has 9 frames but 6 glosses; the other clips fit.
            var ds = new TinyDataset(4)
            {
                Corrupt = c => c.Name.EndsWith("-00", StringComparison.Ordinal) && c.Split == "train"
                    ? c with { Glosses = ["HELLO", "RAIN", "GO", "HOUSE", "TOMORROW", "HELLO"] } : c,
            };
            var vocab = Vocabulary.SynthSign(ds.Glosses);
            var cfg = TrainingProfiles.Get("tiny", TrainingStage.Keypoint) with
            {
                Epochs = 2, Schedule = null, Init = null, MicroBatch = 2, EffectiveBatch = 2, ValidateEvery = 2,
                // TMin 1: no clip is shortened, so only clip 0 (9 frames -> 12 or 16, at most 4 at T/4, for 6 glosses) cannot fit.
                Input = TrainingProfiles.Get("tiny", TrainingStage.Keypoint).Input with { TMin = 1.0 },
            };
            var log = new StringWriter();
            var run = new RunDirectory(Path.Combine(dir, "run"));
            new Trainer(cfg, run, ds, vocab, log).Run();
            var epochs = MetricsLog.Load(run.EpochsCsv);
            for (int e = 0; e < 2; e++) Assert.Equal(1.0, Convert.ToDouble(epochs["ctc_zeroed_clips"][e]));
            var steps = MetricsLog.Load(run.StepsCsv);
            Assert.Equal(2.0, Enumerable.Range(0, (int)steps.Rows.Count).Sum(i => Convert.ToDouble(steps["ctc_zeroed_clips"][i])));
            Assert.Contains("epoch 1: 1 of 4 training clips had more glosses than their (augmented) frames can emit; their CTC loss was zeroed", log.ToString());
            Assert.Contains("train-00", log.ToString());
            // The progress line is not asserted: outside a terminal a job under 10 s prints none (ProgressBar), so it
            // appeared only when the machine was slow. The epoch line and the CSV columns above are the durable record.
        }
        finally { try { Directory.Delete(dir, true); } catch (IOException) { } }
    }
}
