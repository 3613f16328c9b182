using SignNotebooks.Models;
using SignNotebooks.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SignNotebooks.Tests.Models;

/// <summary>Zero-initialised laterals (ModelConfig.ZeroInitLaterals): the merged model starts as the two single streams.</summary>
public class LateralInitTests
{
    private static ModelConfig Config(bool? zero) =>
        TinyBatch.Shrink(ModelRegistry.Get("twostream-tiny").Config) with { Streams = StreamKind.TwoStream, ZeroInitLaterals = zero };

    [Fact]
    public void Zero_laterals_keep_the_keypoint_head_blind_to_the_video_until_they_learn()
    {
        using var scope = torch.NewDisposeScope();
        foreach (var (zero, expectEqual) in new[] { (true, true), ((bool?)null, false) })
        {
            var model = ModelRegistry.Create(Config(zero));
            model.eval();
            var (rgb, hm, len, _, _) = TinyBatch.Make(model.Config);
            using var noGrad = torch.no_grad();
            var a = model.Forward(rgb, hm, len)["keypoint"].LogProbs.clone();
            var b = model.Forward(torch.rand_like(rgb!), hm, len)["keypoint"].LogProbs;
            Assert.Equal(expectEqual, (a - b).abs().max().item<float>() == 0);
        }
    }

    [Fact]
    public void Lateral_weights_are_zero_only_when_asked_and_the_key_is_not_written_when_unset()
    {
        using var scope = torch.NewDisposeScope();
        float MaxLateral(bool? zero) => ModelRegistry.Create(Config(zero)).state_dict()
            .Where(kv => kv.Key.Contains("_lateral.")).Max(kv => kv.Value.abs().max().item<float>());
        Assert.Equal(0f, MaxLateral(true));
        Assert.True(MaxLateral(null) > 0.01f);
        Assert.True(MaxLateral(false) > 0.01f);
        // Unset, the key is absent: configs (and the run folders named by their hash) of the paper recipe do not change.
        var paper = TrainingProfiles.Get("paper", TrainingStage.Joint);
        Assert.DoesNotContain("ZeroInitLaterals", ConfigJson.Serialize(paper));
        Assert.Contains("\"ZeroInitLaterals\": true", ConfigJson.Serialize(TrainingProfiles.Get("standard", TrainingStage.Joint)));
        Assert.DoesNotContain("ZeroInitLaterals", ConfigJson.Serialize(TrainingProfiles.Get("standard", TrainingStage.Video)));
    }
}
