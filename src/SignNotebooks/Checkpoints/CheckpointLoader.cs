using SignNotebooks.Models;
using SignNotebooks.Util;
using TorchSharp;
using static TorchSharp.torch;

namespace SignNotebooks.Checkpoints;

/// <summary>Which stream(s) a backbone-only file (kylemin / torchvision S3D) initialises.</summary>
public enum BackboneTarget { Auto, Rgb, Keypoint, Both }

/// <summary>How to load. Non-strict skips missing/unexpected/mismatched keys and reports them (the official behaviour, spec §1.1).</summary>
public sealed record LoadOptions
{
    /// <summary>Refuse (before changing anything) unless every model key loads and nothing is left over.</summary>
    public bool Strict { get; init; }
    /// <summary>For S3D-only files: Auto = the model's stream, or both streams of a two-stream model.</summary>
    public BackboneTarget Backbone { get; init; } = BackboneTarget.Auto;
}

/// <summary>
/// Loads PyTorch checkpoints into our models by name: SLRT checkpoints (whole dict or `model_state`), plain state
/// dicts, kylemin `module.base.*` and torchvision `features.*` S3D files. Returns a <see cref="LoadReport"/>.
/// Our models carry the SLRT names without `recognition_network.` (see <see cref="RecognitionModel"/>).
/// </summary>
public static class CheckpointLoader
{
    public static LoadReport Load(RecognitionModel model, string path, LoadOptions? options = null) =>
        Load(model, StateDictFile.Read(path), options);

    public static LoadReport Load(RecognitionModel model, StateDictFile file, LoadOptions? options = null)
    {
        options ??= new LoadOptions();
        var format = CheckpointInspector.Detect(file.Tensors.Keys);
        var report = new LoadReport { Source = file.Path, DetectedFormat = CheckpointInspector.Describe(format) };
        var mapped = MapKeys(model, file.Tensors, format, options.Backbone, report);
        var target = model.state_dict();
        var plan = new List<(Tensor dst, Tensor src)>();
        var covered = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (modelKey, fileKey, src) in mapped)
        {
            if (!target.TryGetValue(modelKey, out var dst)) { report.Unexpected.Add(fileKey); continue; }
            if (!SameShape(src, dst)) { report.ShapeMismatched.Add(new ShapeMismatch(fileKey, src.shape, dst.shape, modelKey)); continue; }
            plan.Add((dst, src));
            covered.Add(modelKey);
            report.Loaded.Add(modelKey);
        }
        report.Missing.AddRange(target.Keys.Where(k => !covered.Contains(k)));
        AddHints(model, format, report);

        if (WrongKind(model.Config.Streams, format))
            throw new UserFacingException($"checkpoint {file.Path} is a {report.DetectedFormat} checkpoint; it does not fit a {model.Config.Streams} model, " +
                                          $"the model was not changed.\n{report}");
        if (options.Strict && !report.IsComplete)
            throw new UserFacingException($"strict load refused, the model was not changed.\n{report}\nFix: pick the matching variant/vocabulary, or load non-strict.");
        if (report.Loaded.Count == 0)
            throw new UserFacingException($"nothing in the file fits this model, the model was not changed.\n{report}");
        foreach (var (modelKey, fileKey, src) in mapped.Where(m => covered.Contains(m.modelKey) && m.t.is_floating_point()))
            if (!src.isfinite().all().item<bool>())
                throw new UserFacingException($"checkpoint {file.Path}: tensor {fileKey} holds {src.numel() - src.isfinite().sum().item<long>()} NaN or infinite " +
                                              "values, so every output of the model would be NaN; the model was not changed. Fix: use an earlier checkpoint of the run " +
                                              "(the loss diverged before this one was saved), or copy the file again.");
        using (torch.no_grad())
            foreach (var (dst, src) in plan) dst.copy_(src.to(dst.dtype).reshape(dst.shape));
        return report;
    }

    /// <summary>Turns file keys into model keys; records deliberately dropped entries as ignored.</summary>
    internal static List<(string modelKey, string fileKey, Tensor t)> MapKeys(RecognitionModel model, IReadOnlyDictionary<string, Tensor> tensors,
                                                                             CheckpointFormat format, BackboneTarget backbone, LoadReport report)
    {
        var list = new List<(string, string, Tensor)>();
        bool backboneOnly = format is CheckpointFormat.KyleminS3D or CheckpointFormat.TorchvisionS3D;
        var prefixes = backboneOnly ? BackbonePrefixes(model, backbone) : Array.Empty<string>();
        foreach (var (key, t) in tensors.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (backboneOnly)
            {
                string? baseKey = format == CheckpointFormat.TorchvisionS3D
                    ? KeyMaps.TorchvisionToKylemin(key)
                    : key.StartsWith("module.base.", StringComparison.Ordinal) ? key["module.".Length..]
                    : key.StartsWith("base.", StringComparison.Ordinal) ? key : null;
                // Blocks 5+ and the classifier are not part of the network (spec §1.1, `use_block: 4`).
                if (baseKey is null || BlockIndex(baseKey) > 12) { report.Ignored.Add(key); continue; }
                foreach (var p in prefixes) list.Add((p + baseKey, key, t));
                continue;
            }
            var k = key.StartsWith(KeyMaps.RecognitionPrefix, StringComparison.Ordinal) ? key[KeyMaps.RecognitionPrefix.Length..] : key;
            if (k.StartsWith("translation_network.", StringComparison.Ordinal) || k.StartsWith("vl_mapper.", StringComparison.Ordinal))
            { report.Ignored.Add(key); continue; } // S2T parts: not in a recognition network.
            list.Add((k, key, t));
        }
        return list;
    }

    // A whole network of another kind would load only the few names both share (e.g. `visual_head.*`): refuse it.
    private static bool WrongKind(StreamKind streams, CheckpointFormat format) => format switch
    {
        CheckpointFormat.SlrtTwoStream => streams != StreamKind.TwoStream,
        CheckpointFormat.SlrtVideo => streams != StreamKind.Video,
        CheckpointFormat.SlrtKeypoint => streams != StreamKind.Keypoint,
        _ => false,
    };

    private static int BlockIndex(string baseKey) => int.Parse(baseKey.Split('.')[1]);

    private static string[] BackbonePrefixes(RecognitionModel model, BackboneTarget target)
    {
        const string rgb = "visual_backbone_twostream.rgb_stream.backbone.", kp = "visual_backbone_twostream.pose_stream.backbone.";
        return model.Config.Streams switch
        {
            StreamKind.Video => new[] { "visual_backbone.backbone." },
            StreamKind.Keypoint => new[] { "visual_backbone_keypoint.backbone." },
            _ => target switch { BackboneTarget.Rgb => new[] { rgb }, BackboneTarget.Keypoint => new[] { kp }, _ => new[] { rgb, kp } },
        };
    }

    /// <summary>Shapes equal, or both single-element (a 0-d `num_batches_tracked` may arrive as shape [1]).</summary>
    internal static bool SameShape(Tensor a, Tensor b) =>
        a.shape.SequenceEqual(b.shape) || (a.numel() == 1 && b.numel() == 1);

    private static void AddHints(RecognitionModel model, CheckpointFormat format, LoadReport r)
    {
        var cls = r.ShapeMismatched.FirstOrDefault(m => m.Key.EndsWith("gloss_output_layer.weight", StringComparison.Ordinal) && m.FileShape[0] != m.ModelShape[0]);
        if (cls is not null)
            r.Hints.Add($"the classifier has V = {cls.FileShape[0]} glosses in the file but {cls.ModelShape[0]} in the model: the checkpoint was trained " +
                        $"on another vocabulary (cf. SLRT#39). Build the model with VocabularySize = {cls.FileShape[0]} to use it as is, or use the dataset it was trained on.");
        if (r.ShapeMismatched.Any(m => m.ModelKey.EndsWith("base.0.conv_s.weight", StringComparison.Ordinal) && m.FileShape.Length == 5 && m.FileShape[1] != m.ModelShape[1]))
            r.Hints.Add("the stem conv has a different number of input channels (e.g. 3-channel K400 weights into the keypoint stem): " +
                        "it keeps its random init, as in the official keypoint pretraining (spec §1.1).");
        int other = r.ShapeMismatched.Count(m => !m.Key.Contains("gloss_output_layer") && !m.ModelKey.EndsWith("base.0.conv_s.weight", StringComparison.Ordinal));
        if (other > 0)
            r.Hints.Add($"{other} tensors differ in shape beyond the classifier and the stem: the file was built with other channel or head sizes " +
                        "(another width profile, e.g. paper vs standard vs tiny). Pick the variant it was trained with.");
        var streams = model.Config.Streams;
        if (streams == StreamKind.TwoStream && format is CheckpointFormat.SlrtVideo or CheckpointFormat.SlrtKeypoint)
            r.Hints.Add("this is a single-stream checkpoint; a two-stream model is initialised from a video AND a keypoint checkpoint: " +
                        "use StreamMerge / `signnb checkpoint convert --video V --keypoint K` (spec §7.1).");
        if (streams != StreamKind.TwoStream && format == CheckpointFormat.SlrtTwoStream)
            r.Hints.Add("this is a two-stream checkpoint; load it into a two-stream variant (e.g. twostream-paper).");
        if (streams == StreamKind.Video && format == CheckpointFormat.SlrtKeypoint || streams == StreamKind.Keypoint && format == CheckpointFormat.SlrtVideo)
            r.Hints.Add("the checkpoint is for the other single stream (video vs keypoint).");
        if (format == CheckpointFormat.Unknown)
            r.Hints.Add("the key layout is not one of SLRT, kylemin S3D or torchvision S3D; compare with `signnb checkpoint inspect`.");
    }
}
