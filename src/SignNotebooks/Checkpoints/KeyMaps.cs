using System.Text.RegularExpressions;

namespace SignNotebooks.Checkpoints;

/// <summary>Key renaming between the official SLRT names, kylemin's S3D and torchvision's S3D (spec §12, §14).</summary>
public static class KeyMaps
{
    /// <summary>The SLRT model-state prefix; our model's keys are the same names without it.</summary>
    public const string RecognitionPrefix = "recognition_network.";

    // spec §14 table, torchvision → kylemin, for block index i.
    private static readonly (Regex From, string To)[] TorchvisionRules =
    {
        (new(@"^features\.(\d+)\.0\.0\.(.+)$"), "base.$1.conv_s.$2"),
        (new(@"^features\.(\d+)\.0\.1\.(.+)$"), "base.$1.bn_s.$2"),
        (new(@"^features\.(\d+)\.1\.0\.(.+)$"), "base.$1.conv_t.$2"),
        (new(@"^features\.(\d+)\.1\.1\.(.+)$"), "base.$1.bn_t.$2"),
        (new(@"^features\.(\d+)\.0\.(weight)$"), "base.$1.conv.$2"),
        (new(@"^features\.(\d+)\.1\.(weight|bias|running_mean|running_var|num_batches_tracked)$"), "base.$1.bn.$2"),
        (new(@"^features\.(\d+)\.branch0\.0\.(.+)$"), "base.$1.branch0.0.conv.$2"),
        (new(@"^features\.(\d+)\.branch0\.1\.(.+)$"), "base.$1.branch0.0.bn.$2"),
        (new(@"^features\.(\d+)\.branch([12])\.0\.0\.(.+)$"), "base.$1.branch$2.0.conv.$3"),
        (new(@"^features\.(\d+)\.branch([12])\.0\.1\.(.+)$"), "base.$1.branch$2.0.bn.$3"),
        (new(@"^features\.(\d+)\.branch([12])\.1\.0\.0\.(.+)$"), "base.$1.branch$2.1.conv_s.$3"),
        (new(@"^features\.(\d+)\.branch([12])\.1\.0\.1\.(.+)$"), "base.$1.branch$2.1.bn_s.$3"),
        (new(@"^features\.(\d+)\.branch([12])\.1\.1\.0\.(.+)$"), "base.$1.branch$2.1.conv_t.$3"),
        (new(@"^features\.(\d+)\.branch([12])\.1\.1\.1\.(.+)$"), "base.$1.branch$2.1.bn_t.$3"),
        (new(@"^features\.(\d+)\.branch3\.1\.0\.(.+)$"), "base.$1.branch3.1.conv.$2"),
        (new(@"^features\.(\d+)\.branch3\.1\.1\.(.+)$"), "base.$1.branch3.1.bn.$2"),
    };

    /// <summary>
    /// Maps a torchvision S3D key (`features.*`) to kylemin/SLRT naming (`base.*`); null for keys outside blocks
    /// 1–4 (features.13+, avgpool, classifier).
    /// </summary>
    public static string? TorchvisionToKylemin(string key)
    {
        var m = Regex.Match(key, @"^features\.(\d+)\.");
        if (!m.Success || int.Parse(m.Groups[1].Value) > 12) return null;
        // The patterns are disjoint: SepConv halves have two indices (`.0.1.`), BasicConv one (`features.2.1.weight`).
        foreach (var (from, to) in TorchvisionRules)
            if (from.IsMatch(key)) return from.Replace(key, to);
        return null;
    }

    /// <summary>Inverse of <see cref="TorchvisionToKylemin"/>, for exporting a backbone in torchvision names.</summary>
    public static string? KyleminToTorchvision(string key)
    {
        var rules = new (Regex, string)[]
        {
            (new(@"^base\.(\d+)\.conv_s\.(.+)$"), "features.$1.0.0.$2"), (new(@"^base\.(\d+)\.bn_s\.(.+)$"), "features.$1.0.1.$2"),
            (new(@"^base\.(\d+)\.conv_t\.(.+)$"), "features.$1.1.0.$2"), (new(@"^base\.(\d+)\.bn_t\.(.+)$"), "features.$1.1.1.$2"),
            (new(@"^base\.(\d+)\.conv\.(.+)$"), "features.$1.0.$2"), (new(@"^base\.(\d+)\.bn\.(.+)$"), "features.$1.1.$2"),
            (new(@"^base\.(\d+)\.branch0\.0\.conv\.(.+)$"), "features.$1.branch0.0.$2"), (new(@"^base\.(\d+)\.branch0\.0\.bn\.(.+)$"), "features.$1.branch0.1.$2"),
            (new(@"^base\.(\d+)\.branch([12])\.0\.conv\.(.+)$"), "features.$1.branch$2.0.0.$3"), (new(@"^base\.(\d+)\.branch([12])\.0\.bn\.(.+)$"), "features.$1.branch$2.0.1.$3"),
            (new(@"^base\.(\d+)\.branch([12])\.1\.conv_s\.(.+)$"), "features.$1.branch$2.1.0.0.$3"), (new(@"^base\.(\d+)\.branch([12])\.1\.bn_s\.(.+)$"), "features.$1.branch$2.1.0.1.$3"),
            (new(@"^base\.(\d+)\.branch([12])\.1\.conv_t\.(.+)$"), "features.$1.branch$2.1.1.0.$3"), (new(@"^base\.(\d+)\.branch([12])\.1\.bn_t\.(.+)$"), "features.$1.branch$2.1.1.1.$3"),
            (new(@"^base\.(\d+)\.branch3\.1\.conv\.(.+)$"), "features.$1.branch3.1.0.$2"), (new(@"^base\.(\d+)\.branch3\.1\.bn\.(.+)$"), "features.$1.branch3.1.1.$2"),
        };
        foreach (var (from, to) in rules) if (from.IsMatch(key)) return from.Replace(key, to);
        return null;
    }
}
