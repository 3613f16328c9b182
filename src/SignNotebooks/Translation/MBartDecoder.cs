using TorchSharp;
using TorchSharp.Modules;
using SignNotebooks.Util;
using static TorchSharp.torch;

namespace SignNotebooks.Translation;

/// <summary>
/// The mBART decoder: scaled token embeddings + learned positions → <c>layernorm_embedding</c> → dropout → pre-LN
/// layers (causal self-attention, cross-attention) → final <c>layer_norm</c>. <see cref="Run"/> reads a whole
/// prefix (training, attention maps); <see cref="Step"/> reads only the newest token against a
/// <see cref="DecoderCache"/> of the earlier ones, which beam search uses (an mbart-large step then costs one
/// position, not the whole prefix).
/// </summary>
public sealed class MBartDecoder : nn.Module<Tensor, Tensor>
{
    private readonly Embedding embed_tokens;
    private readonly MBartLearnedPositionalEmbedding embed_positions;
    private readonly ModuleList<MBartDecoderLayer> layers;
    private readonly LayerNorm layernorm_embedding;
    private readonly LayerNorm layer_norm;
    private readonly Dropout dropout;
    private readonly double _embedScale;

    public MBartDecoder(MBartConfig c, Embedding shared) : base(nameof(MBartDecoder))
    {
        embed_tokens = shared;
        embed_positions = new MBartLearnedPositionalEmbedding(c.MaxPositionEmbeddings, c.DModel);
        layers = new ModuleList<MBartDecoderLayer>(Enumerable.Range(0, c.DecoderLayers).Select(_ => new MBartDecoderLayer(c)).ToArray());
        layernorm_embedding = nn.LayerNorm(c.DModel, eps: c.LayerNormEpsilon);
        layer_norm = nn.LayerNorm(c.DModel, eps: c.LayerNormEpsilon);
        dropout = nn.Dropout(c.Dropout);
        _embedScale = c.EmbedScale;
        RegisterComponents();
    }

    /// <param name="ids">(B, L) decoder input ids (language token first).</param>
    /// <param name="mask">(B, L) bool, true at real tokens; null = no padding.</param>
    /// <param name="encoder">(B, T, d) encoder states.</param>
    /// <param name="encoderMask">(B, T) bool, true at real encoder positions; null = no padding.</param>
    /// <returns>(B, L, d) states and each layer's cross-attention weights (B, H, L, T).</returns>
    public (Tensor Hidden, Tensor[] CrossWeights) Run(Tensor ids, Tensor? mask, Tensor encoder, Tensor? encoderMask)
    {
        long len = ids.shape[1];
        var h = embed_tokens.call(ids).mul(KeptScalars.F(_embedScale)) + embed_positions.call(ids).unsqueeze(0); // (L, d) -> (1, L, d)
        h = dropout.call(layernorm_embedding.call(h));
        var future = torch.ones(len, len, dtype: @bool, device: ids.device).triu(1);           // (L, L) true above the diagonal
        var selfBlocked = future.unsqueeze(0).unsqueeze(0);                                    // (L, L) -> (1, 1, L, L)
        if (mask is not null) selfBlocked = selfBlocked.logical_or(mask.logical_not().unsqueeze(1).unsqueeze(1)); // (B, L) -> (B, 1, 1, L)
        var crossBlocked = encoderMask?.logical_not().unsqueeze(1).unsqueeze(1);               // (B, T) -> (B, 1, 1, T)
        var weights = new Tensor[layers.Count];
        for (int i = 0; i < layers.Count; i++) (h, weights[i]) = layers[i].Run(h, selfBlocked, encoder, crossBlocked);
        return (layer_norm.call(h), weights);
    }

    /// <summary>A cache for decoding one encoded sentence: every layer's cross-attention keys/values, no self-attention yet.</summary>
    /// <param name="encoder">(1, T, d) encoder states of one sentence.</param>
    public DecoderCache Cache(Tensor encoder) => new(layers.Select(l => l.CrossKeyValues(encoder)).ToArray());

    /// <summary>One decoding step: the newest tokens (N) at <paramref name="position"/> → states (N, d); the cache grows by one position.</summary>
    /// <param name="crossBlocked">(1, 1, 1, T) true at encoder padding, or null.</param>
    public Tensor Step(Tensor tokens, long position, DecoderCache cache, Tensor? crossBlocked)
    {
        var h = embed_tokens.call(tokens.unsqueeze(1)).mul(KeptScalars.F(_embedScale)) + embed_positions.At(position).unsqueeze(0); // (N) -> (N, 1, d)
        h = dropout.call(layernorm_embedding.call(h));
        for (int i = 0; i < layers.Count; i++) h = layers[i].Step(h, cache.Layers[i], crossBlocked);
        return layer_norm.call(h).squeeze(1); // (N, 1, d) -> (N, d)
    }

    public override Tensor forward(Tensor ids) =>
        throw new NotSupportedException("MBartDecoder needs the encoder output: call Run(ids, mask, encoder, encoderMask).");
}
