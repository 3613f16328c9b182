using SignNotebooks.Data;
using SignNotebooks.Evaluation;
using SignNotebooks.Models;
using SignNotebooks.Synthetic;
using SignNotebooks.Util;
using static TorchSharp.torch;

namespace SignNotebooks.Tests.Evaluation;

public class NonFiniteScoresTests
{
    [Fact]
    public void A_head_that_produces_NaN_is_named_with_its_clips_and_a_fix()
    {
        var ds = new SynthSignDataset("tiny");
        var vocabulary = Vocabulary.SynthSign(ds.Glosses);
        var config = ModelRegistry.Get("keypoint-paper").Config with
        {
            Width = 0.125, HeadHidden = 32, HeadFeedForward = 64, PositionalMaxLength = 512, VocabularySize = vocabulary.Count,
        };
        using var model = ModelRegistry.Create(config);
        using (no_grad())
            model.named_parameters().First(p => p.name.Contains("gloss_output_layer.bias")).parameter.fill_(float.NaN);
        var loader = new SignLoader(ds, "dev", vocabulary, InputConfig.Cpu with { RgbSize = 32, HeatmapSize = 16 },
            new LoaderOptions(BatchSize: 2, Train: false, Shuffle: false, Seed: 1, Streams: InputStreams.Heatmaps, Prefetch: 0));
        var e = Assert.Throws<UserFacingException>(() => RecognitionEvaluator.Evaluate(model, loader, vocabulary, beam: 1));
        Assert.Contains("keypoint head produced NaN", e.Message);
        Assert.Contains("dev-00000", e.Message);
        Assert.Contains("Fix:", e.Message);
    }
}
