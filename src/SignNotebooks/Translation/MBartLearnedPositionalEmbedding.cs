using TorchSharp;
using TorchSharp.Modules;
using SignNotebooks.Util;
using static TorchSharp.torch;

namespace SignNotebooks.Translation;

/// <summary>
/// mBART's learned positions: one <c>weight</c> of (max_positions + 2, d); position p reads row p + 2 (Hugging Face
/// keeps fairseq's offset of 2 rows, so converted checkpoints load as they are).
/// </summary>
public sealed class MBartLearnedPositionalEmbedding : nn.Module<Tensor, Tensor>
{
    /// <summary>The fairseq row offset.</summary>
    public const int Offset = 2;

    private readonly Parameter weight;

    public MBartLearnedPositionalEmbedding(int maxPositions, int dim) : base(nameof(MBartLearnedPositionalEmbedding))
    {
        weight = new Parameter(torch.empty(maxPositions + Offset, dim));
        using (torch.no_grad()) nn.init.normal_(weight);
        RegisterComponents();
    }

    /// <summary>Rows of the table (max positions + 2).</summary>
    public long Rows => weight.shape[0];

    /// <summary>(1, d): the embedding of one position (a decoding step).</summary>
    public Tensor At(long position)
    {
        if (position + Offset >= Rows)
            throw new UserFacingException($"position {position} is beyond the model's {Rows - Offset} learned positions. Fix: lower the maximum output length.");
        return weight.narrow(0, position + Offset, 1);
    }

    /// <param name="ids">(B, T) token ids; only T is used.</param>
    /// <returns>(T, d) position embeddings for positions 0..T−1.</returns>
    public override Tensor forward(Tensor ids)
    {
        long t = ids.shape[1];
        if (t + Offset > Rows)
            throw new UserFacingException($"a sequence of {t} tokens is longer than the model's {Rows - Offset} learned positions. Fix: shorten the input or raise MaxPositionEmbeddings.");
        var positions = torch.arange(KeptScalars.I(Offset), KeptScalars.I(t + Offset), KeptScalars.I(1), dtype: int64, device: weight.device);
        return weight.index_select(0, positions);
    }
}
