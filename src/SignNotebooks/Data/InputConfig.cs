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
    /// <summary>
    /// Blend each training clip's RGB frames, with probability P, with one still frame of another clip in its batch,
    /// at a weight drawn from [0, MaxWeight] (<see cref="StaticFrameMix"/>). Not in the paper (null). Left out of the
    /// serialised config when null, so the configs (and run-cache names) of runs without it stay as they were.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public StaticMixOptions? StaticMix { get; init; }
    /// <summary>
    /// With probability P per training clip and epoch, re-render the clip (<see cref="ISignDataset.LoadRestaged"/>): another
    /// background of the families its split already has, new lighting, and the signer in other clothes, skin and hair
    /// within the seen signers' ranges; signing, keypoints and labels stay. SynthSign only: a recorded corpus cannot
    /// re-render, and asking for it there is an error. Not in the paper (null). Why: SynthSign trains on 12 signers, each
    /// with one shirt, and the video stream learned them: on test-shift (unseen signers in brighter shirts, unseen
    /// backgrounds) it went from 34.5 % dev WER to 72.6 %, with unseen backgrounds alone costing 3 points and the signers 27
    /// (figures/RESULTS.md).
    /// Test-shift's background families, shirt lightness and signers never enter training. Not written when null, so
    /// other configs and run-cache names stay as they were.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public double? Restage { get; init; }
    /// <summary>RandomResizedCrop area range (spec §7.4: (0.7, 1.0)).</summary>
    public (double Min, double Max) CropScale { get; init; } = (0.7, 1.0);
    /// <summary>RandomResizedCrop aspect ratio range (spec §7.4: (0.75, 1.3)).</summary>
    public (double Min, double Max) CropRatio { get; init; } = (0.75, 1.3);
    /// <summary>Eval centre crop side in RGB pixels (CSL-Daily: 270); null = plain resize (Phoenix).</summary>
    public int? EvalCenterCrop { get; init; }

    /// <summary>
    /// Antialiased (area-weighted) bilinear downscaling of the RGB frames. The paper resizes without antialiasing
    /// (spec §7.4, torchvision 0.10 tensors), harmless from 210×260 to 224²; at the CPU profiles' 4× reduction a hand
    /// a few pixels wide aliases into noise. Null (not written, so paper configs are unchanged) = the paper's resize.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public bool? Antialias { get; init; }

    /// <summary>Frames per chunk for the spatial ops (spec §7.4: preprocess_chunksize 16); bounds memory only.</summary>
    public int ChunkFrames { get; init; } = 16;

    /// <summary>
    /// Scale the keypoint heatmaps by a trained importance estimator's prediction (issue 9's proposal; not in the
    /// paper). Null (not written to configs, so paper configs and run hashes are unchanged) means no gating.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public Importance.ImportanceGateConfig? ImportanceGate { get; init; }

    /// <summary>The paper's settings (Phoenix: heatmaps at raw resolution).</summary>
    public static InputConfig Paper { get; } = new();
    /// <summary>CPU profile: 64 / 32 inputs, everything else as the paper.</summary>
    public static InputConfig Cpu { get; } = new() { RgbSize = 64, HeatmapSize = 32 };
    /// <summary>CSL-Daily's settings (spec §7.4): map 170², eval centre crop 270 of the 320² frames. The loader
    /// resizes the 512² frames to 320² and scales the keypoints with them, so map/raw = 170/320 as in SLRT.</summary>
    public static InputConfig CslDaily { get; } = new() { MapSize = (170, 170), EvalCenterCrop = 270 };

    /// <summary>A named preset: cpu, paper or csl-daily.</summary>
    public static InputConfig FromName(string name) => name.ToLowerInvariant() switch
    {
        "cpu" => Cpu,
        "paper" or "phoenix" => Paper,
        "csl-daily" or "csl" => CslDaily,
        _ => throw new Util.UserFacingException($"unknown input preset '{name}'. Fix: use cpu, paper or csl-daily."),
    };

    /// <summary>Throws <see cref="Util.UserFacingException"/> naming the first setting that cannot work.</summary>
    public InputConfig Validate(string source = "input config")
    {
        void Check(bool ok, string what)
        {
            if (!ok) throw new Util.UserFacingException($"{source}: {what}.");
        }
        Check(RgbSize > 0 && HeatmapSize > 0, $"RgbSize ({RgbSize}) and HeatmapSize ({HeatmapSize}) must be positive");
        Check(Sigma > 0 && double.IsFinite(Sigma), $"Sigma must be a positive number (got {Sigma})");
        Check(MapSize is null || MapSize.Value.H > 0 && MapSize.Value.W > 0, $"MapSize {MapSize} must be positive or null (raw frame size)");
        Check(TMin > 0 && TMin <= TMax, $"TMin ({TMin}) must be > 0 and ≤ TMax ({TMax}); the paper uses 0.5 and 1.5");
        Check(LengthMultiple > 0 && MaxFrames >= LengthMultiple && MaxFrames % LengthMultiple == 0,
            $"MaxFrames ({MaxFrames}) must be a positive multiple of LengthMultiple ({LengthMultiple}); the paper uses 400 and 4");
        Check(JitterP is >= 0 and <= 1, $"JitterP must be in [0, 1] (got {JitterP})");
        Check(Restage is null or (>= 0 and <= 1), $"Restage is a probability in [0, 1] (got {Restage})");
        Check(StaticMix is null || StaticMix.P is >= 0 and <= 1 && StaticMix.MaxWeight is >= 0 and < 1,
            $"StaticMix needs P in [0, 1] and MaxWeight in [0, 1) (got {StaticMix})");
        Check(Brightness >= 0 && Contrast >= 0 && Saturation >= 0 && Hue is >= 0 and <= 0.5, "jitter strengths must be ≥ 0 and Hue ≤ 0.5");
        Check(CropScale.Min > 0 && CropScale.Min <= CropScale.Max && CropScale.Max <= 1, $"CropScale {CropScale} must satisfy 0 < min ≤ max ≤ 1");
        Check(CropRatio.Min > 0 && CropRatio.Min <= CropRatio.Max, $"CropRatio {CropRatio} must satisfy 0 < min ≤ max");
        Check(EvalCenterCrop is null or > 0, $"EvalCenterCrop must be positive or null (got {EvalCenterCrop})");
        Check(ChunkFrames > 0, $"ChunkFrames must be positive (got {ChunkFrames})");
        Check(ImportanceGate is null || ImportanceGate.Floor is >= 0 and < 1 && !string.IsNullOrWhiteSpace(ImportanceGate.Estimator),
            $"ImportanceGate needs an Estimator folder and a Floor in [0, 1) (got {ImportanceGate})");
        _ = Selection;   // unknown part names throw here, with the list of known parts
        return this;
    }

    /// <summary>The selection the parts describe.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public KeypointSelection Selection => KeypointSelection.FromParts(KeypointParts);

    /// <summary>Heatmap options derived from this config.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public HeatmapOptions HeatmapOptions => new(Sigma, WeightByConfidence, DropMissing);
}

/// <summary>Options of <see cref="StaticFrameMix"/>: the probability per training clip and the largest blend weight.</summary>
public sealed record StaticMixOptions(double P, double MaxWeight = 0.5);
