using SignNotebooks.Checkpoints;
using SignNotebooks.Models;
using SignNotebooks.Tests.Models;
using SignNotebooks.Util;
using TorchSharp;
using static TorchSharp.torch;

namespace SignNotebooks.Tests.Checkpoints;

/// <summary>Import/export round trips, stream merge and bad input (spec §7.1, §12).</summary>
public sealed class CheckpointTests : IDisposable
{
    private readonly string dir = PyTorchReference.TempDir();
    public void Dispose() => Directory.Delete(dir, true);

    private static ModelConfig Tiny(StreamKind s, int vocab = 12) =>
        TinyBatch.Shrink(ModelRegistry.Get("twostream-tiny").Config) with { Streams = s, VocabularySize = vocab, HeadDropout = 0 };

    private static float MaxDiff(nn.Module a, nn.Module b, string prefixA = "", string prefixB = "")
    {
        var sb = b.state_dict();
        return a.state_dict().Where(kv => kv.Key.StartsWith(prefixA, StringComparison.Ordinal) && kv.Value.is_floating_point())
            .Max(kv => (kv.Value - sb[prefixB + kv.Key[prefixA.Length..]]).abs().max().item<float>());
    }

    [Fact]
    public void Export_then_strict_import_restores_every_tensor()
    {
        using var scope = torch.NewDisposeScope();
        var a = ModelRegistry.Create(Tiny(StreamKind.TwoStream));
        var path = Path.Combine(dir, "a.pt");
        CheckpointExporter.Save(a, path);
        var file = StateDictFile.Read(path);
        Assert.All(file.Tensors.Keys, k => Assert.StartsWith("recognition_network.", k));
        var b = ModelRegistry.Create(Tiny(StreamKind.TwoStream));
        Assert.True(MaxDiff(a, b) > 0); // different random init before loading
        var report = CheckpointLoader.Load(b, path, new LoadOptions { Strict = true });
        Assert.True(report.IsComplete, report.ToString());
        Assert.Equal(0f, MaxDiff(a, b));
    }

    [PyTorchFact]
    public void Exported_file_loads_strictly_in_the_pytorch_reference_and_slrt_dicts_import()
    {
        using var scope = torch.NewDisposeScope();
        var cfg = Tiny(StreamKind.TwoStream);
        var model = ModelRegistry.Create(cfg);
        var path = Path.Combine(dir, "export.pt");
        CheckpointExporter.Save(model, path);
        var printed = PyTorchReference.RunScript("twostream_ref.py", $"loadcheck \"{path}\" --width 0.125 --hidden 32 --ff 64 --vocab 12 --pe-len 64");
        Assert.Contains($"\"keys\": {model.state_dict().Count}", printed);

        // Our SLRT-style dict: torch.load sees model_state; we read it back too.
        var slrt = Path.Combine(dir, "ours_slrt.pth");
        CheckpointExporter.SaveSlrtCheckpoint(model, slrt, epoch: 5, globalStep: 50);
        var ourDict = StateDictFile.Read(slrt);
        Assert.Equal("model_state", ourDict.Container);
        Assert.Equal(model.state_dict().Count, ourDict.Tensors.Count);
        var check = PyTorchReference.RunScript("twostream_ref.py", $"loadcheck \"{slrt}\" --width 0.125 --hidden 32 --ff 64 --vocab 12 --pe-len 64");
        Assert.Contains("\"epoch\": 5", check);

        // A whole SLRT training checkpoint (model_state + optimizer etc.) written by PyTorch.
        PyTorchReference.RunScript("twostream_ref.py", $"fixture \"{dir}\" --width 0.125 --hidden 32 --ff 64 --vocab 12 --pe-len 64");
        var file = StateDictFile.Read(Path.Combine(dir, "slrt_checkpoint.pth"));
        Assert.Equal("model_state", file.Container);
        Assert.Contains("optimizer_state", file.OtherEntries);
        Assert.Equal(CheckpointFormat.SlrtTwoStream, CheckpointInspector.Detect(file.Tensors.Keys));
        Assert.Null(CheckpointInspector.MatchVariant(file.Tensors)); // width 1/8 is not a paper-width variant
        var report = CheckpointLoader.Load(model, file, new LoadOptions { Strict = true });
        Assert.True(report.IsComplete, report.ToString());
    }

    [Fact]
    public void Inspector_matches_a_paper_width_file_to_its_variant_and_vocabulary()
    {
        using var scope = torch.NewDisposeScope();
        var path = Path.Combine(dir, "video-paper.pt");
        using (var m = ModelRegistry.Build("video-paper", c => c with { VocabularySize = 1235 })) CheckpointExporter.Save(m, path);
        var file = StateDictFile.Read(path);
        Assert.Equal(1235, CheckpointInspector.VocabularySize(file.Tensors));
        Assert.Equal("video-paper (V=1235)", CheckpointInspector.MatchVariant(file.Tensors));
    }

    [Fact]
    public void Vocabulary_mismatch_is_reported_with_both_shapes_and_strict_refuses_without_changes()
    {
        using var scope = torch.NewDisposeScope();
        var src = ModelRegistry.Create(Tiny(StreamKind.TwoStream, vocab: 12));
        var path = Path.Combine(dir, "v12.pt");
        CheckpointExporter.Save(src, path);
        var dst = ModelRegistry.Create(Tiny(StreamKind.TwoStream, vocab: 14));
        var before = dst.state_dict()["visual_head.fc1.weight"].clone();

        var e = Assert.Throws<UserFacingException>(() => CheckpointLoader.Load(dst, path, new LoadOptions { Strict = true }));
        Assert.Contains("visual_head.gloss_output_layer.weight: file (12, 32) vs model (14, 32)", e.Message);
        Assert.Contains("SLRT#39", e.Message);
        Assert.True((before - dst.state_dict()["visual_head.fc1.weight"]).abs().max().item<float>() == 0, "strict refusal must not change the model");

        var report = CheckpointLoader.Load(dst, path); // non-strict: everything but the 7 classifiers (weight + bias)
        Assert.Equal(14, report.ShapeMismatched.Count);
        Assert.Empty(report.Unexpected);
        Assert.Equal(14, report.Missing.Count);
        Assert.Contains("shape mismatch (skipped)", report.ToString());
    }

    [Fact]
    public void Truncated_and_non_zip_files_give_user_facing_errors()
    {
        using var scope = torch.NewDisposeScope();
        var path = Path.Combine(dir, "full.pt");
        CheckpointExporter.Save(ModelRegistry.Create(Tiny(StreamKind.Video)), path);
        var bytes = File.ReadAllBytes(path);
        var cut = Path.Combine(dir, "cut.pt");
        File.WriteAllBytes(cut, bytes[..(bytes.Length / 2)]);
        var e = Assert.Throws<UserFacingException>(() => StateDictFile.Read(cut));
        Assert.Contains("cut.pt", e.Message);
        Assert.Contains("truncated", e.Message);

        var junk = Path.Combine(dir, "junk.pth");
        File.WriteAllBytes(junk, new byte[] { 0x80, 0x02, 1, 2, 3, 4, 5, 6 });
        var e2 = Assert.Throws<UserFacingException>(() => StateDictFile.Read(junk));
        Assert.Contains("junk.pth", e2.Message);
        Assert.Throws<UserFacingException>(() => StateDictFile.Read(Path.Combine(dir, "absent.pt")));
    }

    [Fact]
    public void Checkpoint_of_another_variant_is_refused_with_a_hint()
    {
        using var scope = torch.NewDisposeScope();
        var path = Path.Combine(dir, "two.pt");
        CheckpointExporter.Save(ModelRegistry.Create(Tiny(StreamKind.TwoStream)), path);
        var video = ModelRegistry.Create(Tiny(StreamKind.Video));
        var e = Assert.Throws<UserFacingException>(() => CheckpointLoader.Load(video, path));
        Assert.Contains("two-stream", e.Message);

        var vpath = Path.Combine(dir, "video.pt");
        CheckpointExporter.Save(video, vpath);
        var e2 = Assert.Throws<UserFacingException>(() => CheckpointLoader.Load(ModelRegistry.Create(Tiny(StreamKind.TwoStream)), vpath));
        Assert.Contains("convert --video", e2.Message);
    }

    [Fact]
    public void Two_single_stream_checkpoints_merge_into_a_two_stream_init()
    {
        using var scope = torch.NewDisposeScope();
        var video = ModelRegistry.Create(Tiny(StreamKind.Video));
        var kp = ModelRegistry.Create(Tiny(StreamKind.Keypoint));
        string vp = Path.Combine(dir, "v.pt"), kpp = Path.Combine(dir, "k.pt");
        CheckpointExporter.Save(video, vp);
        CheckpointExporter.Save(kp, kpp);
        var two = ModelRegistry.Create(Tiny(StreamKind.TwoStream));
        var report = StreamMerge.LoadInto(two, StateDictFile.Read(vp), StateDictFile.Read(kpp));
        Assert.Empty(report.Unexpected);
        Assert.Empty(report.ShapeMismatched);
        Assert.Equal(video.state_dict().Count + kp.state_dict().Count, report.Loaded.Count);
        Assert.All(report.Missing, k => Assert.True(k.Contains("lateral") || k.Contains("pyramid") || k.StartsWith("visual_head_fuse") || k.Contains("remain"), k));
        Assert.Equal(0f, MaxDiff(video, two, "visual_backbone.", "visual_backbone_twostream.rgb_stream."));
        Assert.Equal(0f, MaxDiff(kp, two, "visual_backbone_keypoint.", "visual_backbone_twostream.pose_stream."));
        Assert.Equal(0f, MaxDiff(kp, two, "visual_head_keypoint.", "visual_head_keypoint."));
        // Swapped arguments are a user error, not a silent mix-up.
        Assert.Throws<UserFacingException>(() => StreamMerge.Merge(StateDictFile.Read(kpp), StateDictFile.Read(vp)));
    }

    [Fact]
    public void Kylemin_k400_file_initialises_the_keypoint_stream_except_its_stem_conv()
    {
        using var scope = torch.NewDisposeScope();
        var video = ModelRegistry.Create(Tiny(StreamKind.Video));
        var k400 = video.state_dict().Where(kv => kv.Key.StartsWith("visual_backbone.backbone.", StringComparison.Ordinal))
            .ToDictionary(kv => "module." + kv.Key["visual_backbone.backbone.".Length..], kv => kv.Value);
        k400["module.fc.0.weight"] = torch.zeros(new long[] { 400, 8, 1, 1, 1 });
        var path = Path.Combine(dir, "k400.pt");
        CheckpointExporter.Save(k400, path);
        var kp = ModelRegistry.Create(Tiny(StreamKind.Keypoint));
        var report = CheckpointLoader.Load(kp, path);
        Assert.Equal("kylemin S3D (Kinetics-400 backbone)", report.DetectedFormat);
        Assert.Equal("module.fc.0.weight", Assert.Single(report.Ignored));
        Assert.Equal("module.base.0.conv_s.weight", Assert.Single(report.ShapeMismatched).Key); // spec §1.1: only the 79-ch stem conv
        Assert.Equal(k400.Count - 2, report.Loaded.Count);
        Assert.Equal(0f, MaxDiff(video, kp, "visual_backbone.backbone.base.0.bn_s.", "visual_backbone_keypoint.backbone.base.0.bn_s."));
    }

    [Fact]
    public void Torchvision_backbone_into_two_stream_model_fills_both_streams_except_the_79_channel_stem()
    {
        using var scope = torch.NewDisposeScope();
        // A torchvision-named S3D file made from our own backbone (same shapes at width 1/8 as long as both use 1/8).
        var video = ModelRegistry.Create(Tiny(StreamKind.Video));
        var tv = video.state_dict().Where(kv => kv.Key.StartsWith("visual_backbone.backbone.", StringComparison.Ordinal))
            .ToDictionary(kv => KeyMaps.KyleminToTorchvision(kv.Key["visual_backbone.backbone.".Length..])!, kv => kv.Value);
        tv["classifier.1.weight"] = torch.zeros(4, 4);
        var path = Path.Combine(dir, "tv.pt");
        CheckpointExporter.Save(tv, path);
        var two = ModelRegistry.Create(Tiny(StreamKind.TwoStream));
        var report = CheckpointLoader.Load(two, path);
        Assert.Equal("classifier.1.weight", Assert.Single(report.Ignored));
        var mismatch = Assert.Single(report.ShapeMismatched); // only the keypoint stem conv: 3 vs 79 input channels (spec §1.1)
        Assert.Equal("features.0.0.0.weight", mismatch.Key);
        Assert.Contains(report.Hints, h => h.Contains("keypoint stem"));
        Assert.Equal(2 * tv.Count - 1 - 1 - 1, report.Loaded.Count); // both streams, minus classifier twice, minus the kp stem conv
    }
}
