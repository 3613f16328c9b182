using SignNotebooks.Data;
using SignNotebooks.Models;
using SignNotebooks.Models.Losses;
using System.Text.Json.Serialization;
using SignNotebooks.Util;

namespace SignNotebooks.Training;

/// <summary>The stages of the stream-wise recipe (spec §7.1).</summary>
public enum TrainingStage
{
    /// <summary>1a: RGB S3D (stem frozen) + video head, CTC only.</summary>
    Video,
    /// <summary>1b: keypoint S3D + keypoint head, CTC only.</summary>
    Keypoint,
    /// <summary>2: the two-stream network, initialised from 1a + 1b, all losses.</summary>
    Joint,
    /// <summary>
    /// 0 (not the paper's): the workbook's counterpart of the Kinetics-400 / WLASL checkpoint for the video stream. The
    /// RGB S3D + video head learn SynthSign's true frame labels (frame-level cross-entropy, plus CTC) on the train
    /// split, with nothing frozen; stage 1a then starts from it (<see cref="TrainingConfig.Init"/>).
    /// </summary>
    PretrainVideo,
    /// <summary>0 for the keypoint stream: keypoint S3D + keypoint head on the true frame labels.</summary>
    PretrainKeypoint,
}

/// <summary>
/// Everything a training run needs. Defaults are the paper's recipe (spec §7.2): Adam β (0.9, 0.998), ε 1e-8,
/// L2 weight decay 1e-3, lr 1e-3, cosine schedule over 40 epochs stepped at the start of each epoch, effective batch 8.
/// The `tiny` and `standard` profiles are `with`-expressions over it (<see cref="TrainingProfiles"/>); a JSON file
/// holds only overrides, and every run saves the fully resolved config next to its checkpoints.
/// </summary>
public sealed record TrainingConfig
{
    public TrainingStage Stage { get; init; } = TrainingStage.Joint;
    /// <summary>The profile this config came from (tiny, standard, paper); informational.</summary>
    public string Profile { get; init; } = "paper";

    /// <summary>Corpus name; `synthsign` is the embedded one.</summary>
    public string Corpus { get; init; } = "synthsign";
    /// <summary>
    /// The folder of a real corpus (phoenix-2014, phoenix-2014t, csl-daily as <see cref="Corpus"/>): its unpacked
    /// release or SLRT's data/&lt;dataset&gt;/ folder. Null for SynthSign, and then not written, so SynthSign configs
    /// (and the run hashes notebooks derive from them) stay as they were.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? DataRoot { get; init; }
    /// <summary>SynthSign size profile (tiny, standard, large).</summary>
    public string CorpusProfile { get; init; } = "large";
    public int CorpusSeed { get; init; }
    /// <summary>Use only the first N training clips (null: all).</summary>
    public int? MaxTrainClips { get; init; }
    /// <summary>Evaluate on only the first N clips of each split (null: all).</summary>
    public int? MaxEvalClips { get; init; }

    /// <summary>The network. <see cref="ModelConfig.Streams"/> and the vocabulary size are set from the stage and corpus.</summary>
    public ModelConfig Model { get; init; } = new();
    public LossConfig Loss { get; init; } = new();
    public InputConfig Input { get; init; } = InputConfig.Paper;

    public int Epochs { get; init; } = 40;
    public double LearningRate { get; init; } = 1e-3;
    public double Beta1 { get; init; } = 0.9;
    public double Beta2 { get; init; } = 0.998;
    public double Epsilon { get; init; } = 1e-8;
    /// <summary>Adam's L2 penalty (torch.optim.Adam, not AdamW; spec §7.2).</summary>
    public double WeightDecay { get; init; } = 1e-3;
    /// <summary>
    /// Clips per optimiser step. The paper uses 8 GPUs × 1 clip with synchronised BN; one device reaches the same
    /// gradient by accumulating <see cref="EffectiveBatch"/> / <see cref="MicroBatch"/> micro-batches (each loss scaled
    /// so the sum is the mean over the 8 clips). BN statistics then span a micro-batch, not all 8 clips (spec §15.10).
    /// </summary>
    public int EffectiveBatch { get; init; } = 8;
    /// <summary>Clips per forward pass.</summary>
    public int MicroBatch { get; init; } = 8;
    /// <summary>spec §7.2: P14T s2g uses 321.</summary>
    public int Seed { get; init; } = 321;

    /// <summary>Beam width at validation (spec §7.2: 1).</summary>
    public int ValidationBeam { get; init; } = 1;
    /// <summary>Beam width at test (spec §8.1: 5).</summary>
    public int TestBeam { get; init; } = 5;
    /// <summary>Validate every N epochs (and always after the last).</summary>
    public int ValidateEvery { get; init; } = 1;
    /// <summary>
    /// Head whose dev WER selects the best checkpoint; null = the stage's natural head (video, keypoint, or
    /// ensemble_last for the joint stage). Never the minimum over heads (SLRT's choice, spec §8.2).
    /// </summary>
    public string? SelectionHead { get; init; }

    /// <summary>
    /// Weights a stage starts from (spec §7.1: both streams start from Kinetics-400 S3D): a kylemin or torchvision S3D
    /// file (backbone only), or a single-stream state dict of the same variant such as a stage-0 pretraining's
    /// `checkpoints/best/model.pt` (backbone and head). Loaded by name, non-strict, with a load report in the run folder
    /// (`init_report.txt`). A relative path is looked up in the working directory, then in the repository. Null: random.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Init { get; init; }
    /// <summary>SHA-256 of <see cref="Init"/>'s file, filled in when the config is resolved, so a changed file never
    /// passes for the one a run started from (run folders are named by the config's hash).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? InitSha256 { get; init; }

    /// <summary>
    /// Joint stage only: the weights merged from the two stream stages stay fixed for this many optimiser steps while
    /// the parts that start random (laterals, pyramid, aux heads, joint head) learn; then everything trains. Null: never
    /// (the paper, whose 40 epochs wash the random parts' first gradients out). In a short joint stage those gradients
    /// and the distillation towards a teacher that averages in a random joint head undo the streams' training.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? StreamFreezeSteps { get; init; }

    /// <summary>Joint stage only: the joint head starts as a copy of the merged keypoint head
    /// (<see cref="Checkpoints.JointHeadWarmStart"/>); null or false: random, as in the paper.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? JointHeadFromKeypointHead { get; init; }

    /// <summary>Joint stage: the lateral connections learn at this multiple of the rate (null: 1, the paper). They start
    /// at zero, and Adam moves every weight by about the rate per step whatever its gradient, so at full rate they soon add
    /// large, untrained signals into the streams they feed.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? LateralLearningRateScale { get; init; }

    /// <summary>The S3D backbones (blocks 1–4) learn at this multiple of the rate (null: 1, the paper; 0: held fixed, their
    /// BatchNorm statistics still follow the batches). Why it exists: issue 15's probes, whether a stream stage keeps
    /// what its stage-0 backbone can tell apart (the numbers' handshapes) when the backbone moves slower than the heads.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? BackboneLearningRateScale { get; init; }

    /// <summary>Per-step warm-up + cosine to a floor (<see cref="StepSchedule"/>); null = the paper's per-epoch cosine.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public StepSchedule? Schedule { get; init; }

    /// <summary>Length-bucketed training batches: pools of this many batches sorted by sampled length
    /// (<see cref="LoaderOptions.BucketPool"/>); null = the paper's random batches.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? LengthBuckets { get; init; }

    /// <summary>The stream kind the stage trains.</summary>
    [JsonIgnore]
    public StreamKind StreamKind => Stage switch
    {
        TrainingStage.Video or TrainingStage.PretrainVideo => StreamKind.Video,
        TrainingStage.Keypoint or TrainingStage.PretrainKeypoint => StreamKind.Keypoint,
        _ => StreamKind.TwoStream,
    };

    /// <summary>True for the stage-0 pretraining stages.</summary>
    [JsonIgnore]
    public bool IsPretraining => Stage is TrainingStage.PretrainVideo or TrainingStage.PretrainKeypoint;

    /// <summary>The selection head after resolving the stage default.</summary>
    [JsonIgnore]
    public string ResolvedSelectionHead => SelectionHead ?? StreamKind switch
    {
        StreamKind.Video => RecognitionOutputs.Video,
        StreamKind.Keypoint => RecognitionOutputs.Keypoint,
        _ => RecognitionOutputs.EnsembleLast,
    };

    /// <summary>Which inputs the loader must build for this stage.</summary>
    [JsonIgnore]
    public InputStreams Streams => StreamKind switch
    {
        StreamKind.Video => InputStreams.Rgb,
        StreamKind.Keypoint => InputStreams.Heatmaps,
        _ => InputStreams.Both,
    };

    /// <summary>Rejects out-of-range values before any compute is spent; the message names the key and the fix.</summary>
    public void Validate(string source = "config")
    {
        void Need(bool ok, string key, object value, string range)
        {
            if (!ok) throw new UserFacingException($"{source}: {key} = {value} is out of range; it must be {range}.");
        }
        Need(Epochs >= 1 && Epochs <= 10_000, "Epochs", Epochs, "1..10000");
        Need(LearningRate > 0 && LearningRate < 1, "LearningRate", LearningRate, "in (0, 1)");
        Need(LateralLearningRateScale is null or (> 0 and <= 1), "LateralLearningRateScale", LateralLearningRateScale ?? 1, "in (0, 1]");
        Need(BackboneLearningRateScale is null or (>= 0 and <= 1), "BackboneLearningRateScale", BackboneLearningRateScale ?? 1, "in [0, 1]");
        Need(Beta1 is >= 0 and < 1, "Beta1", Beta1, "in [0, 1)");
        Need(Beta2 is >= 0 and < 1, "Beta2", Beta2, "in [0, 1)");
        Need(Epsilon > 0, "Epsilon", Epsilon, "> 0");
        Need(WeightDecay >= 0, "WeightDecay", WeightDecay, "≥ 0");
        Need(MicroBatch >= 1, "MicroBatch", MicroBatch, "≥ 1");
        Need(EffectiveBatch >= MicroBatch && EffectiveBatch % MicroBatch == 0, "EffectiveBatch", EffectiveBatch, $"a multiple of MicroBatch ({MicroBatch})");
        Need(ValidationBeam >= 1, "ValidationBeam", ValidationBeam, "≥ 1");
        Need(TestBeam >= 1, "TestBeam", TestBeam, "≥ 1");
        Need(ValidateEvery >= 1, "ValidateEvery", ValidateEvery, "≥ 1");
        Need(MaxTrainClips is null or >= 1, "MaxTrainClips", MaxTrainClips!, "≥ 1 or null");
        Need(MaxEvalClips is null or >= 1, "MaxEvalClips", MaxEvalClips!, "≥ 1 or null");
        Need(Input.RgbSize == 2 * Input.HeatmapSize || Stage != TrainingStage.Joint, "Input.RgbSize", Input.RgbSize,
            $"twice Input.HeatmapSize ({Input.HeatmapSize}): the lateral connections need the 2:1 ratio (spec §2)");
        Need(Input.RgbSize >= 16 && Input.RgbSize % 16 == 0, "Input.RgbSize", Input.RgbSize, "a multiple of 16 (S3D downsamples by 16)");
        Need(Input.HeatmapSize >= 16 && Input.HeatmapSize % 8 == 0, "Input.HeatmapSize", Input.HeatmapSize, "a multiple of 8, ≥ 16");
        Need(Input.Sigma > 0, "Input.Sigma", Input.Sigma, "> 0");
        Need(Input.KeypointParts.Count > 0, "Input.KeypointParts", "[]", "at least one part");
        var unknownParts = Input.KeypointParts.Where(p => !Keypoints.KeypointParts.Names.Contains(p)).ToList();
        if (unknownParts.Count > 0)   // here, not when the first batch is built: before a run folder exists
            throw new UserFacingException($"{source}: Input.KeypointParts names {string.Join(", ", unknownParts.Select(p => $"'{p}'"))}, not " +
                $"{(unknownParts.Count == 1 ? "a keypoint part" : "keypoint parts")}. Fix: use parts of {string.Join(", ", Keypoints.KeypointParts.Names)}.");
        Need(LengthBuckets is null or >= 1, "LengthBuckets", LengthBuckets!, "≥ 1 batches per pool, or null");
        Schedule?.Validate(source);
        if (Init is not null && Stage == TrainingStage.Joint)
            throw new UserFacingException($"{source}: Init is for the single-stream stages; the joint stage starts from the video and keypoint " +
                "stage checkpoints (spec §7.1). Fix: drop Init and pass --video RUN --keypoint RUN.");
        if (SelectionHead is not null && !KnownHeads.Contains(SelectionHead))
            throw new UserFacingException($"{source}: SelectionHead '{SelectionHead}' is not a head; use one of {string.Join(", ", KnownHeads)}.");
        Model.Validate();
    }

    /// <summary>Head names a selection may use.</summary>
    public static readonly string[] KnownHeads =
    [
        RecognitionOutputs.Video, RecognitionOutputs.Keypoint, RecognitionOutputs.Joint, RecognitionOutputs.EnsembleLast,
        RecognitionOutputs.EnsembleEarly, RecognitionOutputs.VideoAux0, RecognitionOutputs.VideoAux1,
        RecognitionOutputs.KeypointAux0, RecognitionOutputs.KeypointAux1,
    ];
}
