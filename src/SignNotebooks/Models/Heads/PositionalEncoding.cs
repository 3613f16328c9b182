using TorchSharp;
using static TorchSharp.torch;

namespace SignNotebooks.Models.Heads;

/// <summary>
/// OpenNMT-style sinusoidal positional encoding (spec §3): even dims sin, odd dims cos, frequencies
/// 10000^(−2i/d). The table is a **persistent** buffer `pe` of shape (1, max_len, d), so it is in the state dict.
/// </summary>
public sealed class PositionalEncoding : nn.Module<Tensor, Tensor>
{
    private readonly Tensor pe;

    public PositionalEncoding(int dim, int maxLength) : base(nameof(PositionalEncoding))
    {
        var table = torch.zeros(maxLength, dim);
        var position = torch.arange(0, maxLength, dtype: float32).unsqueeze(1);                      // (L, 1)
        var divTerm = torch.exp(torch.arange(0, dim, 2, dtype: float32) * -(Math.Log(10000.0) / dim)); // (d/2,)
        table[.., TensorIndex.Slice(0, null, 2)] = torch.sin(position * divTerm);
        table[.., TensorIndex.Slice(1, null, 2)] = torch.cos(position * divTerm);
        pe = table.unsqueeze(0); // (L, d) -> (1, L, d)
        register_buffer("pe", pe, persistent: true);
    }

    /// <param name="x">(B, T, d); T must not exceed max_len.</param>
    public override Tensor forward(Tensor x) => x + pe[.., TensorIndex.Slice(0, x.shape[1])];
}
