using SignNotebooks.Data;
using SignNotebooks.Synthetic;
using SignNotebooks.Training;
using SignNotebooks.Translation;
using SignNotebooks.Util;
using TorchSharp;
using static SignNotebooks.Tests.Translation.SignTranslationTests;
using static TorchSharp.torch;

namespace SignNotebooks.Tests.Translation;

/// <summary>
/// Issue 20, spec §6: Sign2Text's three CTC losses follow recognition's <c>zero_infinity</c> (the recognition run's
/// <c>Loss.ThrowOnImpossibleTarget</c>, default false): a clip whose glosses its features cannot emit gets a zero CTC
/// loss, is counted per epoch and reported once, instead of stopping the run. Modelled on ImpossibleCtcTargetTests.
/// </summary>
[Collection("Console")]
public class Sign2TextImpossibleCtcTargetTests
{
    private const int FeatureSize = 104;   // C4 channels per stream, as in SignTranslationTests

    [Fact]
    public void An_impossible_clip_gets_zero_ctc_loss_and_gradient_and_the_other_trains_as_alone()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(8);
        var cfg = TranslationTrainer.Resolve(TranslationProfiles.Get("tiny", TranslationStage.Sign2Text), Vocab);
        var model = new SignTranslationModel(cfg, Vocab, (Recognition, FeatureSize));
        model.eval();   // no dropout: the two batches below see the same network
        var g = Tiny.Glosses;
        var sentences = TranslationExample.SynthSign(Tiny, "train", 2);
        // Clip 0: 3 glosses on 8 feature frames. Clip 1: 4 glosses on 2 frames, which no CTC alignment can emit.
        TranslationExample[] examples = [sentences[0] with { Glosses = [g[0], g[1], g[2]] }, sentences[1] with { Glosses = [g[3], g[4], g[5], g[6]] }];
        (Tensor, Tensor) Features(int t) => (torch.randn(t, FeatureSize), torch.randn(t, FeatureSize));
        (Tensor Video, Tensor Keypoint)[] features = [Features(8), Features(2)];
        var created = TranslationBatch.Create(examples, Vocab, features);
        var video = created.Video!.detach().requires_grad_(true);
        var batch = new TranslationBatch
        {
            Names = created.Names, References = created.References, TextIds = created.TextIds, GlossIds = created.GlossIds,
            GlossLengths = created.GlossLengths, Video = video, Keypoint = created.Keypoint, FeatureLengths = created.FeatureLengths,
        };

        var (total, terms, zeroed) = model.Loss(batch);
        Assert.Equal([1], zeroed);
        Assert.True(double.IsFinite(total.item<float>()));
        terms["ctc_video"].backward();
        Assert.Equal(0f, video.grad![1].abs().max().item<float>());   // no CTC gradient from the impossible clip
        Assert.True(video.grad![0].abs().max().item<float>() > 0);
        // The possible clip's CTC is its own loss over the batch size B = 2, for each of the three heads.
        var alone = model.Loss(TranslationBatch.Create(examples[..1], Vocab, features[..1]));
        Assert.Empty(alone.ZeroedCtcClips);
        foreach (var head in new[] { "ctc_video", "ctc_keypoint", "ctc_joint" })
            Assert.Equal(alone.Terms[head].item<float>() / 2, terms[head].item<float>(), 1e-5);

        // The recognition run's strict switch stops at the first impossible clip, with the fix.
        var e = Assert.Throws<UserFacingException>(() => model.Loss(batch, throwOnImpossibleCtc: true));
        Assert.Contains("sample 1 has 4 glosses (0 adjacent repeats) but this level has only 2 valid frames", e.Message);
        Assert.Contains("ThrowOnImpossibleTarget", e.Message);
    }

    [Fact]
    public void The_trainer_counts_zeroed_clips_per_epoch_and_warns_once()
    {
        var dir = Directory.CreateTempSubdirectory("signnb-s2t-zeroed").FullName;
        try
        {
            var recognition = Path.Combine(dir, "joint");
            WriteRandomJointRun(recognition);
            var source = RecognitionSource.FromRun(recognition);
            // The first train clip gets 40 glosses; no tiny clip has 160 frames, so it cannot fit at T/4.
            string clip = Tiny.ClipNames("train")[0];
            var dataset = new LongGlosses(Tiny, clip, Enumerable.Range(0, 40).Select(i => Tiny.Glosses[i % 2]).ToArray());
            var glosses = Vocabulary.SynthSign(Tiny.Glosses);
            var cfg = TranslationProfiles.Get("tiny", TranslationStage.Sign2Text) with { Epochs = 2, MaxTrainClips = 6, MaxEvalClips = 2 };

            var log = new StringWriter();
            var run = new RunDirectory(Path.Combine(dir, "s2t"));
            new TranslationTrainer(cfg, run, dataset, log, glosses) { Features = new SignFeatureStore(source.Config, source.Weights) }.Run();
            var epochs = MetricsLog.Load(run.EpochsCsv);
            for (int e = 0; e < 2; e++) Assert.Equal(1.0, Convert.ToDouble(epochs["ctc_zeroed_clips"][e]));
            var steps = MetricsLog.Load(run.StepsCsv);
            Assert.Equal(2.0, Enumerable.Range(0, (int)steps.Rows.Count).Sum(i => Convert.ToDouble(steps["ctc_zeroed_clips"][i])));
            var text = log.ToString();
            Assert.Contains($"epoch 1: 1 of 6 training clips have more glosses than their features can emit; their CTC loss is zeroed", text);
            Assert.Contains(clip, text);
            Assert.Single(text.Split('\n'), l => l.Contains("CTC loss is zeroed"));   // warned once, not every epoch

            // The recognition run's Loss.ThrowOnImpossibleTarget = true stops the run at that clip instead.
            var strict = source.Config with { Loss = source.Config.Loss with { ThrowOnImpossibleTarget = true } };
            var e2 = Assert.Throws<UserFacingException>(() => new TranslationTrainer(cfg, new RunDirectory(Path.Combine(dir, "strict")), dataset, TextWriter.Null, glosses)
                { Features = new SignFeatureStore(strict, source.Weights) }.Run());
            Assert.Contains("40 glosses", e2.Message);
        }
        finally { Directory.Delete(dir, true); }
    }

    /// <summary>A SynthSign corpus with one clip's glosses replaced (an annotation too long for its video).</summary>
    private sealed class LongGlosses(SynthSignDataset inner, string clip, string[] glosses) : ISignDataset
    {
        public string Name => inner.Name;
        public IReadOnlyList<string> Splits => inner.Splits;
        public IReadOnlyList<string> Glosses => inner.Glosses;
        public IReadOnlyList<string> ClipNames(string split) => inner.ClipNames(split);
        public SignClip Load(string split, string name, bool withFrames = true)
        {
            var c = inner.Load(split, name, withFrames);
            return name == clip ? c with { Glosses = glosses } : c;
        }
    }
}
