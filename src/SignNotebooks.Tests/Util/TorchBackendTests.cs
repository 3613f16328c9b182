using SignNotebooks.Util;
using TorchSharp;
using static TorchSharp.torch;

namespace SignNotebooks.Tests.Util;

/// <summary>
/// The convolution path every network uses must compute convolutions right on this machine. libtorch 2.10's oneDNN
/// kernels gave errors of 0.4–1.8 (not rounding: wrong sums) for channel counts that are not a multiple of 16 on the
/// project's AMD EPYC machines, and NaN after a few training passes; <see cref="TorchBackend"/> switches them off.
/// </summary>
public sealed class TorchBackendTests
{
    [Fact]
    public void Conv3d_matches_float64_for_channel_counts_oneDNN_got_wrong()
    {
        TorchBackend.EnsureConfigured();
        Assert.False(TorchBackend.OneDnnEnabled && Environment.GetEnvironmentVariable("SIGNNB_ONEDNN") != "1", TorchBackend.Description);
        using var scope = NewDisposeScope();
        torch.manual_seed(0);
        foreach (int c in new[] { 12, 20, 24, 40, 104 })
        {
            var x = randn(new long[] { 4, c, 24, 6, 6 });
            var w = randn(new long[] { c, c, 3, 1, 1 }) * 0.1;
            var y = nn.functional.conv3d(x, w, padding: new long[] { 1, 0, 0 });
            var r = nn.functional.conv3d(x.to(float64), w.to(float64), padding: new long[] { 1, 0, 0 });
            double err = (y.to(float64) - r).abs().max().item<double>();
            Assert.True(err < 1e-4, $"conv3d with {c} channels is off by {err} against float64 ({TorchBackend.Description})");
        }
    }
}
