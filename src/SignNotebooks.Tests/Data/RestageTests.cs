using SignNotebooks.Data;
using SignNotebooks.Synthetic;
using SignNotebooks.Util;
using static TorchSharp.torch;

namespace SignNotebooks.Tests.Data;

public sealed class RestageTests
{
    private static bool Same(Tensor x, Tensor y) => x.shape.SequenceEqual(y.shape) && x.eq(y).all().item<bool>();

    [Fact]
    public void A_restaged_clip_keeps_its_signing_and_changes_only_its_frames_and_the_signers_clothes()
    {
        var ds = new SynthSignDataset("tiny");
        var original = SynthGenerator.Generate(ds.Corpus, "train", 3);
        var families = new HashSet<string>();
        var shirts = new HashSet<Rgb>();
        for (int v = 0; v < 24; v++)
        {
            var again = SynthGenerator.Generate(ds.Corpus, "train", 3, restageVariant: v);
            Assert.Equal(original.CleanKeypoints, again.CleanKeypoints);
            Assert.Equal(original.DetectedKeypoints, again.DetectedKeypoints);
            Assert.Equal(original.Glosses, again.Glosses);
            Assert.Equal(original.FrameGlossIndex, again.FrameGlossIndex);
            Assert.NotEqual(original.Frames, again.Frames);
            Assert.Contains(again.BackgroundFamily, SynthBackground.SeenFamilies);
            families.Add(again.BackgroundFamily);
            // The body and tempo stay (they shape the keypoints); clothes stay within the seen signers' shirt lightness.
            Assert.Equal(original.Signer with { Skin = default, Hair = default, Shirt = default, LongHair = false },
                again.Signer with { Skin = default, Hair = default, Shirt = default, LongHair = false });
            var sh = again.Signer.Shirt;
            Assert.InRange(Math.Max(sh.R, Math.Max(sh.G, sh.B)) / 255.0, 0.14, 0.56);
            shirts.Add(sh);
            // The same variant renders the same frames: runs stay reproducible.
            Assert.Equal(again.Frames, SynthGenerator.Generate(ds.Corpus, "train", 3, restageVariant: v).Frames);
        }
        Assert.True(families.Count >= 3, $"24 variants drew only {string.Join(", ", families)}");
        Assert.True(shirts.Count >= 20, $"24 variants drew {shirts.Count} shirts");
        Assert.Equal(original.Frames, SynthGenerator.Generate(ds.Corpus, "train", 3).Frames);
    }

    [Fact]
    public void Only_training_clips_can_be_restaged()
    {
        var ds = new SynthSignDataset("tiny");
        var clip = ds.LoadRestaged("train", ds.ClipNames("train")[0], 7);
        Assert.NotNull(clip.Frames);
        foreach (var split in new[] { "dev", "test", "test-shift" })
        {
            var e = Assert.Throws<UserFacingException>(() => ds.LoadRestaged(split, ds.ClipNames(split)[0], 7));
            Assert.Contains("training augmentation", e.Message);
        }
    }

    [Fact]
    public void The_training_loader_restages_only_when_asked_and_never_at_evaluation()
    {
        var ds = new SynthSignDataset("tiny");
        var input = InputConfig.Cpu with { RgbSize = 16, HeatmapSize = 8, JitterP = 0 };
        SignBatch First(ISignDataset d, InputConfig cfg, bool train) => new SignLoader(d, "train", Vocabulary.SynthSign(ds.Glosses), cfg,
            new LoaderOptions(BatchSize: 4, Train: train, Shuffle: false, Seed: 5, Streams: InputStreams.Both, Prefetch: 0)).Epoch(0).First();
        using var plain = First(ds, input, true);
        using var restaged = First(ds, input with { Restage = 1 }, true);
        using var subset = First(new DatasetSubset(ds, new Dictionary<string, int> { ["train"] = 8 }), input with { Restage = 1 }, true);
        using var evalPlain = First(ds, input, false);
        using var evalResampled = First(ds, input with { Restage = 1 }, false);
        Assert.False(Same(plain.Video!, restaged.Video!));
        Assert.True(Same(restaged.Video!, subset.Video!), "a subset of the corpus must restage exactly as the corpus");
        Assert.True(Same(plain.Heatmaps!, restaged.Heatmaps!), "the keypoint input must not change");
        Assert.True(Same(evalPlain.Video!, evalResampled.Video!));
        Assert.DoesNotContain("Restage", SignNotebooks.Training.ConfigJson.Serialize(new SignNotebooks.Training.TrainingConfig()));
    }

    [Fact]
    public void A_corpus_that_cannot_rerender_says_so_before_training()
    {
        var ds = new RandomWalkDataset(clips: 4, frames: 8, width: 32, height: 32);
        var e = Assert.Throws<UserFacingException>(() => new SignLoader(ds, ds.ClipNames("train").Count > 0 ? "train" : ds.Splits[0],
            Vocabulary.SynthSign(ds.Glosses), InputConfig.Cpu with { Restage = 0.5 }, new LoaderOptions(Prefetch: 0)));
        Assert.Contains("Fix: remove Restage", e.Message);
        Assert.Throws<UserFacingException>(() => (InputConfig.Cpu with { Restage = 1.5 }).Validate());
    }
}
