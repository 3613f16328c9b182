using SignNotebooks.Util;
using TorchSharp;
using static TorchSharp.torch;

namespace SignNotebooks.Tests.Util;

/// <summary>
/// The convolution path every network uses must compute convolutions right on this machine. libtorch 2.10's oneDNN
/// AVX/AVX2/AVX-512 kernels gave errors of 0.4–1.8 (not rounding: wrong sums) for channel counts that are not a
/// multiple of 16 on the project's AMD EPYC machines of 2026-12-03, and NaN after a few training passes; <see cref="TorchBackend"/>
/// caps oneDNN at SSE4.1 unless this CPU's check found the best ISA exact (<see cref="OneDnnCheck"/>). Whichever it chose,
/// forward and the input/weight gradients are checked against float64.
/// </summary>
public sealed class TorchBackendTests
{
    [Fact]
    public void Conv3d_matches_float64_for_channel_counts_oneDNN_got_wrong()
    {
        TorchBackend.EnsureConfigured();
        Assert.DoesNotContain("could not", TorchBackend.Description);
        using var scope = NewDisposeScope();
        torch.manual_seed(0);
        foreach (int c in new[] { 12, 20, 24, 40, 104 })
        {
            var x = randn(new long[] { 4, c, 24, 6, 6 }).requires_grad_();
            var w = (randn(new long[] { c, c, 3, 1, 1 }) * 0.1).requires_grad_();
            var x64 = x.detach().to(float64).requires_grad_();
            var w64 = w.detach().to(float64).requires_grad_();
            var y = nn.functional.conv3d(x, w, padding: new long[] { 1, 0, 0 });
            var r = nn.functional.conv3d(x64, w64, padding: new long[] { 1, 0, 0 });
            double err = (y.to(float64) - r).abs().max().item<double>();
            Assert.True(err < 1e-4, $"conv3d with {c} channels is off by {err} against float64 ({TorchBackend.Description})");
            y.square().sum().backward();
            r.square().sum().backward();
            double gx = (x.grad!.to(float64) - x64.grad!).abs().max().item<double>() / x64.grad!.abs().max().item<double>();
            double gw = (w.grad!.to(float64) - w64.grad!).abs().max().item<double>() / w64.grad!.abs().max().item<double>();
            Assert.True(gx < 1e-4 && gw < 1e-4, $"conv3d gradients with {c} channels are off (relative {gx:G3} input, {gw:G3} weight) ({TorchBackend.Description})");
        }
    }
}
