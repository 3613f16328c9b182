using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SignNotebooks.Translation;

/// <summary>
/// The mBART encoder: token embeddings (<c>embed_tokens</c>, shared with the decoder and <c>lm_head</c>) × embed
/// scale, or embeddings given directly (TwoStream-SLT feeds gloss embeddings or mapped visual features, spec §10),
/// + learned positions → <c>layernorm_embedding</c> → dropout → pre-LN layers → final <c>layer_norm</c>.
/// </summary>
public sealed class MBartEncoder : nn.Module<Tensor, Tensor>
{
    private readonly Embedding embed_tokens;
    private readonly MBartLearnedPositionalEmbedding embed_positions;
    private readonly ModuleList<MBartEncoderLayer> layers;
    private readonly LayerNorm layernorm_embedding;
    private readonly LayerNorm layer_norm;
    private readonly Dropout dropout;
    private readonly double _embedScale;

    public MBartEncoder(MBartConfig c, Embedding shared) : base(nameof(MBartEncoder))
    {
        embed_tokens = shared;
        embed_positions = new MBartLearnedPositionalEmbedding(c.MaxPositionEmbeddings, c.DModel);
        layers = new ModuleList<MBartEncoderLayer>(Enumerable.Range(0, c.EncoderLayers).Select(_ => new MBartEncoderLayer(c)).ToArray());
        layernorm_embedding = nn.LayerNorm(c.DModel, eps: c.LayerNormEpsilon);
        layer_norm = nn.LayerNorm(c.DModel, eps: c.LayerNormEpsilon);
        dropout = nn.Dropout(c.Dropout);
        _embedScale = c.EmbedScale;
        RegisterComponents();
    }

    /// <summary>Token ids (B, T) → embeddings (B, T, d), scaled as the encoder scales them.</summary>
    public Tensor EmbedIds(Tensor ids) => embed_tokens.call(ids).mul(Util.KeptScalars.F(_embedScale));

    /// <param name="inputsEmbeds">(B, T, d) input embeddings, already scaled (see <see cref="EmbedIds"/>).</param>
    /// <param name="mask">(B, T) bool, true at real tokens; null = no padding.</param>
    /// <returns>(B, T, d) encoder states.</returns>
    public Tensor Run(Tensor inputsEmbeds, Tensor? mask)
    {
        var h = inputsEmbeds + embed_positions.call(inputsEmbeds).unsqueeze(0); // (T, d) -> (1, T, d)
        h = dropout.call(layernorm_embedding.call(h));
        var blocked = mask is null ? null : mask.logical_not().unsqueeze(1).unsqueeze(1); // (B, T) -> (B, 1, 1, T)
        foreach (var layer in layers) h = layer.Run(h, blocked);
        return layer_norm.call(h);
    }

    /// <param name="ids">(B, T) token ids, no padding.</param>
    public override Tensor forward(Tensor ids) => Run(EmbedIds(ids), null);
}
