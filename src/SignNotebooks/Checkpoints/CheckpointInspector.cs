using SignNotebooks.Models;
using static TorchSharp.torch;

namespace SignNotebooks.Checkpoints;

/// <summary>The kinds of file the loader understands (spec §12, §14).</summary>
public enum CheckpointFormat
{
    /// <summary>SLRT two-stream S2G: `recognition_network.visual_backbone_twostream.*`.</summary>
    SlrtTwoStream,
    /// <summary>SLRT video-only S2G: `recognition_network.visual_backbone.*` + `visual_head.*`.</summary>
    SlrtVideo,
    /// <summary>SLRT keypoint-only S2G: `recognition_network.visual_backbone_keypoint.*` + `visual_head_keypoint.*`.</summary>
    SlrtKeypoint,
    /// <summary>SLRT S2T: heads in feature mode plus the translation network; no backbone.</summary>
    SlrtTranslation,
    /// <summary>kylemin S3D Kinetics-400: `module.base.*`, `module.fc.*`.</summary>
    KyleminS3D,
    /// <summary>torchvision S3D: `features.*`, `classifier.*`.</summary>
    TorchvisionS3D,
    Unknown,
}

/// <summary>Recognises a checkpoint's format and the registered variant it matches.</summary>
public static class CheckpointInspector
{
    /// <summary>Classifies a set of state-dict keys.</summary>
    public static CheckpointFormat Detect(IEnumerable<string> keys)
    {
        var k = keys.Select(s => s.StartsWith(KeyMaps.RecognitionPrefix, StringComparison.Ordinal) ? s[KeyMaps.RecognitionPrefix.Length..] : s).ToList();
        if (k.Any(s => s.StartsWith("features.", StringComparison.Ordinal))) return CheckpointFormat.TorchvisionS3D;
        if (k.Any(s => s.StartsWith("module.base.", StringComparison.Ordinal) || s.StartsWith("base.", StringComparison.Ordinal))) return CheckpointFormat.KyleminS3D;
        if (k.Any(s => s.StartsWith("visual_backbone_twostream.", StringComparison.Ordinal))) return CheckpointFormat.SlrtTwoStream;
        if (k.Any(s => s.StartsWith("visual_backbone.", StringComparison.Ordinal))) return CheckpointFormat.SlrtVideo;
        if (k.Any(s => s.StartsWith("visual_backbone_keypoint.", StringComparison.Ordinal))) return CheckpointFormat.SlrtKeypoint;
        if (k.Any(s => s.StartsWith("translation_network.", StringComparison.Ordinal) || s.StartsWith("visual_head", StringComparison.Ordinal)))
            return CheckpointFormat.SlrtTranslation;
        return CheckpointFormat.Unknown;
    }

    /// <summary>Plain-words name of a format.</summary>
    public static string Describe(CheckpointFormat f) => f switch
    {
        CheckpointFormat.SlrtTwoStream => "SLRT two-stream S2G",
        CheckpointFormat.SlrtVideo => "SLRT video-only S2G",
        CheckpointFormat.SlrtKeypoint => "SLRT keypoint-only S2G",
        CheckpointFormat.SlrtTranslation => "SLRT S2T (heads + translation network, no backbone)",
        CheckpointFormat.KyleminS3D => "kylemin S3D (Kinetics-400 backbone)",
        CheckpointFormat.TorchvisionS3D => "torchvision S3D",
        _ => "unrecognised key layout",
    };

    /// <summary>Vocabulary size read from the first `gloss_output_layer.weight` found, if any.</summary>
    public static int? VocabularySize(IReadOnlyDictionary<string, Tensor> tensors) =>
        tensors.Where(kv => kv.Key.EndsWith("gloss_output_layer.weight", StringComparison.Ordinal)).Select(kv => (int?)kv.Value.shape[0]).FirstOrDefault();

    /// <summary>
    /// The registered paper-width variant whose key+shape set equals the file's (after removing the SLRT prefix and
    /// using the file's vocabulary size), or null. Builds each candidate model, so it takes a few seconds.
    /// </summary>
    public static string? MatchVariant(IReadOnlyDictionary<string, Tensor> tensors)
    {
        var format = Detect(tensors.Keys);
        string? name = format switch
        {
            CheckpointFormat.SlrtTwoStream => "twostream-paper",
            CheckpointFormat.SlrtVideo => "video-paper",
            CheckpointFormat.SlrtKeypoint => "keypoint-paper",
            _ => null,
        };
        if (name is null) return null;
        int vocab = VocabularySize(tensors) ?? new ModelConfig().VocabularySize;
        var fileSet = tensors.Where(kv => kv.Key.StartsWith(KeyMaps.RecognitionPrefix, StringComparison.Ordinal) || !kv.Key.Contains("translation_network"))
            .Select(kv => $"{Strip(kv.Key)}\t{string.Join(",", kv.Value.shape)}").ToHashSet();
        using var model = ModelRegistry.Build(name, c => c with { VocabularySize = vocab });
        var modelSet = ModelSummary.KeyShapeLines(model).ToHashSet();
        return modelSet.SetEquals(fileSet) ? $"{name} (V={vocab})" : null;
    }

    private static string Strip(string k) => k.StartsWith(KeyMaps.RecognitionPrefix, StringComparison.Ordinal) ? k[KeyMaps.RecognitionPrefix.Length..] : k;
}
