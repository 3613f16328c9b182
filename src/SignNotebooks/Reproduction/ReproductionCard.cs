using System.Text.Json.Serialization;
using SignNotebooks.Corpora;
using SignNotebooks.Evaluation;
using SignNotebooks.Models;
using SignNotebooks.Training;
using SignNotebooks.Util;

namespace SignNotebooks.Reproduction;

/// <summary>
/// One row of a paper table as something runnable (user need 3): which data, which checkpoint, how to decode and
/// score it, and the number the paper reports with the tolerance a faithful port should meet. Cards live as small
/// JSON files in <c>data/cards/</c>; <see cref="ReproductionCards"/> loads and validates them and `signnb reproduce`
/// runs one.
/// </summary>
public sealed record ReproductionCard
{
    /// <summary>The card's name, equal to its file name without <c>.json</c> (e.g. <c>slr-phoenix-2014t-test</c>).</summary>
    public required string Id { get; init; }
    /// <summary>The row as the paper names it.</summary>
    public required string Title { get; init; }
    /// <summary><c>recognition</c> (WER) or <c>translation</c> (BLEU-4, ROUGE-L).</summary>
    public required string Task { get; init; }
    /// <summary>phoenix-2014, phoenix-2014t or csl-daily (spec §9).</summary>
    public required string Dataset { get; init; }
    /// <summary>dev or test.</summary>
    public required string Split { get; init; }
    /// <summary>The released checkpoint file, as the release names it.</summary>
    public required string Checkpoint { get; init; }
    /// <summary>Where the checkpoint comes from and what is not verified about its name.</summary>
    public string? CheckpointNote { get; init; }
    /// <summary>The registered model variant the checkpoint fits (<see cref="ModelRegistry"/>), e.g. twostream-paper.</summary>
    public required string Variant { get; init; }
    /// <summary>Training profile whose input settings and batch size evaluation uses (paper for every paper row).</summary>
    public string Profile { get; init; } = "paper";
    /// <summary>The head whose output the paper's number is taken from (never the minimum over heads, spec §8.2).</summary>
    public required string Head { get; init; }
    /// <summary>CTC beam width (spec §8.1: 5 at test).</summary>
    public int Beam { get; init; } = 5;
    /// <summary>Gloss clean-up before WER (spec §8.3): none, phoenix-2014, phoenix-2014t or csl-daily.</summary>
    public required string Cleanup { get; init; }
    /// <summary><c>wer</c>, <c>bleu4</c> or <c>rouge_l</c>.</summary>
    public required string Metric { get; init; }
    /// <summary>The paper's number (percent).</summary>
    public required double Expected { get; init; }
    /// <summary>|measured − expected| at most this passes (percentage points).</summary>
    public required double Tolerance { get; init; }
    /// <summary>Where <see cref="Expected"/> comes from (spec section and its source).</summary>
    public required string Source { get; init; }
    /// <summary>
    /// Translation cards: SLRT's pruned mBART folder (config.json, sentencepiece.bpe.model, map_ids.pkl, gloss2ids.pkl),
    /// relative to the checkpoint root (notebook 07) — `signnb reproduce --mbart DIR` names it directly.
    /// </summary>
    public string? LanguageModel { get; init; }
    /// <summary>Translation cards: SLRT's extracted features (extract_feature/ with head_rgb_input/, head_keypoint_input/), relative to the checkpoint root.</summary>
    public string? Features { get; init; }
    /// <summary>Translation cards: the TwoStream-SLR checkpoint the features are extracted with when none are given, relative to the checkpoint root.</summary>
    public string? Recognition { get; init; }
    /// <summary>Translation cards: the decoder's maximum length (spec §10.5: 100 for Phoenix-2014T, 500 for CSL-Daily).</summary>
    public int MaxLength { get; init; } = 100;

    /// <summary><c>runnable</c>, or <c>awaiting-translation</c> (no longer used by the committed cards; kept so older card files still load).</summary>
    public string Status { get; init; } = "runnable";
    /// <summary>How to get the data and checkpoint this card needs.</summary>
    public string? HowToGet { get; init; }
    /// <summary>Anything a reader must know (approximate values, known differences of the port).</summary>
    public string? Notes { get; init; }

    public const string Runnable = "runnable", AwaitingTranslation = "awaiting-translation";
    /// <summary>Translation heads: one S2T network on one recognition head, or the multi-source ensemble of three (spec §10.5).</summary>
    public static readonly string[] TranslationHeads = ["video", "keypoint", "joint", "ensemble"];

    /// <summary>The checkpoint paths of <see cref="Checkpoint"/> (a translation ensemble lists video, keypoint and joint, comma-separated).</summary>
    [JsonIgnore]
    public string[] Checkpoints => SplitPaths(Checkpoint);

    /// <summary>A comma-separated list of paths (a card's checkpoints, `reproduce --checkpoint V,K,J`).</summary>
    public static string[] SplitPaths(string list) => list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
    public static readonly string[] Metrics = ["wer", "bleu4", "rouge_l"];

    /// <summary>True when `signnb reproduce` can run this card in this version.</summary>
    [JsonIgnore]
    public bool IsRunnable => Status == Runnable;

    /// <summary>The stage of the recipe whose network the variant is (video, keypoint or joint).</summary>
    [JsonIgnore]
    public TrainingStage Stage => ModelRegistry.Get(Variant).Config.Streams switch
    {
        StreamKind.Video => TrainingStage.Video,
        StreamKind.Keypoint => TrainingStage.Keypoint,
        _ => TrainingStage.Joint,
    };

    /// <summary>The parsed clean-up rule.</summary>
    [JsonIgnore]
    public GlossCleanup CleanupRule => GlossCleaner.Parse(Cleanup) ?? GlossCleanup.None;

    /// <summary>Whether a measured value passes.</summary>
    public bool Passes(double measured) => double.IsFinite(measured) && Math.Abs(measured - Expected) <= Tolerance + 1e-9;

    /// <summary>Throws a <see cref="UserFacingException"/> naming the file, the field and the fix for the first bad field.</summary>
    public ReproductionCard Validate(string source)
    {
        void Need(bool ok, string field, object? value, string rule)
        {
            if (!ok) throw new UserFacingException($"{source}: {field} = '{value}' is not valid; it must be {rule}. Fix: correct the card.");
        }
        Need(!string.IsNullOrWhiteSpace(Title), "Title", Title, "a non-empty title");
        Need(Task is "recognition" or "translation", "Task", Task, "recognition or translation");
        Need(CorpusLayout.Names.Contains(Dataset), "Dataset", Dataset, string.Join(", ", CorpusLayout.Names));
        Need(Split is "dev" or "test", "Split", Split, "dev or test");
        Need(!string.IsNullOrWhiteSpace(Checkpoint), "Checkpoint", Checkpoint, "the released checkpoint's file name");
        Need(ModelRegistry.Variants.Any(v => v.Name == Variant), "Variant", Variant, string.Join(", ", ModelRegistry.Variants.Select(v => v.Name)));
        Need(TrainingProfiles.Names.Contains(Profile), "Profile", Profile, string.Join(", ", TrainingProfiles.Names));
        if (Task == "translation")
        {
            Need(TranslationHeads.Contains(Head), "Head", Head, string.Join(", ", TranslationHeads));
            Need(Checkpoints.Length == (Head == "ensemble" ? 3 : 1), "Checkpoint", Checkpoint,
                Head == "ensemble" ? "three S2T checkpoints, comma-separated, in the order video, keypoint, joint" : "one S2T checkpoint");
            Need(ModelRegistry.Get(Variant).Config.Streams == StreamKind.TwoStream, "Variant", Variant, "a two-stream variant (the S2T heads read both streams' features)");
            Need(MaxLength is >= 1 and <= 1024, "MaxLength", MaxLength, "1..1024");
        }
        else
        {
            Need(TrainingConfig.KnownHeads.Contains(Head), "Head", Head, string.Join(", ", TrainingConfig.KnownHeads));
            Need(HeadFits(Head, ModelRegistry.Get(Variant).Config.Streams), "Head", Head, $"a head that the {Variant} network has");
        }
        Need(Beam is >= 1 and <= 100, "Beam", Beam, "1..100");
        Need(GlossCleaner.Parse(Cleanup) is not null, "Cleanup", Cleanup, "none, phoenix-2014, phoenix-2014t or csl-daily");
        Need(Metrics.Contains(Metric), "Metric", Metric, string.Join(", ", Metrics));
        Need(Task == "recognition" ? Metric == "wer" : Metric != "wer", "Metric", Metric, "wer for recognition cards, bleu4 or rouge_l for translation cards");
        Need(Expected >= 0 && (Expected <= 100 || Metric == "wer"), "Expected", Expected, "a percentage ≥ 0 (and ≤ 100 for BLEU and ROUGE; WER can pass 100 through insertions)");
        Need(Tolerance is > 0 and <= 100, "Tolerance", Tolerance, "in (0, 100] percentage points");
        Need(!string.IsNullOrWhiteSpace(Source), "Source", Source, "where the expected value comes from");
        Need(Status is Runnable or AwaitingTranslation, "Status", Status, $"{Runnable} or {AwaitingTranslation}");
        return this;
    }

    private static bool HeadFits(string head, StreamKind streams) => streams switch
    {
        StreamKind.Video => head is RecognitionOutputs.Video,
        StreamKind.Keypoint => head is RecognitionOutputs.Keypoint,
        _ => true,
    };
}
