using TorchSharp;
using TorchSharp.Modules;
using SignNotebooks.Util;
using static TorchSharp.torch;

namespace SignNotebooks.Translation;

/// <summary>
/// Multi-head attention as Hugging Face's <c>MBartAttention</c>: <c>q_proj</c>, <c>k_proj</c>, <c>v_proj</c>,
/// <c>out_proj</c> (all with bias), queries scaled by head_dim^−½ before the dot product. Self-attention when keys
/// come from the same sequence, cross-attention (<c>encoder_attn</c>) when they come from the encoder.
/// </summary>
public sealed class MBartAttention : nn.Module<Tensor, Tensor>
{
    private readonly Linear k_proj;
    private readonly Linear v_proj;
    private readonly Linear q_proj;
    private readonly Linear out_proj;
    private readonly Dropout dropout;
    private readonly int _heads;
    private readonly int _headDim;
    private readonly double _scaling;

    public MBartAttention(int dim, int heads, double attentionDropout) : base(nameof(MBartAttention))
    {
        _heads = heads;
        _headDim = dim / heads;
        _scaling = Math.Pow(_headDim, -0.5);
        k_proj = nn.Linear(dim, dim);
        v_proj = nn.Linear(dim, dim);
        q_proj = nn.Linear(dim, dim);
        out_proj = nn.Linear(dim, dim);
        dropout = nn.Dropout(attentionDropout);
        RegisterComponents();
    }

    /// <param name="x">(B, Tq, d) queries.</param>
    /// <param name="keyValues">(B, Tk, d) keys/values (x itself for self-attention).</param>
    /// <param name="blocked">(B, 1, Tq, Tk) or broadcastable bool, true where a query may not look; null = none.</param>
    /// <returns>The output (B, Tq, d) and the attention weights (B, H, Tq, Tk).</returns>
    public (Tensor Output, Tensor Weights) Run(Tensor x, Tensor keyValues, Tensor? blocked)
    {
        var (k, v) = Project(keyValues);
        return Attend(x, k, v, blocked);
    }

    /// <summary>Keys and values (B, H, Tk, Dh) of a sequence (B, Tk, d): what a decoding cache keeps.</summary>
    public (Tensor Keys, Tensor Values) Project(Tensor keyValues)
    {
        long b = keyValues.shape[0], tk = keyValues.shape[1];
        return (Heads(k_proj.call(keyValues), b, tk), Heads(v_proj.call(keyValues), b, tk)); // (B, H, Tk, Dh) each
    }

    /// <param name="x">(B, Tq, d) queries.</param>
    /// <param name="k">(B or 1, H, Tk, Dh) projected keys (<see cref="Project"/>).</param>
    /// <param name="v">(B or 1, H, Tk, Dh) projected values.</param>
    /// <param name="blocked">As in <see cref="Run"/>.</param>
    public (Tensor Output, Tensor Weights) Attend(Tensor x, Tensor k, Tensor v, Tensor? blocked)
    {
        long b = x.shape[0], tq = x.shape[1];
        var q = Heads(q_proj.call(x).mul(KeptScalars.F(_scaling)), b, tq);   // (B, H, Tq, Dh)
        var scores = q.matmul(k.transpose(2, 3));                              // (B, H, Tq, Tk)
        if (blocked is not null) scores = scores.masked_fill(blocked, KeptScalars.F(float.NegativeInfinity));
        var weights = nn.functional.softmax(scores, -1);
        var context = dropout.call(weights).matmul(v);                         // (B, H, Tq, Dh)
        context = context.transpose(1, 2).reshape(b, tq, _heads * _headDim);  // (B, H, Tq, Dh) -> (B, Tq, d)
        return (out_proj.call(context), weights);
    }

    // (B, T, d) -> (B, T, H, Dh) -> (B, H, T, Dh)
    private Tensor Heads(Tensor t, long b, long len) => t.view(b, len, _heads, _headDim).transpose(1, 2);

    public override Tensor forward(Tensor x) => Run(x, x, null).Output;
}
