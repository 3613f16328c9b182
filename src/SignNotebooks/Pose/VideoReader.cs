using SignNotebooks.Util;

namespace SignNotebooks.Pose;

/// <summary>
/// Video frames for extraction and recognition: in-process through OpenCV (<see cref="OpenCvVideoReader"/>), and
/// through the ffmpeg command (<see cref="FfmpegVideoReader"/>) when OpenCV's native library cannot load or OpenCV
/// cannot open or decode the file. A fallback is never silent: it writes one line to the log (default: stderr).
/// </summary>
public static class VideoReader
{
    /// <summary>The frames of <paramref name="path"/> in order, decoded lazily; zero decoded frames is an error.</summary>
    public static IEnumerable<RgbFrame> Read(string path, Action<string>? log = null)
    {
        log ??= Console.Error.WriteLine;
        if (!File.Exists(path))
            throw new UserFacingException($"video {path} does not exist. Fix: pass the path of an mp4/avi/… file (--video).");
        var cap = OpenCvVideoReader.TryOpen(path, out var why);
        if (cap is not null)
        {
            using var e = OpenCvVideoReader.Frames(cap).GetEnumerator();
            if (e.MoveNext())
            {
                do yield return e.Current; while (e.MoveNext());
                yield break;
            }
            why = "OpenCV decoded no frames";
        }
        log($"video: {why}: {Path.GetFileName(path)}; reading it with the ffmpeg command instead");
        foreach (var f in FfmpegVideoReader.Read(path)) yield return f;
    }

    /// <summary>The container's frame count as OpenCV reads it (an estimate, for progress lines), or null.</summary>
    public static int? FrameCount(string path)
    {
        using var cap = File.Exists(path) ? OpenCvVideoReader.TryOpen(path, out _) : null;
        return cap is not null && cap.FrameCount > 0 ? cap.FrameCount : null;
    }

    /// <summary>Frames per second (OpenCV's, else ffprobe's), or null when neither knows.</summary>
    public static double? FrameRate(string path)
    {
        using var cap = OpenCvVideoReader.TryOpen(path, out _);
        if (cap is not null && cap.Fps is > 0 and < 1000) return cap.Fps;
        return FfmpegVideoReader.FrameRate(path);
    }
}
