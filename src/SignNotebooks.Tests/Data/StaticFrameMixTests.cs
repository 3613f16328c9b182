using SignNotebooks.Data;
using SignNotebooks.Synthetic;
using static TorchSharp.torch;

namespace SignNotebooks.Tests.Data;

public sealed class StaticFrameMixTests
{
    private static bool Same(Tensor x, Tensor y) => x.shape.SequenceEqual(y.shape) && x.eq(y).all().item<bool>();

    [Fact]
    public void A_mixed_clip_gains_one_still_of_its_batch_mate_on_every_frame()
    {
        // Clip A is zero, so what it holds after the mix is exactly λ·still: constant over time, nonzero, and one of
        // B's frames (each B frame t is filled with t + 1) scaled by λ ≤ 0.5.
        using var a = zeros(3, 6, 4, 4);
        using var b = arange(1, 9, dtype: float32).reshape(1, 8, 1, 1).expand(3, 8, 4, 4).contiguous();   // (3, 8, 4, 4)
        using var b0 = b.clone();
        StaticFrameMix.Apply([a, b], new Random(3), p: 1.0, maxWeight: 0.5);
        using var first = a.narrow(1, 0, 1);
        Assert.True(a.sub(first).abs().max().item<float>() == 0, "the added still must be the same on every frame");
        float v = a[0, 0, 0, 0].item<float>();
        Assert.True(v > 0 && v <= 0.5f * 8, $"A holds λ·(t + 1) = {v}");
        // B was mixed with a still of A taken before A changed (zeros): B shrinks by (1 − λ), it gains nothing.
        using var ratio = b.div(b0);
        Assert.True(ratio.sub(ratio[0, 0, 0, 0]).abs().max().item<float>() < 1e-6f);
        Assert.InRange(ratio[0, 0, 0, 0].item<float>(), 0.5f, 1f);
    }

    [Fact]
    public void Nothing_changes_at_p_zero_or_with_a_single_clip()
    {
        using var a = rand(3, 4, 4, 4);
        using var b = rand(3, 5, 4, 4);
        using var a0 = a.clone();
        using var b0 = b.clone();
        StaticFrameMix.Apply([a, b], new Random(1), p: 0, maxWeight: 0.5);
        StaticFrameMix.Apply([a], new Random(1), p: 1, maxWeight: 0.5);
        Assert.True(Same(a, a0) && Same(b, b0));
    }

    [Fact]
    public void The_training_loader_mixes_only_when_asked_and_never_at_evaluation()
    {
        var ds = new SynthSignDataset("tiny");
        var input = InputConfig.Cpu with { RgbSize = 16, HeatmapSize = 8, JitterP = 0 };
        SignBatch First(InputConfig cfg, bool train) => new SignLoader(ds, "train", Vocabulary.SynthSign(ds.Glosses), cfg,
            new LoaderOptions(BatchSize: 4, Train: train, Shuffle: false, Seed: 5, Streams: InputStreams.Rgb, Prefetch: 0)).Epoch(0).First();
        using var plain = First(input, true);
        using var mixed = First(input with { StaticMix = new StaticMixOptions(1) }, true);
        using var evalPlain = First(input, false);
        using var evalMixed = First(input with { StaticMix = new StaticMixOptions(1) }, false);
        Assert.False(Same(plain.Video!, mixed.Video!));
        Assert.True(Same(evalPlain.Video!, evalMixed.Video!));
        // Off by default, and then absent from the serialised config, so earlier run-cache names are unchanged.
        Assert.DoesNotContain("StaticMix", SignNotebooks.Training.ConfigJson.Serialize(new SignNotebooks.Training.TrainingConfig()));
    }
}
