using TorchSharp;
using TorchSharp.Modules;
using SignNotebooks.Util;
using static TorchSharp.torch;

namespace SignNotebooks.Translation;

/// <summary>
/// Hugging Face's <c>MBartForConditionalGeneration</c>: <c>model</c> (<see cref="MBartModel"/>), <c>lm_head</c>
/// (bias-free, its weight tied to <c>model.shared.weight</c>) and the <c>final_logits_bias</c> buffer (1, V).
/// State-dict keys are Hugging Face's, so a (pruned) mBART state dict loads by name (spec §10.1, §12).
/// </summary>
public sealed class MBartForConditionalGeneration : nn.Module<Tensor, Tensor>
{
    private readonly MBartModel model;
    private readonly Linear lm_head;
    private readonly Tensor final_logits_bias;

    public MBartConfig Config { get; }

    public MBartForConditionalGeneration(MBartConfig c) : base(nameof(MBartForConditionalGeneration))
    {
        c.Validate();
        Config = c;
        model = new MBartModel(c);
        lm_head = nn.Linear(c.DModel, c.VocabularySize, hasBias: false);
        lm_head.weight = model.Shared.weight!; // tied, as tie_word_embeddings = true in every mBART config
        final_logits_bias = torch.zeros(1, c.VocabularySize);
        register_buffer("final_logits_bias", final_logits_bias);
        RegisterComponents();
        Initialise(this, c.InitStd, c.PadTokenId);
    }

    /// <summary>
    /// Hugging Face's <c>_init_weights</c>: Linear and Embedding weights N(0, std), biases 0, the padding row 0
    /// (LayerNorms keep ones/zeros). TorchSharp's defaults (N(0, 1) embeddings) make from-scratch training much slower.
    /// </summary>
    public static void Initialise(nn.Module module, double std, int? padRow = null)
    {
        using var noGrad = torch.no_grad();
        foreach (var (name, p) in module.named_parameters())
        {
            if (name.Contains("layer_norm") || name.Contains("layernorm")) continue;
            if (name.EndsWith(".bias", StringComparison.Ordinal)) p.zero_();
            else nn.init.normal_(p, 0, std);
        }
        if (padRow is { } pad) module.named_parameters().First(kv => kv.name == "model.shared.weight").parameter[pad].zero_();
    }

    public MBartModel Model => model;

    /// <summary>Decoder states (B, L, d) → vocabulary logits (B, L, V).</summary>
    public Tensor Logits(Tensor hidden) => lm_head.call(hidden).add(final_logits_bias, KeptScalars.F(1));

    /// <summary>
    /// Log-probabilities (N, V) of the next word after each prefix (N, L), recomputing the whole prefix (exact for any
    /// prefixes; beam search uses the cached <see cref="CachedStep"/>).
    /// </summary>
    /// <param name="encoder">(N, T, d) encoder states.</param>
    /// <param name="mask">(N, T) valid encoder positions, or null.</param>
    public Tensor NextLogProbs(Tensor encoder, Tensor? mask, Tensor prefixes) =>
        nn.functional.log_softmax(Logits(model.Decoder.Run(prefixes, null, encoder, mask).Hidden.select(1, -1)), -1);

    /// <summary>
    /// Teacher-forced forward from token ids, as Hugging Face's forward with <c>input_ids</c>,
    /// <c>attention_mask</c> and <c>decoder_input_ids</c>.
    /// </summary>
    /// <returns>(B, L, V) logits.</returns>
    public Tensor Forward(Tensor inputIds, Tensor? attentionMask, Tensor decoderInputIds, Tensor? decoderMask = null)
    {
        var encoder = model.Encoder.Run(model.Encoder.EmbedIds(inputIds), attentionMask);
        return Logits(model.Decoder.Run(decoderInputIds, decoderMask, encoder, attentionMask).Hidden);
    }

    public override Tensor forward(Tensor ids) => throw new NotSupportedException("call Forward(inputIds, attentionMask, decoderInputIds).");

    /// <summary>Trainable parameters, each once (the tied embedding is reachable under three names).</summary>
    public IEnumerable<Parameter> UniqueParameters() => TensorStorage.UniqueParameters(this);
}
