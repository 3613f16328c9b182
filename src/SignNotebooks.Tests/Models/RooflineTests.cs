using SignNotebooks.Models;

namespace SignNotebooks.Tests.Models;

public class RooflineTests
{
    [Fact]
    public void Flop_count_of_the_RGB_stem_equals_the_hand_count()
    {
        // Paper RGB stem, spatial part (spec §1.1): 3→64, k(1,7,7), s(1,2,2), p(0,3,3) on 16×224² → 16×112².
        // Multiply-adds: 64 outputs channels · 16·112·112 positions · 3·1·7·7 weights each = 1,888,223,232; FLOPs = 2×.
        var s = new Conv3dShape([1, 3, 16, 224, 224], [64, 3, 1, 7, 7], [1, 2, 2], [0, 3, 3], 1, [1, 64, 16, 112, 112]);
        Assert.Equal(2.0 * 1_888_223_232, s.ForwardFlops);
    }

    [Fact]
    public void Hooks_find_every_backbone_conv_and_the_video_to_keypoint_laterals()
    {
        var v = ModelRegistry.Get("twostream-tiny");
        var layers = Roofline.Conv3dLayers(v, 8);
        // Per S3D stream (blocks 1–4): stem 2, base.2 1, base.3 2, and 7 Mixed blocks (3b, 3c, 4b–4f) of 8 convs each
        // (b0 1, b1 1 + SepConv 2, b2 1 + SepConv 2, b3 1) = 61; two streams = 122; plus 3 video→keypoint laterals.
        Assert.Equal(2 * 61 + 3, layers.Count);
        Assert.Contains(layers, l => l.Weight[1] == v.Config.KeypointChannels && l.Weight[3] == 7);
        Assert.All(layers, l => Assert.True(l.ForwardFlops > 0));
    }
}
