using SignNotebooks.Keypoints;

namespace SignNotebooks.Data;

/// <summary>Which stream inputs a loader builds. Keypoint-only training never decodes frames.</summary>
[Flags]
public enum InputStreams
{
    /// <summary>Video frames → (B, 3, T, S, S).</summary>
    Rgb = 1,
    /// <summary>Keypoint heatmaps → (B, K, T, s, s).</summary>
    Heatmaps = 2,
    /// <summary>Both (the two-stream network).</summary>
    Both = Rgb | Heatmaps,
}

/// <summary>
/// Everything that turns a clip into stream inputs. Defaults are the paper's (spec §1.2, §1.3, §7.3, §7.4);
/// <see cref="Cpu"/> is the small CPU profile. Keep RgbSize = 2 × HeatmapSize as the paper does.
/// </summary>
public sealed record InputConfig
{
    /// <summary>RGB side after crop + resize (spec §1.3: 224).</summary>
    public int RgbSize { get; init; } = 224;
    /// <summary>Heatmap side after crop + resize (spec §1.2: 112).</summary>
    public int HeatmapSize { get; init; } = 112;
    /// <summary>Gaussian σ in map pixels (spec §1.2: 8).</summary>
    public double Sigma { get; init; } = 8.0;
    /// <summary>Heatmap grid (H, W) before the crop; null = the clip's raw frame size (Phoenix). CSL-Daily: (170, 170).</summary>
    public (int H, int W)? MapSize { get; init; }
    /// <summary>Keypoint parts (spec §1.2: the 79 of the paper); channel order is sorted by name.</summary>
    public IReadOnlyList<string> KeypointParts { get; init; } = Keypoints.KeypointParts.Paper79;
    /// <summary>Multiply maps by keypoint scores (SLRT: false).</summary>
    public bool WeightByConfidence { get; init; }
    /// <summary>Empty maps for (0, 0, 0) missed detections (SLRT: false, the corner blob stays).</summary>
    public bool DropMissing { get; init; }

    /// <summary>Train-time length range as fractions of T (spec §7.3: 0.5, 1.5).</summary>
    public double TMin { get; init; } = 0.5;
    public double TMax { get; init; } = 1.5;
    /// <summary>Frame cap (spec §7.3: 400).</summary>
    public int MaxFrames { get; init; } = 400;
    /// <summary>Lengths are multiples of this (spec §7.3: 4, the backbone's temporal stride).</summary>
    public int LengthMultiple { get; init; } = 4;

    /// <summary>Probability of colour jitter per training clip (spec §7.4: 0.3).</summary>
    public double JitterP { get; init; } = 0.3;
    public double Brightness { get; init; } = 0.4;
    public double Contrast { get; init; } = 0.4;
    public double Saturation { get; init; } = 0.4;
    public double Hue { get; init; } = 0.1;
    /// <summary>RandomResizedCrop area range (spec §7.4: (0.7, 1.0)).</summary>
    public (double Min, double Max) CropScale { get; init; } = (0.7, 1.0);
    /// <summary>RandomResizedCrop aspect ratio range (spec §7.4: (0.75, 1.3)).</summary>
    public (double Min, double Max) CropRatio { get; init; } = (0.75, 1.3);
    /// <summary>Eval centre crop side in RGB pixels (CSL-Daily: 270); null = plain resize (Phoenix).</summary>
    public int? EvalCenterCrop { get; init; }

    /// <summary>Frames per chunk for the spatial ops (spec §7.4: preprocess_chunksize 16); bounds memory only.</summary>
    public int ChunkFrames { get; init; } = 16;

    /// <summary>The paper's settings (Phoenix: heatmaps at raw resolution).</summary>
    public static InputConfig Paper { get; } = new();
    /// <summary>CPU profile: 64 / 32 inputs, everything else as the paper.</summary>
    public static InputConfig Cpu { get; } = new() { RgbSize = 64, HeatmapSize = 32 };
    /// <summary>CSL-Daily's settings (spec §7.4): map 170², eval centre crop 270 of the 320² frames.</summary>
    public static InputConfig CslDaily { get; } = new() { MapSize = (170, 170), EvalCenterCrop = 270 };

    /// <summary>The selection the parts describe.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public KeypointSelection Selection => KeypointSelection.FromParts(KeypointParts);

    /// <summary>Heatmap options derived from this config.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public HeatmapOptions HeatmapOptions => new(Sigma, WeightByConfidence, DropMissing);
}
