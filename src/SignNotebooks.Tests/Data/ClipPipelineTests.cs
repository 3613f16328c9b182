using SignNotebooks.Data;
using SignNotebooks.Keypoints;
using SignNotebooks.Util;
using TorchSharp;
using static TorchSharp.torch;

namespace SignNotebooks.Tests.Data;

public class ClipPipelineTests
{
    private const int H = 120, W = 100;

    /// <summary>A black clip with a 3×3 white dot at the left wrist (keypoint 9), every other keypoint missed.</summary>
    private static SignClip DotClip(int t, float x, float y)
    {
        var frames = new byte[t * H * W * 3];
        var kp = new float[t * 133 * 3];
        for (int f = 0; f < t; f++)
        {
            for (int dy = -1; dy <= 1; dy++)
                for (int dx = -1; dx <= 1; dx++)
                    for (int c = 0; c < 3; c++)
                        frames[((f * H + (int)y + dy) * W + (int)x + dx) * 3 + c] = 255;
            int o = (f * 133 + 9) * 3;
            (kp[o], kp[o + 1], kp[o + 2]) = (x, y, 1f);
        }
        return new SignClip("dot", "train", "s0", t, W, H, frames, kp, ["A"]);
    }

    private static (int Y, int X) ArgMax2D(Tensor map)
    {
        long i = map.argmax().item<long>();
        return ((int)(i / map.shape[1]), (int)(i % map.shape[1]));
    }

    /// <summary>Where a pixel-centre coordinate lands after crop + resize (align_corners false).</summary>
    private static double Project(double v, int start, int len, int size) => (v - start + 0.5) * size / len - 0.5;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Keypoint_peak_lands_on_the_same_spot_in_both_streams_after_the_shared_crop(int seed)
    {
        using var scope = NewDisposeScope();
        var config = InputConfig.Cpu with { JitterP = 1.0 };   // jitter never moves a white dot on black
        var pipeline = new ClipPipeline(config);
        var clip = DotClip(8, x: 61, y: 47);
        using var inputs = pipeline.Prepare(clip, train: true, new Random(seed));
        var box = inputs.RgbBox!.Value;
        Assert.Equal(box, inputs.HeatmapBox);   // raw-size maps: the factor is 1 (spec §7.4, Phoenix)
        Assert.Equal(new long[] { 3, inputs.Length, 64, 64 }, inputs.Video!.shape);
        Assert.Equal(new long[] { 79, inputs.Length, 32, 32 }, inputs.Heatmaps!.shape);

        int channel = KeypointSelection.Paper79.Indices.ToList().IndexOf(9);
        Assert.Equal(77, channel);   // pose is last; the left wrist is its 10th keypoint
        double ey = Project(47, box.Top, box.Height, 64), ex = Project(61, box.Left, box.Width, 64);
        for (int f = 0; f < inputs.Length; f += 3)
        {
            var rgb = ArgMax2D(inputs.Video![TensorIndex.Colon, f].sum(dim: 0));
            var heat = ArgMax2D(inputs.Heatmaps![channel, f]);
            Assert.InRange(rgb.Y, ey - 1, ey + 1);
            Assert.InRange(rgb.X, ex - 1, ex + 1);
            double hy = Project(47, box.Top, box.Height, 32), hx = Project(61, box.Left, box.Width, 32);
            Assert.InRange(heat.Y, Math.Floor(hy), Math.Ceiling(hy));
            Assert.InRange(heat.X, Math.Floor(hx), Math.Ceiling(hx));
            // Heatmap at half the RGB coordinates (the 2:1 size ratio).
            Assert.InRange(heat.Y - rgb.Y / 2.0, -1, 1);
            Assert.InRange(heat.X - rgb.X / 2.0, -1, 1);
            Assert.Equal(1f, inputs.Heatmaps![channel, f].max().item<float>(), 1);
        }
        // A missed keypoint (0, 0, 0) keeps its corner blob when the crop contains the corner.
        if (box.Top == 0 && box.Left == 0) Assert.Equal((0, 0), ArgMax2D(inputs.Heatmaps![0, 0]));
    }

    [Fact]
    public void Eval_is_a_plain_resize_and_map_size_scales_the_box()
    {
        using var scope = NewDisposeScope();
        var clip = DotClip(6, x: 30, y: 90);
        using var eval = new ClipPipeline(InputConfig.Cpu).Prepare(clip, train: false, new Random(0));
        Assert.Equal(CropBox.Full(H, W), eval.RgbBox);
        Assert.Equal([0, 1, 2, 3], eval.FrameIndices);
        Assert.Null(eval.Jitter);
        var csl = InputConfig.Cpu with { MapSize = (60, 50), EvalCenterCrop = 80 };
        using var c = new ClipPipeline(csl).Prepare(clip, train: false, new Random(0));
        Assert.Equal(new CropBox(20, 10, 80, 80), c.RgbBox);
        Assert.Equal(new CropBox(10, 5, 40, 40), c.HeatmapBox);   // int(80 · 60/120), int(80 · 50/100), centred
        var t = new ClipPipeline(csl).Prepare(clip, train: true, new Random(9));
        var b = t.RgbBox!.Value;
        Assert.Equal(new CropBox(b.Top / 2, b.Left / 2, b.Height / 2, b.Width / 2), t.HeatmapBox);
        t.Dispose();
    }

    [Fact]
    public void Rgb_is_bgr_in_minus_one_to_one()
    {
        using var scope = NewDisposeScope();
        var frames = new byte[4 * 8 * 8 * 3];
        for (int i = 0; i < frames.Length; i += 3) (frames[i], frames[i + 1], frames[i + 2]) = (255, 0, 51);   // RGB
        var x = RgbPreprocess.StreamInput(frames, 4, 8, 8, [0, 1, 2, 3], CropBox.Full(8, 8), 4);
        Assert.Equal(new long[] { 3, 4, 4, 4 }, x.shape);
        Assert.Equal(0.2f * 2 - 1, x[0].mean().item<float>(), 5);   // B
        Assert.Equal(-1f, x[1].mean().item<float>(), 5);            // G
        Assert.Equal(1f, x[2].mean().item<float>(), 5);             // R
        var back = RgbPreprocess.ToDisplay(x);
        Assert.Equal(new byte[] { 255, 0, 51 }, back[0, 0, 0].data<byte>().ToArray());
    }

    [Fact]
    public void Colour_jitter_matches_torchvision_formulas_on_known_colours()
    {
        using var scope = NewDisposeScope();
        var red = tensor(new float[] { 1, 0, 0 }, [1, 3, 1, 1]);
        var green = new ColorJitter([3], 1, 1, 1, 1.0 / 3).Apply(red);   // hue +120°
        Assert.Equal(new float[] { 0, 1, 0 }, green.flatten().data<float>().ToArray().Select(v => MathF.Round(v, 5)));
        var grey = tensor(new float[] { 0.5f, 0.25f, 0.75f }, [1, 3, 1, 1]);
        var bright = new ColorJitter([0], 1.2, 1, 1, 0).Apply(grey);
        Assert.Equal(0.6f, bright[0, 0, 0, 0].item<float>(), 5);
        Assert.Equal(0.9f, bright[0, 2, 0, 0].item<float>(), 5);
        var desat = new ColorJitter([2], 1, 1, 0, 0).Apply(grey);   // saturation 0 -> grey level
        float g = 0.2989f * 0.5f + 0.587f * 0.25f + 0.114f * 0.75f;
        Assert.All(desat.flatten().data<float>().ToArray(), v => Assert.Equal(g, v, 5));
    }

    [Fact]
    public void Keypoint_only_clip_without_frames_builds_heatmaps_and_refuses_rgb()
    {
        using var scope = NewDisposeScope();
        var clip = DotClip(5, 10, 10) with { Frames = null };
        using var k = new ClipPipeline(InputConfig.Cpu).Prepare(clip, train: true, new Random(1), InputStreams.Heatmaps);
        Assert.Null(k.Video);
        Assert.NotNull(k.Heatmaps);
        var e = Assert.Throws<UserFacingException>(() => new ClipPipeline(InputConfig.Cpu).Prepare(clip, true, new Random(1)));
        Assert.Contains("'dot'", e.Message);
    }
}
