using SignNotebooks.Pose;
using Xunit.Abstractions;

namespace SignNotebooks.Tests.Pose;

/// <summary>
/// Every decoding path through the real runtime path (ONNX file → ONNX Runtime → decoder → frame pixels), on
/// constant-output models whose heatmaps / SimCC vectors hold Gaussians at known sub-pixel positions.
/// </summary>
public sealed class PoseDecodingTests(ITestOutputHelper log) : IDisposable
{
    // HRNet-w48 COCO-WholeBody 384×288: 133 heatmaps of 96×72 (stride 4); RTMPose-style SimCC has 2 bins per pixel.
    private const int K = 133, InW = 288, InH = 384, HmW = 72, HmH = 96;
    private readonly string _dir = Directory.CreateTempSubdirectory("signnb-pose-").FullName;
    public void Dispose() => Directory.Delete(_dir, true);

    private static List<(double X, double Y)> Centres(int n, double w, double h, double margin, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (margin + rng.NextDouble() * (w - 2 * margin), margin + rng.NextDouble() * (h - 2 * margin))).ToList();
    }

    private string HeatmapModel(IReadOnlyList<(double X, double Y)> centres, double sigma)
    {
        var path = Path.Combine(_dir, $"heatmap-s{sigma}.onnx");
        PoseTestGraphs.WriteConstant(path, [null, 3, InH, InW],
            new PoseTestGraphs.Output("heatmaps", [1, K, HmH, HmW], PoseTestGraphs.GaussianHeatmaps(HmH, HmW, sigma, centres)));
        return path;
    }

    private static RgbFrame Blank(int w, int h) => new(w, h, new byte[w * h * 3]);

    /// <summary>Per-keypoint distance between decoded frame points and the expected ones, in heatmap pixels.</summary>
    private static double[] Errors(float[] kp, IReadOnlyList<(double X, double Y)> centres, Func<(double X, double Y), (double X, double Y)> toFrame, double frameToHeatmap) =>
        centres.Select((c, k) =>
        {
            var (ex, ey) = toFrame(c);
            return Math.Sqrt(Math.Pow(kp[3 * k] - ex, 2) + Math.Pow(kp[3 * k + 1] - ey, 2)) * frameToHeatmap;
        }).ToArray();

    [Theory]
    [InlineData(2.0, 11)]   // mmpose 256×192 DARK codec: σ 2, blur 11
    [InlineData(3.0, 17)]   // mmpose 384×288 DARK codec: σ 3, blur 17
    public void Heatmap_dark_recovers_sub_pixel_positions_and_beats_argmax_and_quarter_offset(double sigma, int kernel)
    {
        var centres = Centres(K, HmW, HmH, 6, seed: 7);
        var path = HeatmapModel(centres, sigma);
        var frame = Blank(InW, InH);   // frame = input size: frame pixel = heatmap location · 4
        var mean = new Dictionary<HeatmapRefinement, (double Mean, double Max)>();
        foreach (var r in Enum.GetValues<HeatmapRefinement>())
        {
            using var est = PoseEstimator.Open(path, new PoseEstimatorOptions(Threads: 1, ExpectedKeypoints: K), d => d with { Refinement = r, DarkBlurKernel = kernel });
            Assert.Equal(PoseOutputKind.Heatmap, est.Descriptor.OutputKind);
            var kp = est.Estimate(frame);
            var err = Errors(kp, centres, c => (c.X * 4, c.Y * 4), 0.25);
            mean[r] = (err.Average(), err.Max());
            // Not asserted: the cost of crop + runtime call + decoding per frame, the estimator's own overhead.
            var sw = System.Diagnostics.Stopwatch.StartNew();
            for (int i = 0; i < 5; i++) est.Estimate(frame);
            log.WriteLine($"  {sw.Elapsed.TotalMilliseconds / 5:F1} ms per 288×384 frame without a network (crop, copy, decode)");
            log.WriteLine($"σ {sigma}, blur {kernel}, {r}: mean error {err.Average():F4} heatmap px, max {err.Max():F4}");
            for (int k = 0; k < K; k++) Assert.InRange(kp[3 * k + 2], 0.6f, 1.0f);   // score = the raw peak value
        }
        Assert.True(mean[HeatmapRefinement.Dark].Max < 0.1, $"DARK max error {mean[HeatmapRefinement.Dark].Max:F4} ≥ 0.1 heatmap px");
        Assert.True(mean[HeatmapRefinement.None].Max <= Math.Sqrt(0.5) + 1e-6);   // argmax: at most half a pixel per axis
        Assert.True(mean[HeatmapRefinement.None].Mean > 5 * mean[HeatmapRefinement.Dark].Mean);
        Assert.True(mean[HeatmapRefinement.QuarterOffset].Mean < mean[HeatmapRefinement.None].Mean);
        Assert.True(mean[HeatmapRefinement.QuarterOffset].Mean > mean[HeatmapRefinement.Dark].Mean);
    }

    [Fact]
    public void Heatmap_points_map_back_through_the_aspect_fitted_whole_frame_box()
    {
        var centres = Centres(K, HmW, HmH, 6, seed: 11);
        var path = HeatmapModel(centres, 2.0);
        using var est = PoseEstimator.Open(path, new PoseEstimatorOptions(Threads: 1));
        // A 600×400 frame is wider than 3:4, so the box grows to 600×800 around the centre: y0 = 200 − 400 = −200.
        var kp = est.Estimate(Blank(600, 400));
        double s = 600.0 / InW;
        var err = Errors(kp, centres, c => (c.X * 4 * s, -200 + c.Y * 4 * s), 0.25 / s);
        log.WriteLine($"600×400 frame, DARK: max error {err.Max():F4} heatmap px");
        Assert.True(err.Max() < 0.1);
        // An explicit box with padding: the same points inside the box.
        var box = new PoseBox(100, 50, 144, 192);   // already 3:4; padding 1.25 makes it 180×240 around (172, 146)
        using var padded = PoseEstimator.Open(path, new PoseEstimatorOptions(Threads: 1), d => d with { BoxPadding = 1.25 });
        kp = padded.Estimate(Blank(600, 400), box);
        s = 180.0 / InW;
        err = Errors(kp, centres, c => (172 - 90 + c.X * 4 * s, 146 - 120 + c.Y * 4 * s), 0.25 / s);
        Assert.True(err.Max() < 0.1);
    }

    [Fact]
    public void Simcc_argmax_over_split_ratio_recovers_positions_to_half_a_bin_and_scores_are_the_smaller_maximum()
    {
        var pts = Centres(K, InW, InH, 4, seed: 3);   // input pixels
        const double ratio = 2.0;
        var x = PoseTestGraphs.GaussianVectors((int)(InW * ratio), 5.66, pts.Select(p => p.X * ratio).ToList(), peak: 0.9f);
        var y = PoseTestGraphs.GaussianVectors((int)(InH * ratio), 6.93, pts.Select(p => p.Y * ratio).ToList(), peak: 0.7f);
        var path = Path.Combine(_dir, "simcc.onnx");
        // y first: the decoder must pick the axes by name (simcc_x / simcc_y), not by position.
        PoseTestGraphs.WriteConstant(path, [1, 3, InH, InW],
            new PoseTestGraphs.Output("simcc_y", [1, K, InH * 2], y), new PoseTestGraphs.Output("simcc_x", [1, K, InW * 2], x));
        using var est = PoseEstimator.Open(path, new PoseEstimatorOptions(Threads: 1, ExpectedKeypoints: 133));
        var d = est.Descriptor;
        Assert.Equal((PoseOutputKind.SimCC, 2.0, 133, "coco-wholebody"), (d.OutputKind, d.SimccSplitRatio, d.KeypointCount, d.Layout));
        Assert.Equal(["simcc_x", "simcc_y"], d.OutputNames);
        var kp = est.Estimate(Blank(InW, InH));
        double maxX = 0, maxY = 0;
        for (int k = 0; k < K; k++)
        {
            maxX = Math.Max(maxX, Math.Abs(kp[3 * k] - pts[k].X));
            maxY = Math.Max(maxY, Math.Abs(kp[3 * k + 1] - pts[k].Y));
            float sx = x.Skip(k * InW * 2).Take(InW * 2).Max(), sy = y.Skip(k * InH * 2).Take(InH * 2).Max();
            Assert.Equal(Math.Min(sx, sy), kp[3 * k + 2]);
        }
        log.WriteLine($"SimCC ratio 2: max error x {maxX:F4}, y {maxY:F4} input px");
        Assert.True(maxX <= 0.25 + 1e-5 && maxY <= 0.25 + 1e-5, "SimCC error above half a bin (0.25 input px at ratio 2)");
    }

    [Fact]
    public void Identity_model_sees_the_cropped_frame_in_the_described_channel_order()
    {
        // "Heatmaps" = the input itself, normalised to [0, 1] by metadata mean 0 / std 255: a blob drawn in the frame
        // comes back where it was drawn, which checks the crop, the normalisation, the channel order and the mapping.
        const int w = 96, h = 128;
        var path = Path.Combine(_dir, "identity.onnx");
        PoseTestGraphs.WriteIdentity(path, w, h, (PoseModelInspector.MetaMean, "0,0,0"), (PoseModelInspector.MetaStd, "255, 255, 255"));
        var (red, blue) = ((61.3, 97.6), (140.2, 180.9));
        var frame = new RgbFrame(2 * w, 2 * h, new byte[4 * w * h * 3]);
        for (int i = 0; i < 2 * h; i++)
            for (int j = 0; j < 2 * w; j++)
            {
                double G((double X, double Y) c) => 255 * Math.Exp(-(Math.Pow(j - c.X, 2) + Math.Pow(i - c.Y, 2)) / (2 * 6.0 * 6.0));
                frame.Rgb[(i * 2 * w + j) * 3] = (byte)Math.Round(G(red));
                frame.Rgb[(i * 2 * w + j) * 3 + 2] = (byte)Math.Round(G(blue));
            }
        foreach (var order in new[] { ChannelOrder.Rgb, ChannelOrder.Bgr })
        {
            using var est = PoseEstimator.Open(path, new PoseEstimatorOptions(Threads: 1), d => d with { ChannelOrder = order });
            Assert.Equal([0f, 0f, 0f], est.Descriptor.Mean);
            var kp = est.Estimate(frame);
            var (first, last) = order == ChannelOrder.Rgb ? (red, blue) : (blue, red);
            double e0 = Math.Sqrt(Math.Pow(kp[0] - first.Item1, 2) + Math.Pow(kp[1] - first.Item2, 2));
            double e2 = Math.Sqrt(Math.Pow(kp[6] - last.Item1, 2) + Math.Pow(kp[7] - last.Item2, 2));
            log.WriteLine($"identity model, {order}: blob errors {e0:F3} and {e2:F3} frame px (2 frame px per input px)");
            Assert.True(e0 < 0.5 && e2 < 0.5, $"{order}: {e0:F3}, {e2:F3}");
            Assert.InRange(kp[2], 0.9f, 1.0f);
            Assert.Equal(0f, kp[5]);   // the empty green channel scores 0
        }
    }
}
