using SignNotebooks.Models;
using SignNotebooks.Models.Losses;
using SignNotebooks.Util;
using TorchSharp;
using static TorchSharp.torch;

namespace SignNotebooks.Tests.Models;

public class ModelRegistryTests
{
    public static TheoryData<string> VariantNames()
    {
        var d = new TheoryData<string>();
        foreach (var v in ModelRegistry.Variants) d.Add(v.Name);
        return d;
    }

    [Theory]
    [MemberData(nameof(VariantNames))]
    public void Every_variant_builds_at_tiny_size_and_runs_forward_and_backward(string name)
    {
        using var scope = torch.NewDisposeScope();
        var cfg = TinyBatch.Shrink(ModelRegistry.Get(name).Config);
        var model = ModelRegistry.Create(cfg);
        model.train();
        var (rgb, hm, len, tgt, tlen) = TinyBatch.Make(cfg);
        var outputs = model.Forward(rgb, hm, len);
        var loss = new RecognitionLoss(cfg).Compute(outputs, tgt, tlen);
        Assert.True(float.IsFinite(loss.Total.item<float>()), $"{name}: loss {loss.Total.item<float>()}");
        loss.Total.backward();

        var trainable = model.named_parameters().Where(p => p.parameter.requires_grad).ToList();
        var noGrad = trainable.Where(p => p.parameter.grad is null).Select(p => p.name).ToList();
        Assert.True(noGrad.Count == 0, $"{name}: parameters without gradient: {string.Join(", ", noGrad.Take(8))}");

        if (cfg.Streams == StreamKind.TwoStream)
        {
            Assert.Equal(new[] { "video", "keypoint", "joint", "ensemble_last", "video_aux_0", "keypoint_aux_0", "video_aux_1", "keypoint_aux_1" },
                         outputs.Heads.Keys.ToArray());
            Assert.Equal(new[] { "ctc_video", "ctc_video_aux_0", "ctc_video_aux_1", "ctc_keypoint", "ctc_keypoint_aux_0", "ctc_keypoint_aux_1",
                                  "ctc_joint", "distill_video", "distill_keypoint", "distill_joint" }, loss.Terms.Keys.ToArray());
            // The frozen RGB stem (spec §1.1) gets no gradient.
            Assert.Contains(model.named_parameters(), p => p.name.Contains("rgb_stream.backbone.base.0.") && !p.parameter.requires_grad);
        }
        var main = outputs[cfg.Streams == StreamKind.Keypoint ? "keypoint" : "video"];
        Assert.Equal(new long[] { 2, 4, 12 }, main.LogProbs.shape); // T/4 = 4 frames, V = 12
        Assert.Equal(new long[] { 4, 3 }, main.ValidLengths.data<long>().ToArray());
        Assert.Equal(new long[] { 2, 4, 32 }, main.GlossFeature!.shape);
    }

    [Fact]
    public void Eval_adds_early_ensemble_and_ensemble_is_the_mean_probability()
    {
        using var scope = torch.NewDisposeScope();
        var cfg = TinyBatch.Shrink(ModelRegistry.Get("twostream-tiny").Config);
        var model = ModelRegistry.Create(cfg);
        model.eval();
        var (rgb, hm, len, _, _) = TinyBatch.Make(cfg);
        using var _ng = torch.no_grad();
        var o = model.Forward(rgb, hm, len);
        Assert.True(o.Has("ensemble_early"));
        Assert.Equal(new long[] { 2, 8, 12 }, o["ensemble_early"].Probs.shape); // P3 level: T/2
        var mean = (o["video"].Probs + o["keypoint"].Probs + o["joint"].Probs) / 3;
        Assert.True(torch.allclose(mean, o["ensemble_last"].Probs, rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void Switches_remove_modules_and_their_keys()
    {
        var cfg = TinyBatch.Shrink(ModelRegistry.Get("twostream-tiny").Config) with
        {
            LateralKeypointToRgb = false, Pyramid = false, JointHead = false, SelfDistillation = false,
        };
        using var model = ModelRegistry.Create(cfg);
        var keys = model.state_dict().Keys.ToList();
        Assert.DoesNotContain(keys, k => k.StartsWith("visual_backbone_twostream.rgb_stream_lateral."));
        Assert.Contains(keys, k => k.StartsWith("visual_backbone_twostream.pose_stream_lateral.0.conv.weight"));
        Assert.DoesNotContain(keys, k => k.Contains("pyramid") || k.StartsWith("visual_head_fuse") || k.Contains("remain"));
        model.train();
        var (rgb, hm, len, tgt, tlen) = TinyBatch.Make(cfg);
        var o = model.Forward(rgb, hm, len);
        var loss = new RecognitionLoss(cfg).Compute(o, tgt, tlen);
        Assert.Equal(new[] { "ctc_video", "ctc_keypoint" }, loss.Terms.Keys.ToArray());
    }

    [Fact]
    public void A_joint_head_warm_started_from_the_keypoint_head_predicts_what_the_keypoint_head_predicts()
    {
        using var scope = torch.NewDisposeScope();
        var cfg = TinyBatch.Shrink(ModelRegistry.Get("twostream-tiny").Config);
        using var model = ModelRegistry.Create(cfg);
        model.eval();
        var rgb = torch.randn(new long[] { 1, 3, 8, 64, 64 });
        var hm = torch.randn(new long[] { 1, 79, 8, 32, 32 });
        var len = torch.tensor(new long[] { 8 });
        var before = model.Forward(rgb, hm, len);
        Assert.False(torch.allclose(before["joint"].Probs, before["keypoint"].Probs, rtol: 1e-4, atol: 1e-5));
        Assert.True(SignNotebooks.Checkpoints.JointHeadWarmStart.Apply(model) > 5);
        var after = model.Forward(rgb, hm, len);
        Assert.True(torch.allclose(after["joint"].Probs, after["keypoint"].Probs, rtol: 1e-5, atol: 1e-6));
        Assert.True(torch.allclose(before["keypoint"].Probs, after["keypoint"].Probs, rtol: 0, atol: 0));
    }

    [Fact]
    public void The_standard_profile_sizes_48_and_24_run_the_pyramid_and_every_head()
    {
        // 24² heatmaps reach 3 at C3 and 2 at C4 (the pools round up), so Up0(C4) comes back 4 wide and is trimmed to 3.
        using var scope = torch.NewDisposeScope();
        var cfg = TinyBatch.Shrink(ModelRegistry.Get("twostream-tiny").Config);
        using var model = ModelRegistry.Create(cfg);
        model.train();
        var o = model.Forward(torch.randn(new long[] { 1, 3, 8, 48, 48 }), torch.randn(new long[] { 1, 79, 8, 24, 24 }), torch.tensor(new long[] { 8 }));
        var loss = new RecognitionLoss(cfg).Compute(o, torch.tensor(new long[,] { { 1, 2 } }), torch.tensor(new long[] { 2 }));
        Assert.Contains(loss.Terms.Keys, k => k.Contains("aux"));
        Assert.True(float.IsFinite(loss.Total.item<float>()));
        var up = torch.zeros(new long[] { 1, 4, 2, 4, 4 });
        Assert.Equal(new long[] { 1, 4, 2, 3, 3 }, SignNotebooks.Models.Pyramid.PyramidNetwork.CropTo(up, torch.zeros(new long[] { 1, 4, 2, 3, 3 })).shape);
        Assert.Same(up, SignNotebooks.Models.Pyramid.PyramidNetwork.CropTo(up, torch.zeros(new long[] { 1, 4, 2, 4, 4 })));
        Assert.Throws<ArgumentException>(() => SignNotebooks.Models.Pyramid.PyramidNetwork.CropTo(up, torch.zeros(new long[] { 1, 4, 2, 2, 2 })));
    }

    [Fact]
    public void Frame_sizes_that_break_the_laterals_or_the_pyramid_are_rejected_in_plain_words()
    {
        using var scope = torch.NewDisposeScope();
        var cfg = TinyBatch.Shrink(ModelRegistry.Get("twostream-tiny").Config);
        using var model = ModelRegistry.Create(cfg);
        var len = torch.tensor(new long[] { 8 });
        var e = Assert.Throws<ArgumentException>(() => model.Forward(torch.zeros(new long[] { 1, 3, 8, 56, 56 }), torch.zeros(new long[] { 1, 79, 8, 28, 28 }), len));
        Assert.Contains("divisible by 8", e.Message);
        Assert.Throws<ArgumentException>(() => model.Forward(torch.zeros(new long[] { 1, 3, 8, 64, 64 }), torch.zeros(new long[] { 1, 79, 8, 64, 64 }), len));
        Assert.Throws<ArgumentException>(() => model.Forward(torch.zeros(new long[] { 1, 3, 6, 64, 64 }), torch.zeros(new long[] { 1, 79, 6, 32, 32 }), len));
        Assert.Throws<ArgumentException>(() => model.Forward(null, torch.zeros(new long[] { 1, 79, 8, 32, 32 }), len));
    }

    [Fact]
    public void Unknown_variant_names_the_known_ones()
    {
        var e = Assert.Throws<UserFacingException>(() => ModelRegistry.Get("twostream-huge"));
        Assert.Contains("twostream-paper", e.Message);
    }
}
