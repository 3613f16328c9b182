using System.Runtime.InteropServices;
using OpenCvSharp;

namespace SignNotebooks.Pose;

/// <summary>
/// Frames of a video file decoded in-process by OpenCV (OpenCvSharp's <c>VideoCapture</c>, whose bundled FFmpeg
/// backend applies a rotation tag like the ffmpeg command does), converted BGR → RGB. <see cref="VideoReader"/> uses
/// it first and falls back to <see cref="FfmpegVideoReader"/> when the native library cannot load or OpenCV cannot
/// open the file.
/// </summary>
public static class OpenCvVideoReader
{
    private static bool _quiet;

    /// <summary>What OpenCV reports about an opened video; <see cref="FrameCount"/> is the container's estimate.</summary>
    public sealed record Info(int Width, int Height, int FrameCount, double FramesPerSecond);

    /// <summary>
    /// Opens the video, or returns null with the reason (native library missing, or OpenCV cannot open the file).
    /// The caller owns the returned capture.
    /// </summary>
    public static VideoCapture? TryOpen(string path, out string? why)
    {
        why = null;
        VideoCapture cap;
        try
        {
            // OpenCV warns on stderr for every file it cannot open; the fallback line says it once, in our words.
            if (!_quiet) { Cv2.SetLogLevel(OpenCvSharp.LogLevel.ERROR); _quiet = true; }
            cap = new VideoCapture(path, VideoCaptureAPIs.FFMPEG);
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or BadImageFormatException or EntryPointNotFoundException or OpenCVException)
        {
            why = $"OpenCV's native library did not load ({Innermost(e)}; on Debian: apt-get install libgtk-3-0, `signnb doctor` checks it)";
            return null;
        }
        if (!cap.IsOpened())
        {
            cap.Dispose();
            why = "OpenCV could not open the file";
            return null;
        }
        return cap;
    }

    /// <summary>Size, frame count and rate of an opened capture.</summary>
    public static Info Describe(VideoCapture cap) => new(cap.FrameWidth, cap.FrameHeight, Math.Max(cap.FrameCount, 0), cap.Fps);

    /// <summary>The remaining frames of <paramref name="cap"/> as RGB, lazily; disposes the capture when done.</summary>
    public static IEnumerable<RgbFrame> Frames(VideoCapture cap)
    {
        using var _ = cap;
        using var bgr = new Mat();
        using var rgb = new Mat();
        while (cap.Read(bgr) && !bgr.Empty())
        {
            Cv2.CvtColor(bgr, rgb, bgr.Channels() == 1 ? ColorConversionCodes.GRAY2RGB : ColorConversionCodes.BGR2RGB);
            int w = rgb.Width, h = rgb.Height;
            var buf = new byte[w * h * 3];
            // cvtColor writes a fresh continuous matrix, so its rows are packed.
            Marshal.Copy(rgb.Data, buf, 0, buf.Length);
            yield return new RgbFrame(w, h, buf);
        }
    }

    // .NET's load error lists every path it tried; for the file that exists the loader names the missing dependency
    // by its bare soname ("libgtk-3.so.0: cannot open shared object file"), the others are paths.
    private static string Innermost(Exception e)
    {
        while (e.InnerException is not null) e = e.InnerException;
        var lines = e.Message.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var failed = lines.Where(l => l.Contains(": cannot open shared object", StringComparison.Ordinal)).ToList();
        return failed.FirstOrDefault(l => !l[..l.IndexOf(':')].Contains('/')) ?? failed.FirstOrDefault() ?? lines.FirstOrDefault() ?? e.GetType().Name;
    }
}
