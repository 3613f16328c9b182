using SignNotebooks.Pose;
using SignNotebooks.Util;
using Xunit.Abstractions;

namespace SignNotebooks.Tests.Pose;

/// <summary>
/// The in-process OpenCV reader against the ffmpeg-command reader on videos written by Debian's ffmpeg: an H.264 mp4,
/// a rotated mp4, an unreadable file and a video that decodes to zero frames (the last two fall back to ffmpeg, with
/// a log line, and end in ffmpeg's clear error).
/// </summary>
public sealed class VideoReaderTests(ITestOutputHelper output) : IDisposable
{
    private const int W = 96, H = 64, T = 12;
    private readonly string _dir = Directory.CreateTempSubdirectory("signnb-video-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    // Smooth gradients and a moving square: content H.264 keeps closely at crf 18.
    private static IEnumerable<RgbFrame> Clip()
    {
        for (int t = 0; t < T; t++)
        {
            var rgb = new byte[W * H * 3];
            for (int y = 0; y < H; y++)
                for (int x = 0; x < W; x++)
                {
                    int o = (y * W + x) * 3;
                    bool square = x >= 10 + 4 * t && x < 30 + 4 * t && y >= 20 && y < 40;
                    rgb[o] = (byte)(square ? 230 : 2 * x);
                    rgb[o + 1] = (byte)(square ? 40 : 3 * y);
                    rgb[o + 2] = (byte)(square ? 60 : 128);
                }
            yield return new RgbFrame(W, H, rgb);
        }
    }

    private string Mp4(string name = "clip.mp4")
    {
        var path = Path.Combine(_dir, name);
        FfmpegVideoReader.Write(path, Clip(), 25);
        return path;
    }

    private static void Ffmpeg(params string[] args) => PoseExtractKeypointsCommandTests.Ffmpeg(args);

    /// <summary>Mean and max absolute difference over every byte of two equally long frame lists.</summary>
    private static (double Mean, int Max) Difference(IReadOnlyList<RgbFrame> a, IReadOnlyList<RgbFrame> b)
    {
        Assert.Equal(a.Count, b.Count);
        long sum = 0, n = 0;
        int max = 0;
        for (int t = 0; t < a.Count; t++)
        {
            Assert.Equal((a[t].Width, a[t].Height), (b[t].Width, b[t].Height));
            for (int i = 0; i < a[t].Rgb.Length; i++)
            {
                int d = Math.Abs(a[t].Rgb[i] - b[t].Rgb[i]);
                sum += d; n++; max = Math.Max(max, d);
            }
        }
        return (sum / (double)n, max);
    }

    [Fact]
    public void OpenCv_decodes_an_ffmpeg_mp4_in_process_with_the_frames_of_the_ffmpeg_reader()
    {
        var video = Mp4();
        using (var cap = OpenCvVideoReader.TryOpen(video, out var why))
        {
            Assert.True(cap is not null, why);
            var info = OpenCvVideoReader.Describe(cap);
            Assert.Equal(new OpenCvVideoReader.Info(W, H, T, 25), info);
        }
        var log = new List<string>();
        var inProcess = VideoReader.Read(video, log.Add).ToList();
        Assert.Empty(log);   // no fallback
        var piped = FfmpegVideoReader.Read(video).ToList();
        var (mean, max) = Difference(inProcess, piped);
        output.WriteLine($"OpenCV vs ffmpeg, {T} frames {W}×{H}: mean |Δ| {mean:F3}, max {max}");
        // Both decode with libavcodec; only the YUV 4:2:0 → RGB conversion (OpenCV's bundled swscale to BGR vs Debian's
        // to RGB24) can differ, by rounding and chroma interpolation. Measured: mean 0.68, max 2 levels of 255.
        Assert.True(mean < 1.0 && max <= 4, $"mean {mean}, max {max}");
        var original = Clip().ToList();
        var (meanOrig, _) = Difference(inProcess, original);
        Assert.True(meanOrig < 3, $"decoded vs written: mean {meanOrig}");
        Assert.Equal(25, VideoReader.FrameRate(video)!.Value, 3);
        Assert.Equal(T, VideoReader.FrameCount(video));
    }

    [Fact]
    public void Rotated_video_is_upright_in_both_readers()
    {
        var upright = Mp4("upright.mp4");
        var video = Path.Combine(_dir, "rotated.mp4");
        Ffmpeg("-i", upright, "-c", "copy", "-metadata:s:v:0", "rotate=90", video);
        var inProcess = VideoReader.Read(video, _ => Assert.Fail("no fallback expected")).ToList();
        var piped = FfmpegVideoReader.Read(video).ToList();
        Assert.All(inProcess, f => Assert.Equal((H, W), (f.Width, f.Height)));
        var (mean, max) = Difference(inProcess, piped);
        output.WriteLine($"rotated: mean |Δ| {mean:F3}, max {max}");
        Assert.True(mean < 1.0 && max <= 4, $"mean {mean}, max {max}");
    }

    [Fact]
    public void Unreadable_and_empty_videos_fall_back_to_ffmpeg_with_a_log_line_and_its_clear_error()
    {
        var notVideo = Path.Combine(_dir, "notes.mp4");
        File.WriteAllText(notVideo, "not a video");
        var log = new List<string>();
        var e = Assert.Throws<UserFacingException>(() => VideoReader.Read(notVideo, log.Add).ToList());
        Assert.Contains($"video {notVideo} is not readable", e.Message);
        Assert.Null(VideoReader.FrameCount(notVideo));
        Assert.Contains("video: OpenCV could not open the file: notes.mp4; reading it with the ffmpeg command instead", log);

        // Header first (faststart), then cut inside the first frame: a video stream that decodes to nothing.
        var whole = Path.Combine(_dir, "whole.mp4");
        Ffmpeg("-f", "lavfi", "-i", "testsrc=size=64x48:rate=10", "-t", "1", "-pix_fmt", "yuv420p", "-c:v", "libx264", "-movflags", "+faststart", whole);
        var cut = Path.Combine(_dir, "cut.mp4");
        File.WriteAllBytes(cut, File.ReadAllBytes(whole)[..1500]);
        log.Clear();
        e = Assert.Throws<UserFacingException>(() => VideoReader.Read(cut, log.Add).ToList());
        Assert.Contains("gave zero frames", e.Message);
        Assert.Contains(log, l => l.StartsWith("video: OpenCV decoded no frames: cut.mp4", StringComparison.Ordinal));

        var missing = Path.Combine(_dir, "missing.mp4");
        e = Assert.Throws<UserFacingException>(() => VideoReader.Read(missing).ToList());
        Assert.Contains($"video {missing} does not exist", e.Message);
    }
}
