using SignNotebooks.Keypoints;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace SignNotebooks.Tests.Keypoints;

public class HeatmapTests
{
    private static Tensor Kp(params (float X, float Y, float S)[] pts) =>
        tensor(pts.SelectMany(p => new[] { p.X, p.Y, p.S }).ToArray(), [1, pts.Length, 3]);

    private static double Formula(double y, double x, double yk, double xk, double sigma) =>
        Math.Exp(-((y - yk) * (y - yk) + (x - xk) * (x - xk)) / (2 * sigma * sigma));

    [Fact]
    public void Values_equal_the_unnormalised_gaussian_at_sample_pixels()
    {
        using var scope = NewDisposeScope();
        var kp = Kp((37.3f, 51.8f, 0.4f), (100.0f, 20.5f, 0.9f));
        var h = Heatmaps.Render(kp, (130, 105), (130, 105));   // map = raw grid, σ = 8
        Assert.Equal(new long[] { 1, 2, 130, 105 }, h.shape);
        foreach (var (y, x) in new[] { (51, 37), (52, 38), (40, 30), (0, 0), (129, 104), (20, 100), (25, 90) })
        {
            Assert.Equal(Formula(y, x, 51.8, 37.3, 8), h[0, 0, y, x].item<float>(), 6);
            Assert.Equal(Formula(y, x, 20.5, 100.0, 8), h[0, 1, y, x].item<float>(), 6);
        }
        // Confidence is ignored by default: the peak is ≈ 1, not the score.
        Assert.True(h[0, 0].max().item<float>() > 0.98f);
    }

    [Fact]
    public void Map_size_scales_coordinates_and_sigma_stays_in_map_pixels()
    {
        using var scope = NewDisposeScope();
        var kp = Kp((256f, 128f, 1f));
        var h = Heatmaps.Render(kp, (512, 512), (170, 170), new HeatmapOptions(Sigma: 3));
        double xk = 256 * 170.0 / 512, yk = 128 * 170.0 / 512;
        foreach (var (y, x) in new[] { (42, 85), (45, 80), (10, 10) })
            Assert.Equal(Formula(y, x, yk, xk, 3), h[0, 0, y, x].item<float>(), 6);
    }

    [Fact]
    public void Missing_keypoint_draws_a_corner_blob_unless_dropped_and_confidence_weights_on_request()
    {
        using var scope = NewDisposeScope();
        var kp = Kp((0f, 0f, 0f), (50f, 40f, 0.5f));
        var keep = Heatmaps.Render(kp, (100, 100), (100, 100));
        Assert.Equal(1.0f, keep[0, 0, 0, 0].item<float>(), 6);
        Assert.Equal(Formula(5, 3, 0, 0, 8), keep[0, 0, 5, 3].item<float>(), 6);
        var drop = Heatmaps.Render(kp, (100, 100), (100, 100), new HeatmapOptions(DropMissing: true));
        Assert.Equal(0f, drop[0, 0].abs().max().item<float>());
        Assert.Equal(1.0f, drop[0, 1, 40, 50].item<float>(), 6);
        var weighted = Heatmaps.Render(kp, (100, 100), (100, 100), new HeatmapOptions(WeightByConfidence: true));
        Assert.Equal(0.5f, weighted[0, 1, 40, 50].item<float>(), 6);
        Assert.Equal(0f, weighted[0, 0, 0, 0].item<float>());
        // The stream input of an empty map is the background value −1.
        var s = Heatmaps.StreamInput(kp, (100, 100), (100, 100), CropBox.Full(100, 100), 50, 50, new HeatmapOptions(DropMissing: true));
        Assert.Equal(-1f, s[0, 0].max().item<float>());
    }

    [Theory]
    [InlineData(0, 0, 260, 210, 112, 112)]    // Phoenix eval: plain resize
    [InlineData(17, 9, 201, 176, 112, 112)]   // a train crop
    [InlineData(30, 40, 50, 60, 112, 112)]    // upsampling
    [InlineData(5, 7, 64, 64, 64, 64)]        // no resize
    public void Separable_stream_input_equals_render_crop_resize_scale(int top, int left, int h, int w, int outH, int outW)
    {
        using var scope = NewDisposeScope();
        var gen = new Random(7);
        var pts = Enumerable.Range(0, 12).Select(_ => ((float)(gen.NextDouble() * 210), (float)(gen.NextDouble() * 260), (float)gen.NextDouble())).ToArray();
        pts[3] = (0, 0, 0);
        var kp = tensor(pts.SelectMany(p => new[] { p.Item1, p.Item2, p.Item3 }).ToArray(), [2, 6, 3]);
        var box = new CropBox(top, left, h, w);
        foreach (var opt in new[] { new HeatmapOptions(), new HeatmapOptions(WeightByConfidence: true, DropMissing: true) })
        {
            var full = Heatmaps.Render(kp, (260, 210), (260, 210), opt);
            var reference = F.interpolate(full.narrow(2, top, h).narrow(3, left, w), size: [outH, outW],
                mode: InterpolationMode.Bilinear, align_corners: false) * 2 - 1;
            var fast = Heatmaps.StreamInput(kp, (260, 210), (260, 210), box, outH, outW, opt);
            Assert.Equal(reference.shape, fast.shape);
            Assert.True((fast - reference).abs().max().item<float>() < 1e-5f);
        }
    }
}

public class HeatmapOverviewTests
{
    [Fact]
    public void Overview_is_the_channel_maximum_in_zero_one()
    {
        using var scope = torch.NewDisposeScope();
        var kp = torch.tensor(new float[] { 10, 20, 1, 40, 5, 1 }, [2, 1, 3]);   // (K=2, L=1, 3)
        var s = Heatmaps.StreamInput(kp, (64, 64), (64, 64), CropBox.Full(64, 64), 64, 64, new HeatmapOptions(Sigma: 2));
        var img = Heatmaps.Overview(s, 0);
        Assert.Equal(1f, img[20, 10], 4);
        Assert.Equal(1f, img[5, 40], 4);
        Assert.True(img[40, 40] < 1e-6);
        var only0 = Heatmaps.Overview(s, 0, [0]);
        Assert.True(only0[5, 40] < 1e-6);
    }
}
