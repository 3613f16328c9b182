using SignNotebooks.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace SignNotebooks.Tests.Models;

/// <summary>spec §1.1 / §15.9: the frozen RGB stem's BN mode differs between the video-only and the two-stream model.</summary>
public class FrozenStemTests
{
    private static Tensor StemRunningMean(nn.Module m, string prefix) => m.state_dict()[prefix + "backbone.base.0.bn_s.running_mean"].clone();

    [Theory]
    [InlineData(StreamKind.Video, null, false)]      // official single-stream: held in eval
    [InlineData(StreamKind.TwoStream, null, true)]   // official two-stream quirk: BN trains
    [InlineData(StreamKind.TwoStream, false, false)] // quirk switched off
    public void Stem_batch_norm_follows_the_configured_mode(StreamKind streams, bool? bnTrains, bool expectUpdate)
    {
        using var scope = torch.NewDisposeScope();
        var cfg = TinyBatch.Shrink(ModelRegistry.Get("twostream-tiny").Config) with { Streams = streams, FrozenStemBatchNormTrains = bnTrains };
        var model = ModelRegistry.Create(cfg);
        string prefix = streams == StreamKind.Video ? "visual_backbone." : "visual_backbone_twostream.rgb_stream.";
        model.train();
        var before = StemRunningMean(model, prefix);
        var (rgb, hm, len, _, _) = TinyBatch.Make(cfg);
        model.Forward(rgb, hm, len);
        var changed = (StemRunningMean(model, prefix) - before).abs().max().item<float>() > 0;
        Assert.Equal(expectUpdate, changed);
        // The frozen weights never get gradients either way.
        Assert.All(model.named_parameters().Where(p => p.name.StartsWith(prefix + "backbone.base.0.")), p => Assert.False(p.parameter.requires_grad));
        // And the rest of the backbone does update its statistics.
        var other = model.state_dict()[prefix + "backbone.base.2.bn.num_batches_tracked"].item<long>();
        Assert.Equal(1, other);
    }
}
