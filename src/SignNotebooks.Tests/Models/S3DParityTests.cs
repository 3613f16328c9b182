using SignNotebooks.Checkpoints;
using SignNotebooks.Models;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace SignNotebooks.Tests.Models;

/// <summary>spec §14: our S3D blocks 1–4 equal torchvision 0.14.1 `s3d(weights=None)` through the key map, in eval.</summary>
public class S3DParityTests(Xunit.Abstractions.ITestOutputHelper log)
{
    [PyTorchFact]
    public void Blocks_1_to_4_match_torchvision_s3d_within_1e_4()
    {
        var dir = PyTorchReference.TempDir();
        try
        {
            PyTorchReference.RunScript("s3d_parity.py", $"\"{dir}\" --frames 8 --size 64");
            using var scope = torch.NewDisposeScope();
            using var model = ModelRegistry.Build("video-paper");
            var report = CheckpointLoader.Load(model, Path.Combine(dir, "weights.pt"));
            // Every backbone tensor loads; only the head is missing; the classifier/avgpool are outside features.0..12.
            Assert.Empty(report.ShapeMismatched);
            Assert.Empty(report.Unexpected);
            Assert.DoesNotContain(report.Missing, k => k.StartsWith("visual_backbone.", StringComparison.Ordinal));
            Assert.Equal(model.state_dict().Keys.Count(k => k.StartsWith("visual_backbone.", StringComparison.Ordinal)), report.Loaded.Count);

            var io = PyTorchUnpickler.UnpickleStateDict(Path.Combine(dir, "io.pt"));
            var single = (SingleStreamModel)model;
            model.eval();
            using var _ = torch.no_grad();
            var levels = single.Encoder.Backbone.ForwardLevels((Tensor)io["input"]!);
            for (int i = 0; i < 4; i++)
            {
                var expected = (Tensor)io[$"c{i + 1}"]!;
                Assert.Equal(expected.shape, levels[i].shape);
                var diff = (levels[i] - expected).abs().max().item<float>();
                log.WriteLine($"C{i + 1} {string.Join("x", expected.shape)}: max abs diff {diff:E2}");
                // Measured ≤ 7.2e-7 (a few float32 ulps of activations near 1–4); 2e-6 leaves room for summation order, not for a bug.
                Assert.True(diff <= 2e-6f, $"C{i + 1}: max abs diff {diff} > 2e-6");
            }
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Torchvision_key_map_follows_the_spec_table()
    {
        Assert.Equal("base.0.conv_s.weight", KeyMaps.TorchvisionToKylemin("features.0.0.0.weight"));
        Assert.Equal("base.0.bn_t.running_var", KeyMaps.TorchvisionToKylemin("features.0.1.1.running_var"));
        Assert.Equal("base.2.conv.weight", KeyMaps.TorchvisionToKylemin("features.2.0.weight"));
        Assert.Equal("base.2.bn.num_batches_tracked", KeyMaps.TorchvisionToKylemin("features.2.1.num_batches_tracked"));
        Assert.Equal("base.5.branch0.0.bn.bias", KeyMaps.TorchvisionToKylemin("features.5.branch0.1.bias"));
        Assert.Equal("base.9.branch2.1.conv_t.weight", KeyMaps.TorchvisionToKylemin("features.9.branch2.1.1.0.weight"));
        Assert.Equal("base.12.branch3.1.bn.weight", KeyMaps.TorchvisionToKylemin("features.12.branch3.1.1.weight"));
        Assert.Null(KeyMaps.TorchvisionToKylemin("features.14.branch0.0.weight"));
        Assert.Null(KeyMaps.TorchvisionToKylemin("classifier.1.weight"));
        foreach (var k in new[] { "base.3.conv_t.weight", "base.2.bn.bias", "base.8.branch1.1.bn_s.running_mean", "base.6.branch3.1.conv.weight" })
            Assert.Equal(k, KeyMaps.TorchvisionToKylemin(KeyMaps.KyleminToTorchvision(k)!));
    }
}
