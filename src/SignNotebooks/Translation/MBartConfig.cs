using System.Text.Json;
using System.Text.Json.Serialization;
using SignNotebooks.Util;

namespace SignNotebooks.Translation;

/// <summary>
/// The shape of an mBART encoder–decoder (Hugging Face <c>MBartConfig</c> fields under C# names). Defaults are
/// <c>facebook/mbart-large-cc25</c> (spec §10.1: 12 + 12 layers, d_model 1024, 16 heads, FFN 4096, pre-LN, GELU,
/// scaled embeddings) with its full 250,027-token vocabulary; a pruned checkpoint only changes
/// <see cref="VocabularySize"/>. <see cref="Tiny"/> and <see cref="Small"/> are CPU sizes with the same tree.
/// </summary>
public sealed record MBartConfig
{
    public int VocabularySize { get; init; } = 250027;
    public int DModel { get; init; } = 1024;
    public int EncoderLayers { get; init; } = 12;
    public int DecoderLayers { get; init; } = 12;
    public int EncoderAttentionHeads { get; init; } = 16;
    public int DecoderAttentionHeads { get; init; } = 16;
    public int EncoderFfnDim { get; init; } = 4096;
    public int DecoderFfnDim { get; init; } = 4096;
    /// <summary>Positions the learned table covers; it has 2 more rows (HF's offset, spec §10.1).</summary>
    public int MaxPositionEmbeddings { get; init; } = 1024;
    /// <summary>Residual and embedding dropout. The G2T/S2T configs use 0.3 (spec §10.2); mBART's own is 0.1.</summary>
    public double Dropout { get; init; } = 0.1;
    /// <summary>Dropout on attention weights (spec §10.2: 0.1).</summary>
    public double AttentionDropout { get; init; } = 0.1;
    public double ActivationDropout { get; init; }
    /// <summary>Token embeddings × √d_model (mbart-large-cc25: true).</summary>
    public bool ScaleEmbedding { get; init; } = true;
    public int PadTokenId { get; init; } = 1;
    public int BosTokenId { get; init; }
    public int EosTokenId { get; init; } = 2;
    public double LayerNormEpsilon { get; init; } = 1e-5;
    /// <summary>Hugging Face's <c>init_std</c>: every Linear and Embedding weight starts N(0, 0.02), biases 0.</summary>
    public double InitStd { get; init; } = 0.02;

    /// <summary>A few-thousand-parameter model for tests and the tiny profile.</summary>
    public static MBartConfig Tiny(int vocabularySize) => new()
    {
        VocabularySize = vocabularySize, DModel = 32, EncoderLayers = 1, DecoderLayers = 1, EncoderAttentionHeads = 4,
        DecoderAttentionHeads = 4, EncoderFfnDim = 64, DecoderFfnDim = 64, MaxPositionEmbeddings = 128,
    };

    /// <summary>A CPU-trainable model (≈ 1 M parameters with a SynthSign vocabulary) for the standard profile.</summary>
    public static MBartConfig Small(int vocabularySize) => new()
    {
        VocabularySize = vocabularySize, DModel = 128, EncoderLayers = 2, DecoderLayers = 2, EncoderAttentionHeads = 4,
        DecoderAttentionHeads = 4, EncoderFfnDim = 256, DecoderFfnDim = 256, MaxPositionEmbeddings = 256,
    };

    /// <summary>Rejects shapes that cannot be built; the message names the key and the fix.</summary>
    public void Validate(string source = "translation model config")
    {
        void Need(bool ok, string key, object value, string range)
        {
            if (!ok) throw new UserFacingException($"{source}: {key} = {value} is out of range. Fix: it must be {range}.");
        }
        Need(VocabularySize >= 4, nameof(VocabularySize), VocabularySize, "≥ 4 (the mBART special tokens)");
        Need(DModel >= 1, nameof(DModel), DModel, "≥ 1");
        Need(EncoderAttentionHeads >= 1 && DModel % EncoderAttentionHeads == 0, nameof(EncoderAttentionHeads), EncoderAttentionHeads, $"a divisor of DModel ({DModel})");
        Need(DecoderAttentionHeads >= 1 && DModel % DecoderAttentionHeads == 0, nameof(DecoderAttentionHeads), DecoderAttentionHeads, $"a divisor of DModel ({DModel})");
        Need(EncoderLayers >= 0 && DecoderLayers >= 1, "EncoderLayers/DecoderLayers", $"{EncoderLayers}/{DecoderLayers}", "≥ 0 / ≥ 1");
        Need(MaxPositionEmbeddings >= 2, nameof(MaxPositionEmbeddings), MaxPositionEmbeddings, "≥ 2");
        Need(Dropout is >= 0 and < 1 && AttentionDropout is >= 0 and < 1 && ActivationDropout is >= 0 and < 1, "Dropout", Dropout, "in [0, 1)");
    }

    /// <summary>
    /// Reads a Hugging Face <c>config.json</c> (e.g. SLRT's pruned <c>pretrained_models/mBart_de/config.json</c>);
    /// missing fields keep the mbart-large-cc25 defaults.
    /// </summary>
    public static MBartConfig FromHuggingFaceJson(string path)
    {
        JsonElement root;
        try { root = JsonDocument.Parse(File.ReadAllText(path)).RootElement; }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            throw new UserFacingException($"{path}: cannot read it as a Hugging Face config.json ({e.Message}). Fix: pass the config.json saved next to the mBART weights.");
        }
        var d = new MBartConfig();
        int I(string key, int fallback) => root.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : fallback;
        double D(string key, double fallback) => root.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : fallback;
        bool B(string key, bool fallback) => root.TryGetProperty(key, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : fallback;
        if (root.TryGetProperty("activation_function", out var act) && act.GetString() is { } a && a != "gelu")
            throw new UserFacingException($"{path}: activation_function '{a}' is not supported (mBART uses gelu). Fix: use an mBART config.");
        if (root.TryGetProperty("normalize_before", out var nb) && nb.ValueKind == JsonValueKind.False)
            throw new UserFacingException($"{path}: normalize_before = false (post-LN, BART) is not supported; this port is mBART's pre-LN. Fix: use an mBART config.");
        var c = d with
        {
            VocabularySize = I("vocab_size", d.VocabularySize), DModel = I("d_model", d.DModel),
            EncoderLayers = I("encoder_layers", d.EncoderLayers), DecoderLayers = I("decoder_layers", d.DecoderLayers),
            EncoderAttentionHeads = I("encoder_attention_heads", d.EncoderAttentionHeads), DecoderAttentionHeads = I("decoder_attention_heads", d.DecoderAttentionHeads),
            EncoderFfnDim = I("encoder_ffn_dim", d.EncoderFfnDim), DecoderFfnDim = I("decoder_ffn_dim", d.DecoderFfnDim),
            MaxPositionEmbeddings = I("max_position_embeddings", d.MaxPositionEmbeddings),
            Dropout = D("dropout", d.Dropout), AttentionDropout = D("attention_dropout", d.AttentionDropout), ActivationDropout = D("activation_dropout", d.ActivationDropout),
            ScaleEmbedding = B("scale_embedding", d.ScaleEmbedding), InitStd = D("init_std", d.InitStd),
            PadTokenId = I("pad_token_id", d.PadTokenId), BosTokenId = I("bos_token_id", d.BosTokenId), EosTokenId = I("eos_token_id", d.EosTokenId),
        };
        c.Validate(path);
        return c;
    }

    /// <summary>√d_model when embeddings are scaled, else 1.</summary>
    [JsonIgnore]
    public double EmbedScale => ScaleEmbedding ? Math.Sqrt(DModel) : 1.0;
}
