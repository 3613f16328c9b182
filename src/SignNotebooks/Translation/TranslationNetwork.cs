using TorchSharp;
using TorchSharp.Modules;
using SignNotebooks.Util;
using static TorchSharp.torch;

namespace SignNotebooks.Translation;

/// <summary>
/// SLRT's <c>translation_network</c> (spec §10, §12): <c>model</c> (<see cref="MBartForConditionalGeneration"/>) and
/// <c>gloss_embedding</c> (one row per gloss-side token). The encoder reads embeddings, never mBART's own token
/// embedding: gloss embeddings for Gloss2Text, mapped visual features for Sign2Text, each × √d and followed by the
/// <c>&lt;/s&gt;</c> and sign-language-code embeddings. The decoder starts with the target language code.
/// </summary>
public sealed class TranslationNetwork : nn.Module<Tensor, Tensor>
{
    private readonly MBartForConditionalGeneration model;
    private readonly Embedding gloss_embedding;
    private readonly long[] _suffix;

    public MBartConfig Config { get; }
    public TranslationVocabulary Vocabulary { get; }

    public TranslationNetwork(MBartConfig config, TranslationVocabulary vocabulary) : base(nameof(TranslationNetwork))
    {
        if (config.VocabularySize != vocabulary.TextTokens.Count)
            throw new UserFacingException($"the mBART config has {config.VocabularySize} text tokens but the vocabulary {vocabulary.TextTokens.Count}. Fix: build the config with VocabularySize = {vocabulary.TextTokens.Count}.");
        Config = config;
        Vocabulary = vocabulary;
        model = new MBartForConditionalGeneration(config);
        gloss_embedding = nn.Embedding(vocabulary.GlossTokens.Count, config.DModel);
        _suffix = [vocabulary.GlossEosId, vocabulary.SourceLanguageId];
        RegisterComponents();
        using (torch.no_grad()) nn.init.normal_(gloss_embedding.weight!, 0, config.InitStd);
    }

    public MBartForConditionalGeneration Model => model;
    /// <summary>(gloss tokens, d) — the embedding-variant VL-mapper starts from its first V rows (spec §10.4).</summary>
    public Tensor GlossEmbeddingWeight => gloss_embedding.weight!;

    private Scalar Scale => KeptScalars.F(Config.EmbedScale);

    /// <summary>Gloss2Text input: gloss ids (B, L) padded, lengths (B) → embeddings (B, L + 2, d) and mask (B, L + 2).</summary>
    public (Tensor Embeds, Tensor Mask) GlossInput(Tensor glossIds, long[] lengths) =>
        Append(gloss_embedding.call(glossIds).mul(Scale), lengths);

    /// <summary>Sign2Text input: mapped features (B, T, d) with valid lengths (B) → (B, T + 2, d) and mask.</summary>
    public (Tensor Embeds, Tensor Mask) FeatureInput(Tensor mapped, long[] lengths) => Append(mapped.mul(Scale), lengths);

    // Appends the scaled </s> and language-code embeddings right after each sequence's last valid position, then pads.
    private (Tensor, Tensor) Append(Tensor embeds, long[] lengths)
    {
        var suffix = gloss_embedding.call(torch.tensor(_suffix, device: embeds.device)).mul(Scale); // (2, d)
        long max = lengths.Max() + 2, d = embeds.shape[2];
        var rows = new Tensor[lengths.Length];
        for (int b = 0; b < lengths.Length; b++)
        {
            var seq = torch.cat(new[] { embeds[b].narrow(0, 0, lengths[b]), suffix }, 0);  // (len + 2, d)
            rows[b] = nn.functional.pad(seq, new long[] { 0, 0, 0, max - lengths[b] - 2 });
        }
        var mask = torch.arange(max, device: embeds.device).unsqueeze(0) < torch.tensor(lengths, device: embeds.device).add(KeptScalars.I(2), KeptScalars.I(1)).unsqueeze(1); // (B, max)
        return (torch.stack(rows), mask);
    }

    /// <summary>Encoder states (B, T, d) of an input from <see cref="GlossInput"/> or <see cref="FeatureInput"/>.</summary>
    public Tensor Encode(Tensor embeds, Tensor mask) => model.Model.Encoder.Run(embeds, mask);

    /// <summary>
    /// Teacher forcing: target word ids per sentence → logits (B, L + 1, V) for the decoder input [lang, y₁..y_L]
    /// and the labels [y₁..y_L, &lt;/s&gt;] (&lt;pad&gt; beyond), spec §10.4: the language code is never a label.
    /// </summary>
    public (Tensor Logits, Tensor Labels) TeacherForced(Tensor encoder, Tensor mask, IReadOnlyList<int[]> targets)
    {
        int b = targets.Count, l = targets.Max(t => t.Length) + 1;
        var input = new long[b * l];
        var labels = new long[b * l];
        Array.Fill(input, TranslationVocabulary.PadId);
        Array.Fill(labels, TranslationVocabulary.PadId);
        for (int i = 0; i < b; i++)
        {
            input[i * l] = Vocabulary.TargetLanguageId;
            for (int j = 0; j < targets[i].Length; j++) { input[i * l + j + 1] = targets[i][j]; labels[i * l + j] = targets[i][j]; }
            labels[i * l + targets[i].Length] = TranslationVocabulary.EosId;
        }
        var decoderInput = torch.tensor(input, device: encoder.device).view(b, l);   // (B·L) -> (B, L)
        var decoderMask = decoderInput.ne(KeptScalars.I(TranslationVocabulary.PadId));
        var hidden = model.Model.Decoder.Run(decoderInput, decoderMask, encoder, mask).Hidden;
        return (model.Logits(hidden), torch.tensor(labels, device: encoder.device).view(b, l)); // (B·L) -> (B, L)
    }

    /// <summary>Log-probabilities (N, V) of the next word after each prefix (N, L) (language code first).</summary>
    public Tensor NextLogProbs(Tensor encoder, Tensor mask, Tensor prefixes) => model.NextLogProbs(encoder, mask, prefixes);

    /// <summary>
    /// The next-word step of one encoded sentence with a key/value cache (<see cref="CachedStep"/>): each call must
    /// pass prefixes that extend the previous call's by one token (as beam search does), and reads only that token.
    /// </summary>
    /// <param name="encoder">(1, T, d) one sentence's encoder states.</param>
    /// <param name="mask">(1, T) its valid positions.</param>
    public CachedStep Cached(Tensor encoder, Tensor mask) => new(model, encoder, mask);

    /// <summary>Cross-attention weights of every decoder layer (B, H, L, T) for the given decoder input.</summary>
    public Tensor[] CrossAttention(Tensor encoder, Tensor mask, Tensor decoderInput) =>
        model.Model.Decoder.Run(decoderInput, null, encoder, mask).CrossWeights;

    public override Tensor forward(Tensor x) => throw new NotSupportedException("use GlossInput/FeatureInput, Encode, TeacherForced or NextLogProbs.");
}
