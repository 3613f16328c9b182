using SignNotebooks.Models.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace SignNotebooks.Tests.Models;

/// <summary>The long-clip chunked convolutions give the one-shot result (values and gradients).</summary>
public class TemporalChunkingTests
{
    private static (Tensor y, Tensor g) Run(nn.Module<Tensor, Tensor> m, Tensor x, long budget)
    {
        var saved = TemporalChunking.BudgetFloats;
        TemporalChunking.BudgetFloats = budget;
        try
        {
            var xi = x.detach().clone().requires_grad_(true);
            var y = m.call(xi);
            (y * y).sum().backward();
            return (y.detach(), xi.grad!.detach());
        }
        finally { TemporalChunking.BudgetFloats = saved; }
    }

    [Theory]
    [InlineData(true, 7L, 3L, 1L)]   // keypoint -> video lateral: ConvT (7,3,3), stride (1,2,2), pad (3,1,1)
    [InlineData(true, 3L, 1L, 1L)]   // SPN Up1 temporal ConvT (3,1,1)
    [InlineData(true, 1L, 0L, 3L)]   // SPN spatial ConvT (1,3,3)
    [InlineData(false, 7L, 3L, 3L)]  // video -> keypoint lateral: Conv (7,3,3), stride (1,2,2), pad (3,1,1)
    public void Chunked_equals_one_shot(bool transposed, long kT, long pT, long kS)
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(3);
        long pS = kS / 2, sS = kS > 1 ? 2 : 1;
        nn.Module<Tensor, Tensor> m = transposed
            ? new TransposedConv3d(4, 5, (kT, kS, kS), (1, sS, sS), (pT, pS, pS), (0, sS - 1, sS - 1))
            : new ChunkedConv3d(4, 5, (kT, kS, kS), (1, sS, sS), (pT, pS, pS));
        var x = torch.randn(new long[] { 2, 4, 21, 6, 6 });
        var (y1, g1) = Run(m, x, long.MaxValue / 4);
        var (y2, g2) = Run(m, x, 1); // one frame per chunk: the most halo work
        var (y3, g3) = Run(m, x, 5 * 4 * kT * kS * kS * 144 * 4); // several frames per chunk
        Assert.Equal(y1.shape, y2.shape);
        Assert.True((y1 - y2).abs().max().item<float>() < 1e-5f);
        Assert.True((y1 - y3).abs().max().item<float>() < 1e-5f);
        Assert.True((g1 - g2).abs().max().item<float>() < 1e-4f);
        Assert.True((g1 - g3).abs().max().item<float>() < 1e-4f);
    }
}
