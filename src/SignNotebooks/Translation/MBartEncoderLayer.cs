using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SignNotebooks.Translation;

/// <summary>
/// One pre-LN encoder layer (mBART): x + Dropout(SelfAttn(LN(x))), then x + Dropout(fc2(Dropout(GELU(fc1(LN(x)))))).
/// Keys <c>self_attn.*</c>, <c>self_attn_layer_norm</c>, <c>fc1</c>, <c>fc2</c>, <c>final_layer_norm</c>.
/// </summary>
public sealed class MBartEncoderLayer : nn.Module<Tensor, Tensor>
{
    private readonly MBartAttention self_attn;
    private readonly LayerNorm self_attn_layer_norm;
    private readonly Linear fc1;
    private readonly Linear fc2;
    private readonly LayerNorm final_layer_norm;
    private readonly Dropout dropout;
    private readonly Dropout activation_dropout;

    public MBartEncoderLayer(MBartConfig c) : base(nameof(MBartEncoderLayer))
    {
        self_attn = new MBartAttention(c.DModel, c.EncoderAttentionHeads, c.AttentionDropout);
        self_attn_layer_norm = nn.LayerNorm(c.DModel, eps: c.LayerNormEpsilon);
        fc1 = nn.Linear(c.DModel, c.EncoderFfnDim);
        fc2 = nn.Linear(c.EncoderFfnDim, c.DModel);
        final_layer_norm = nn.LayerNorm(c.DModel, eps: c.LayerNormEpsilon);
        dropout = nn.Dropout(c.Dropout);
        activation_dropout = nn.Dropout(c.ActivationDropout);
        RegisterComponents();
    }

    /// <param name="x">(B, T, d)</param>
    /// <param name="blocked">(B, 1, 1, T) true at padding keys, or null.</param>
    public Tensor Run(Tensor x, Tensor? blocked)
    {
        var n = self_attn_layer_norm.call(x);
        x = x + dropout.call(self_attn.Run(n, n, blocked).Output);
        return FeedForward(x, final_layer_norm, fc1, fc2, activation_dropout, dropout);
    }

    /// <summary>The pre-LN GELU feed-forward block both layer kinds end with: x + Dropout(fc2(Dropout(GELU(fc1(LN(x)))))).</summary>
    internal static Tensor FeedForward(Tensor x, LayerNorm norm, Linear fc1, Linear fc2, Dropout activationDropout, Dropout dropout) =>
        x + dropout.call(fc2.call(activationDropout.call(nn.functional.gelu(fc1.call(norm.call(x))))));

    public override Tensor forward(Tensor x) => Run(x, null);
}
