using SignNotebooks.Corpora;
using SignNotebooks.Data;
using SignNotebooks.Synthetic;
using SignNotebooks.Tests.Corpora;
using TorchSharp;
using static TorchSharp.torch;

namespace SignNotebooks.Tests.Data;

/// <summary><see cref="ResizedDataset"/>: torch-equal bilinear frames, keypoints scaled with them, CSL-Daily opened at 320².</summary>
public sealed class ResizedDatasetTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("signnb-resize-").FullName;
    public void Dispose() => Directory.Delete(_dir, true);

    [Theory]
    [InlineData(10, 6, 4, 5)]     // down
    [InlineData(7, 5, 16, 11)]    // up
    [InlineData(512, 512, 320, 320)]
    public void Resize_equals_torch_bilinear_without_align_corners(int w0, int h0, int w1, int h1)
    {
        var rng = new Random(3);
        var src = new byte[2 * h0 * w0 * 3];
        rng.NextBytes(src);
        var ours = ResizedDataset.Resize(src, 2, w0, h0, w1, h1);
        using var scope = NewDisposeScope();
        // (T, H, W, 3) -> (T, 3, H, W)
        var x = tensor(src, [2, h0, w0, 3]).to(float32).permute(0, 3, 1, 2);
        var r = nn.functional.interpolate(x, size: [h1, w1], mode: InterpolationMode.Bilinear, align_corners: false);
        // (T, 3, h, w) -> (T, h, w, 3)
        var expected = r.permute(0, 2, 3, 1).contiguous().data<float>().ToArray();
        for (int i = 0; i < ours.Length; i++)
            Assert.True(Math.Abs(ours[i] - expected[i]) <= 0.5 + 1e-3, $"value {i}: ours {ours[i]}, torch {expected[i]}");
    }

    [Fact]
    public void Keypoints_scale_with_the_frames_and_missed_detections_stay_zero()
    {
        var ds = new SynthSignDataset("tiny");
        var name = ds.ClipNames("dev")[0];
        var a = ds.Load("dev", name);
        var b = new ResizedDataset(ds, 320, 320).Load("dev", name);
        Assert.Equal((320, 320, a.FrameCount), (b.Width, b.Height, b.FrameCount));
        Assert.Equal(a.FrameCount * 320 * 320 * 3, b.Frames!.Length);
        float fx = 320f / a.Width, fy = 320f / a.Height;
        for (int i = 0; i < a.Keypoints.Length; i += 3)
        {
            bool missed = a.Keypoints[i] == 0 && a.Keypoints[i + 1] == 0 && a.Keypoints[i + 2] == 0;
            Assert.Equal(missed ? 0 : a.Keypoints[i] * fx, b.Keypoints[i], 4);
            Assert.Equal(missed ? 0 : a.Keypoints[i + 1] * fy, b.Keypoints[i + 1], 4);
            Assert.Equal(a.Keypoints[i + 2], b.Keypoints[i + 2]);
        }
    }

    [NumpyFact]
    public void CslDaily_is_opened_at_320_pixels()
    {
        CorpusFixtures.WriteCslDaily(_dir);
        var opened = CorpusSource.Open("csl-daily", _dir);
        var clip = opened.Corpus.Load("dev", CorpusFixtures.CslNames[2]);
        Assert.Equal((320, 320), (clip.Width, clip.Height));
        // A flat 8x8 JPEG frame stays flat: colour (80, 120, 200) within JPEG's few levels.
        Assert.InRange(clip.Frames![0], 76, 84);
        Assert.InRange(clip.Frames![(160 * 320 + 160) * 3 + 2], 196, 204);
    }
}
