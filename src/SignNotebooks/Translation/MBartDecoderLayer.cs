using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SignNotebooks.Translation;

/// <summary>
/// One pre-LN decoder layer (mBART): causal self-attention, cross-attention on the encoder output
/// (<c>encoder_attn</c>, <c>encoder_attn_layer_norm</c>) and the GELU feed-forward, each as x + Dropout(f(LN(x))).
/// </summary>
public sealed class MBartDecoderLayer : nn.Module<Tensor, Tensor>
{
    private readonly MBartAttention self_attn;
    private readonly LayerNorm self_attn_layer_norm;
    private readonly MBartAttention encoder_attn;
    private readonly LayerNorm encoder_attn_layer_norm;
    private readonly Linear fc1;
    private readonly Linear fc2;
    private readonly LayerNorm final_layer_norm;
    private readonly Dropout dropout;
    private readonly Dropout activation_dropout;

    public MBartDecoderLayer(MBartConfig c) : base(nameof(MBartDecoderLayer))
    {
        self_attn = new MBartAttention(c.DModel, c.DecoderAttentionHeads, c.AttentionDropout);
        self_attn_layer_norm = nn.LayerNorm(c.DModel, eps: c.LayerNormEpsilon);
        encoder_attn = new MBartAttention(c.DModel, c.DecoderAttentionHeads, c.AttentionDropout);
        encoder_attn_layer_norm = nn.LayerNorm(c.DModel, eps: c.LayerNormEpsilon);
        fc1 = nn.Linear(c.DModel, c.DecoderFfnDim);
        fc2 = nn.Linear(c.DecoderFfnDim, c.DModel);
        final_layer_norm = nn.LayerNorm(c.DModel, eps: c.LayerNormEpsilon);
        dropout = nn.Dropout(c.Dropout);
        activation_dropout = nn.Dropout(c.ActivationDropout);
        RegisterComponents();
    }

    /// <param name="x">(B, L, d) decoder states.</param>
    /// <param name="selfBlocked">(B or 1, 1, L, L) true where a position may not look (future, padding).</param>
    /// <param name="encoder">(B, T, d) encoder output.</param>
    /// <param name="crossBlocked">(B, 1, 1, T) true at encoder padding, or null.</param>
    /// <returns>The new states and the cross-attention weights (B, H, L, T).</returns>
    public (Tensor Output, Tensor CrossWeights) Run(Tensor x, Tensor? selfBlocked, Tensor encoder, Tensor? crossBlocked)
    {
        var n = self_attn_layer_norm.call(x);
        x = x + dropout.call(self_attn.Run(n, n, selfBlocked).Output);
        var (cross, weights) = encoder_attn.Run(encoder_attn_layer_norm.call(x), encoder, crossBlocked);
        x = x + dropout.call(cross);
        return (MBartEncoderLayer.FeedForward(x, final_layer_norm, fc1, fc2, activation_dropout, dropout), weights);
    }

    /// <summary>
    /// One decoding step of this layer for the newest position only: its self-attention keys/values are appended to
    /// <paramref name="cache"/>, which holds every earlier position's, so the result equals <see cref="Run"/>'s last row.
    /// </summary>
    /// <param name="x">(N, 1, d) the newest position's states.</param>
    /// <param name="cache">This layer's keys/values: self-attention (N, H, L, Dh) so far, cross-attention (1 or N, H, T, Dh).</param>
    public Tensor Step(Tensor x, DecoderCache.Layer cache, Tensor? crossBlocked)
    {
        var n = self_attn_layer_norm.call(x);
        var (k, v) = self_attn.Project(n);
        cache.Append(k, v);
        x = x + dropout.call(self_attn.Attend(n, cache.SelfKeys!, cache.SelfValues!, null).Output);
        x = x + dropout.call(encoder_attn.Attend(encoder_attn_layer_norm.call(x), cache.CrossKeys, cache.CrossValues, crossBlocked).Output);
        return MBartEncoderLayer.FeedForward(x, final_layer_norm, fc1, fc2, activation_dropout, dropout);
    }

    /// <summary>The cross-attention keys/values of an encoder output, computed once per sentence.</summary>
    public (Tensor Keys, Tensor Values) CrossKeyValues(Tensor encoder) => encoder_attn.Project(encoder);

    public override Tensor forward(Tensor x) =>
        throw new NotSupportedException("MBartDecoderLayer needs the encoder output: call Run(x, selfBlocked, encoder, crossBlocked).");
}
