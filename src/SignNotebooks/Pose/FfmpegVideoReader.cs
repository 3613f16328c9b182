using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using SignNotebooks.Util;

namespace SignNotebooks.Pose;

/// <summary>
/// Frames of a video file through the ffmpeg command (Debian's <c>ffmpeg</c> package): <c>ffprobe</c> for the size,
/// then raw RGB24 frames piped from <c>ffmpeg -f rawvideo</c>. A process, not OpenCvSharp, because it needs no
/// native GUI libraries and decodes every container and codec Debian's ffmpeg knows.
/// </summary>
public static class FfmpegVideoReader
{
    /// <summary>
    /// Width and height of the first video stream as ffmpeg delivers its frames; a clear error when the file is not
    /// a readable video. Phone videos are often stored sideways with a rotation tag, which ffmpeg applies when
    /// decoding, so a rotation of ±90° swaps the stored size (else every frame would be read with the wrong stride).
    /// </summary>
    public static (int Width, int Height) Probe(string path)
    {
        if (!File.Exists(path))
            throw new UserFacingException($"video {path} does not exist. Fix: pass the path of an mp4/avi/… file (--video).");
        var (code, stdout, stderr) = RunToEnd("ffprobe", ["-v", "error", "-select_streams", "v:0",
            "-show_entries", "stream=width,height:stream_tags=rotate:stream_side_data=rotation", "-of", "json", path]);
        int w = 0, h = 0, rotation = 0;
        if (code == 0)
        {
            try
            {
                using var doc = JsonDocument.Parse(stdout);
                if (doc.RootElement.TryGetProperty("streams", out var streams) && streams.GetArrayLength() > 0)
                {
                    var st = streams[0];
                    if (st.TryGetProperty("width", out var jw)) w = jw.GetInt32();
                    if (st.TryGetProperty("height", out var jh)) h = jh.GetInt32();
                    if (st.TryGetProperty("side_data_list", out var sides))
                        foreach (var sd in sides.EnumerateArray())
                            if (sd.TryGetProperty("rotation", out var r) && r.ValueKind == JsonValueKind.Number) rotation = (int)r.GetDouble();
                    if (rotation == 0 && st.TryGetProperty("tags", out var tags) && tags.TryGetProperty("rotate", out var rt)
                        && int.TryParse(rt.GetString(), CultureInfo.InvariantCulture, out int tagged)) rotation = tagged;
                }
            }
            catch (JsonException) { w = h = 0; }
        }
        if (w <= 0 || h <= 0)
            throw new UserFacingException($"video {path} is not readable ({FirstLine(stderr, "no video stream")}). Fix: check that it is a complete video file (ffprobe {path} shows a video stream).");
        return Math.Abs(rotation) % 180 == 90 ? (h, w) : (w, h);
    }

    /// <summary>The frames of <paramref name="path"/> in order, decoded lazily; zero decoded frames is an error.</summary>
    public static IEnumerable<RgbFrame> Read(string path)
    {
        var (w, h) = Probe(path);
        using var p = Start("ffmpeg", ["-v", "error", "-nostdin", "-i", path, "-f", "rawvideo", "-pix_fmt", "rgb24", "-"]);
        // stderr is drained in the background so a chatty decoder can never block on a full pipe.
        var stderr = p.StandardError.ReadToEndAsync();
        var stream = p.StandardOutput.BaseStream;
        int n = 0, size = w * h * 3;
        try
        {
            while (true)
            {
                var buf = new byte[size];
                int got = ReadFull(stream, buf);
                if (got == 0) break;
                if (got < size) break;   // a truncated last frame is dropped, as OpenCV does
                n++;
                yield return new RgbFrame(w, h, buf);
            }
        }
        finally
        {
            if (!p.HasExited) { try { p.Kill(); } catch (InvalidOperationException) { } }
            p.WaitForExit();
        }
        if (n == 0)
            throw new UserFacingException($"video {path} gave zero frames ({FirstLine(stderr.Result, "ffmpeg decoded nothing")}). Fix: check the file plays (ffmpeg -i {path} -f null -).");
    }

    private static int ReadFull(Stream s, byte[] buf)
    {
        int off = 0;
        while (off < buf.Length) { int r = s.Read(buf, off, buf.Length - off); if (r == 0) break; off += r; }
        return off;
    }

    private static Process Start(string exe, string[] args)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        try { return Process.Start(psi)!; }
        catch (Win32Exception)
        {
            throw new UserFacingException($"{exe} was not found on PATH; video input needs it. Fix: apt-get install ffmpeg, or extract the frames yourself and pass --frames DIR.");
        }
    }

    private static (int Code, string Stdout, string Stderr) RunToEnd(string exe, string[] args)
    {
        using var p = Start(exe, args);
        var err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output, err.Result);
    }

    private static string FirstLine(string s, string fallback)
    {
        var line = s.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        return string.IsNullOrEmpty(line) ? fallback : line;
    }
}
