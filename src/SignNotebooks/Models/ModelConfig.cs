namespace SignNotebooks.Models;

/// <summary>Which streams a recognition model has; selects the module tree and the official key prefixes (spec §12).</summary>
public enum StreamKind
{
    /// <summary>RGB and keypoint S3D with laterals, joint head and SPN: `visual_backbone_twostream.*`.</summary>
    TwoStream,
    /// <summary>RGB only: `visual_backbone.*` + `visual_head.*` (stage 1a, spec §7.1).</summary>
    Video,
    /// <summary>Keypoint heatmaps only: `visual_backbone_keypoint.*` + `visual_head_keypoint.*` (stage 1b).</summary>
    Keypoint,
}

/// <summary>
/// Everything that shapes a TwoStream-SLR recognition network. Defaults are the paper's (spec §1–§6); the CPU
/// profiles in <see cref="ModelRegistry"/> are `with`-expressions over it. Every switch exists so an ablation can
/// turn one component off; turning a component off removes its modules (and its state-dict keys).
/// </summary>
public sealed record ModelConfig
{
    public StreamKind Streams { get; init; } = StreamKind.TwoStream;
    /// <summary>Classifier size V incl. blank 0; 1124 is Phoenix-2014T (spec §6).</summary>
    public int VocabularySize { get; init; } = 1124;
    /// <summary>Heatmap channels of the keypoint stem; 79 in every released config (spec §1.2).</summary>
    public int KeypointChannels { get; init; } = 79;
    /// <summary>RGB stem input channels (spec §1.3).</summary>
    public int RgbChannels { get; init; } = 3;
    /// <summary>Multiplies every S3D and lateral/pyramid channel count; 1.0 gives the official shapes.</summary>
    public double Width { get; init; } = 1.0;
    /// <summary>Visual head hidden size (spec §3: 512). The gloss feature has this size.</summary>
    public int HeadHidden { get; init; } = 512;
    /// <summary>Visual head feed-forward size (spec §3: 2048).</summary>
    public int HeadFeedForward { get; init; } = 2048;
    /// <summary>Dropout inside every visual head (spec §3: 0.1). Parity tests set 0 for determinism.</summary>
    public double HeadDropout { get; init; } = 0.1;
    /// <summary>Rows of the persistent positional-encoding buffer (spec §3: 5000).</summary>
    public int PositionalMaxLength { get; init; } = 5000;

    /// <summary>keypoint → video lateral ("pose2rgb", ConvTranspose3d) after C1..C3 (spec §2).</summary>
    public bool LateralKeypointToRgb { get; init; } = true;
    /// <summary>video → keypoint lateral ("rgb2pose", Conv3d) after C1..C3 (spec §2).</summary>
    public bool LateralRgbToKeypoint { get; init; } = true;
    /// <summary>Sign pyramid network + its 2 aux heads per stream (spec §4). Two-stream only.</summary>
    public bool Pyramid { get; init; } = true;
    /// <summary>Joint head on concat[keypoint, video] (spec §3). Two-stream only.</summary>
    public bool JointHead { get; init; } = true;
    /// <summary>Frame-level self-distillation from the detached ensemble (spec §5). Two-stream only.</summary>
    public bool SelfDistillation { get; init; } = true;

    /// <summary>RGB stem (base.0) has requires_grad=false (spec §1.1: `freeze_block: 1`).</summary>
    public bool FreezeRgbStem { get; init; } = true;
    /// <summary>
    /// spec §1.1 / §15.9 quirk: when true the frozen stem's BN stays in train mode under model.train() (what the
    /// official two-stream wrapper does); when false it is held in eval (the single-stream behaviour).
    /// Null picks the official behaviour of the stream kind: true for two-stream, false for video-only.
    /// </summary>
    public bool? FrozenStemBatchNormTrains { get; init; }

    /// <summary>
    /// Momentum of every S3D BatchNorm3d (backbone and pyramid). The paper keeps kylemin's 1e-3, which suits
    /// Kinetics-initialised running statistics over 40 epochs; from scratch in a few hundred steps the running
    /// statistics would still be mostly their initial (0, 1) and evaluation would see other features than training.
    /// </summary>
    public double BackboneBatchNormMomentum { get; init; } = 1e-3;

    /// <summary>
    /// Lateral convolutions start at zero instead of the paper's kaiming-normal, so the merged model begins exactly as
    /// the two single-stream models and the laterals grow from there. The paper's 40 joint epochs absorb the jolt of
    /// random laterals (each adds a signal about √2 times the features it joins); a joint stage of a few hundred steps
    /// may not (measured at the standard profile with kaiming laterals: the keypoint head went from 56 % to 88 %
    /// dev WER in its first joint epoch). Null (not written to configs) and false mean the paper's initialisation.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public bool? ZeroInitLaterals { get; init; }

    /// <summary>The resolved value of <see cref="FrozenStemBatchNormTrains"/>.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool StemBatchNormTrains => FrozenStemBatchNormTrains ?? Streams == StreamKind.TwoStream;

    /// <summary>Scales one official channel count by <see cref="Width"/> (at least 1 channel).</summary>
    public int Ch(int official) => Width == 1.0 ? official : Math.Max(1, (int)Math.Round(official * Width));

    /// <summary>Throws a plain-words error for a config that cannot build.</summary>
    public void Validate()
    {
        string? err = null;
        if (VocabularySize < 2) err = $"VocabularySize {VocabularySize} must be ≥ 2 (blank 0 plus at least one gloss)";
        else if (Width <= 0 || Width > 4) err = $"Width {Width} must be in (0, 4]";
        else if (HeadHidden < 2 || HeadHidden % 2 != 0) err = $"HeadHidden {HeadHidden} must be even (sinusoidal encoding pairs)";
        else if (KeypointChannels < 1) err = $"KeypointChannels {KeypointChannels} must be ≥ 1";
        else if (HeadDropout is < 0 or >= 1) err = $"HeadDropout {HeadDropout} must be in [0, 1)";
        else if (BackboneBatchNormMomentum is <= 0 or > 1) err = $"BackboneBatchNormMomentum {BackboneBatchNormMomentum} must be in (0, 1] (the paper uses 0.001)";
        if (err is not null) throw new Util.UserFacingException($"model config: {err}. Fix the value in the config or pick a registered variant.");
    }
}
