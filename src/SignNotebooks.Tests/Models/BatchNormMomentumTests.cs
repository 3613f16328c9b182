using SignNotebooks.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace SignNotebooks.Tests.Models;

/// <summary>The S3D BN momentum is the paper's 1e-3 unless the config says otherwise, in both streams and the pyramid.</summary>
public class BatchNormMomentumTests
{
    [Theory]
    [InlineData(null, 1e-3)]
    [InlineData(0.1, 0.1)]
    public void Every_s3d_batch_norm_moves_its_running_mean_by_the_configured_momentum(double? momentum, double expected)
    {
        using var scope = torch.NewDisposeScope();
        var baseCfg = TinyBatch.Shrink(ModelRegistry.Get("twostream-tiny").Config) with { Streams = StreamKind.TwoStream };
        var cfg = momentum is { } m ? baseCfg with { BackboneBatchNormMomentum = m } : baseCfg;
        var model = ModelRegistry.Create(cfg);
        model.train();
        var keys = model.state_dict().Keys.Where(k => k.EndsWith("running_mean") && k.Contains(".pose_stream.")).ToList();
        string backboneKey = keys.First(k => k.Contains(".backbone.base.2."));
        string pyramidKey = keys.First(k => k.Contains(".pyramid."));
        var (rgb, hm, len, _, _) = TinyBatch.Make(cfg);
        model.Forward(rgb, hm, len);
        var after1 = model.state_dict().Where(kv => keys.Contains(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        model.Forward(rgb, hm, len);
        // Same batch twice from a zero running mean: r1 = m·μ, r2 = (1 − m)·m·μ + m·μ, so |r2| / |r1| = 2 − m.
        foreach (var k in new[] { backboneKey, pyramidKey })
        {
            var ratio = model.state_dict()[k].norm().item<float>() / after1[k].norm().item<float>();
            Assert.True(Math.Abs(ratio - (2 - expected)) < 1e-3, $"{k}: |r2|/|r1| = {ratio}, expected {2 - expected}");
        }
    }

    [Fact]
    public void Out_of_range_momentum_is_a_config_error()
    {
        var cfg = ModelRegistry.Get("twostream-tiny").Config with { BackboneBatchNormMomentum = 0 };
        var e = Assert.Throws<SignNotebooks.Util.UserFacingException>(cfg.Validate);
        Assert.Contains("BackboneBatchNormMomentum", e.Message);
    }
}
