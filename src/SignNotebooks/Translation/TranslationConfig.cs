using System.Text.Json.Serialization;
using SignNotebooks.Util;

namespace SignNotebooks.Translation;

/// <summary>The two translation stages of TwoStream-SLT (spec §10.2, §10.4).</summary>
public enum TranslationStage
{
    /// <summary>Gloss2Text: gloss ids → text (the upper bound, and the mBART initialisation of Sign2Text).</summary>
    Gloss2Text,
    /// <summary>Sign2Text: frozen TwoStream-SLR features → recognition heads → VL-mapper → mBART, CTC + translation loss.</summary>
    Sign2Text,
}

/// <summary>Which recognition head feeds the VL-mapper of a Sign2Text network (spec §10.4, <c>gloss_feature_ensemble</c>).</summary>
public enum TranslationSource { Video, Keypoint, Joint }

/// <summary>
/// A translation run. Defaults are the paper's Phoenix-2014T recipe (spec §10.2, §10.4): mbart-large-cc25 with
/// dropout 0.3 and attention dropout 0.1, label smoothing 0.2, Adam β (0.9, 0.998), L2 1e-3, cosine schedule,
/// batch 8, lr 1e-5 for the (pretrained) mBART, 3e-4 for the heads and 1e-3 for the mapper, beam 5, length
/// penalty 1, max length 100. The CPU profiles (<see cref="TranslationProfiles"/>) train a small mBART from scratch.
/// </summary>
public sealed record TranslationConfig
{
    public TranslationStage Stage { get; init; } = TranslationStage.Gloss2Text;
    /// <summary>The profile this config came from (tiny, standard, paper); informational.</summary>
    public string Profile { get; init; } = "paper";
    /// <summary>
    /// A real corpus with a translation column (phoenix-2014t, csl-daily); null = SynthSign. Left out of the JSON when
    /// null, like <see cref="DataRoot"/>, so SynthSign configs and the hashes of their runs stay as they were.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Corpus { get; init; }
    /// <summary>The real corpus's folder (unpacked release or SLRT's data/&lt;ds&gt;/); null for SynthSign.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? DataRoot { get; init; }
    public string CorpusProfile { get; init; } = "large";
    public int CorpusSeed { get; init; }
    public int? MaxTrainClips { get; init; }
    public int? MaxEvalClips { get; init; }

    /// <summary>The language model; VocabularySize 0 = the corpus text vocabulary (set when a run starts).</summary>
    public MBartConfig Model { get; init; } = new() { VocabularySize = 0, Dropout = 0.3, AttentionDropout = 0.1 };
    /// <summary>spec §10.2: 0.2.</summary>
    public double LabelSmoothing { get; init; } = 0.2;
    /// <summary>spec §10.2: 80 (Phoenix G2T); Sign2Text: 40.</summary>
    public int Epochs { get; init; } = 80;
    /// <summary>mBART's learning rate (spec §10.2: 1e-5 on a pretrained model).</summary>
    public double LearningRate { get; init; } = 1e-5;
    /// <summary>Sign2Text: recognition heads (spec §10.4, P14T: 3e-4).</summary>
    public double HeadLearningRate { get; init; } = 3e-4;
    /// <summary>Sign2Text: VL-mapper (spec §10.4, P14T: 1e-3).</summary>
    public double MapperLearningRate { get; init; } = 1e-3;
    public double Beta1 { get; init; } = 0.9;
    public double Beta2 { get; init; } = 0.998;
    public double Epsilon { get; init; } = 1e-8;
    public double WeightDecay { get; init; } = 1e-3;
    public int BatchSize { get; init; } = 8;
    public int Seed { get; init; } = 42;

    /// <summary>Beam at validation (dev BLEU-4 selects the checkpoint, spec §8.4); 1 keeps CPU validation cheap.</summary>
    public int ValidationBeam { get; init; } = 1;
    public int TestBeam { get; init; } = 5;
    public double LengthPenalty { get; init; } = 1.0;
    public int MaxOutputLength { get; init; } = 100;

    /// <summary>Sign2Text: the head whose output the mapper reads.</summary>
    public TranslationSource Source { get; init; } = TranslationSource.Joint;
    /// <summary>Sign2Text: gloss features (P14T) or gloss probabilities (CSL-Daily).</summary>
    public MapperKind Mapper { get; init; } = MapperKind.Projection;
    /// <summary>
    /// Sign2Text: start the three heads from the recognition checkpoint's heads. The released code leaves them random
    /// (spec §10.4 caveat, §15.14), which is false here; the CPU profiles set true, since a few hundred steps cannot
    /// retrain them from scratch.
    /// </summary>
    public bool HeadsFromRecognition { get; init; }
    /// <summary>
    /// Freeze the gloss embedding and mBART's text embedding (<c>model.shared</c>, tied to <c>lm_head</c>): SLRT's
    /// <c>GlossEmbedding.freeze</c> and <c>freeze_txt_embed</c>, set for Phoenix-2014T Gloss2Text (spec §10.2).
    /// null (not written) = the spec's rule, see <see cref="FreezesEmbeddings"/>; true/false force it either way.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? FreezeEmbeddings { get; init; }

    /// <summary>
    /// Whether this run freezes the gloss and text embeddings: <see cref="FreezeEmbeddings"/> when set; otherwise the
    /// spec's Phoenix-2014T Gloss2Text recipe (spec §10.2) at the paper profile. The CPU profiles train their small
    /// mBART from scratch (a deliberate difference), where frozen embeddings would stay random, so they train them.
    /// </summary>
    [JsonIgnore]
    public bool FreezesEmbeddings => FreezeEmbeddings ?? (Stage == TranslationStage.Gloss2Text && Corpus == "phoenix-2014t" && Profile == "paper");

    /// <summary>Weight of the recognition CTC losses (spec §10.4: 1).</summary>
    public double RecognitionLossWeight { get; init; } = 1.0;
    /// <summary>Weight of the translation loss (spec §10.4: 1).</summary>
    public double TranslationLossWeight { get; init; } = 1.0;

    /// <summary>The corpus this config reads (SynthSign by profile and seed, or the real one) and its gloss vocabulary.</summary>
    public (Data.ISignDataset Dataset, Data.Vocabulary Glosses) OpenCorpus()
    {
        TranslationExample.EnsureTranslated(Corpus);
        var (dataset, glosses, _) = Corpora.CorpusSource.ForRun(Corpus, DataRoot, CorpusProfile, CorpusSeed);
        return (dataset, glosses);
    }

    /// <summary>This config on a real corpus (null or synthsign leaves it on SynthSign); the root is made absolute.</summary>
    public TranslationConfig ForCorpus(string? dataset, string? dataRoot)
    {
        if (dataset is null or "synthsign")
            return string.IsNullOrWhiteSpace(dataRoot) ? this
                : throw new UserFacingException($"a data root ({dataRoot}) was given for SynthSign, which is generated, not read. Fix: add --dataset phoenix-2014t|csl-daily, or drop --data-root.");
        TranslationExample.EnsureTranslated(dataset);
        if (string.IsNullOrWhiteSpace(dataRoot))
            throw new UserFacingException($"dataset {dataset} needs a data root (the unpacked release or SLRT's data/{dataset}/ folder). Fix: pass --data-root DIR.");
        return this with { Corpus = dataset, DataRoot = Path.GetFullPath(dataRoot) };
    }

    [JsonIgnore]
    public DecodeOptions TestDecoding => new(TestBeam, LengthPenalty, MaxOutputLength);
    [JsonIgnore]
    public DecodeOptions ValidationDecoding => new(ValidationBeam, LengthPenalty, MaxOutputLength);

    /// <summary>Rejects out-of-range values before any compute is spent; the message names the key and the fix.</summary>
    public void Validate(string source = "translation config")
    {
        void Need(bool ok, string key, object value, string range)
        {
            if (!ok) throw new UserFacingException($"{source}: {key} = {value} is out of range. Fix: it must be {range}.");
        }
        Need(Epochs is >= 1 and <= 10_000, nameof(Epochs), Epochs, "1..10000");
        Need(LearningRate is > 0 and < 1, nameof(LearningRate), LearningRate, "in (0, 1)");
        Need(HeadLearningRate is > 0 and < 1, nameof(HeadLearningRate), HeadLearningRate, "in (0, 1)");
        Need(MapperLearningRate is > 0 and < 1, nameof(MapperLearningRate), MapperLearningRate, "in (0, 1)");
        Need(LabelSmoothing is >= 0 and < 1, nameof(LabelSmoothing), LabelSmoothing, "in [0, 1)");
        Need(BatchSize >= 1, nameof(BatchSize), BatchSize, "≥ 1");
        Need(ValidationBeam >= 1 && TestBeam >= 1, "ValidationBeam/TestBeam", $"{ValidationBeam}/{TestBeam}", "≥ 1");
        Need(MaxOutputLength >= 1, nameof(MaxOutputLength), MaxOutputLength, "≥ 1");
        Need(MaxTrainClips is null or >= 1, nameof(MaxTrainClips), MaxTrainClips!, "≥ 1 or null");
        Need(MaxEvalClips is null or >= 1, nameof(MaxEvalClips), MaxEvalClips!, "≥ 1 or null");
        // VocabularySize 0 means "from the corpus"; the trainer sets it before the model is built.
        (Model.VocabularySize == 0 ? Model with { VocabularySize = 4 } : Model).Validate(source + ": Model");
    }
}
