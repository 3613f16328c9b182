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

    /// <summary>
    /// Frames per second of the first video stream (its average rate, else the stream's base rate), or null when the
    /// container does not say; glosses' time spans are frame indices divided by it.
    /// </summary>
    public static double? FrameRate(string path)
    {
        Probe(path);
        var (code, stdout, _) = RunToEnd("ffprobe", ["-v", "error", "-select_streams", "v:0",
            "-show_entries", "stream=avg_frame_rate,r_frame_rate", "-of", "default=noprint_wrappers=1", path]);
        if (code != 0) return null;
        var rates = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.Split('=', 2)).Where(kv => kv.Length == 2).ToDictionary(kv => kv[0], kv => kv[1]);
        foreach (var key in new[] { "avg_frame_rate", "r_frame_rate" })
            if (rates.TryGetValue(key, out var r) && Fraction(r) is double fps) return fps;
        return null;
    }

    // "30000/1001" -> 29.97; "0/0" (unknown) -> null.
    private static double? Fraction(string s)
    {
        var p = s.Split('/');
        if (p.Length == 2 && double.TryParse(p[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double a)
            && double.TryParse(p[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double b) && a > 0 && b > 0) return a / b;
        return null;
    }

    /// <summary>
    /// Writes RGB frames as an H.264 mp4 (yuv420p, so any player opens it; even sizes needed) through ffmpeg's
    /// rawvideo input: how tests and notebooks make a "user's video" from a SynthSign clip.
    /// </summary>
    public static void Write(string path, IEnumerable<RgbFrame> frames, double fps)
    {
        using var e = frames.GetEnumerator();
        if (!e.MoveNext()) throw new ArgumentException("no frames to write");
        int w = e.Current.Width, h = e.Current.Height;
        if (w % 2 != 0 || h % 2 != 0) throw new ArgumentException($"H.264 with yuv420p needs even frame sizes, got {w}×{h}");
        using var p = Start("ffmpeg", ["-v", "error", "-nostdin", "-y", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", $"{w}x{h}",
            "-r", fps.ToString("R", CultureInfo.InvariantCulture), "-i", "-", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-crf", "18", path], stdin: true);
        var stderr = p.StandardError.ReadToEndAsync();
        var input = p.StandardInput.BaseStream;
        do
        {
            var f = e.Current.Validate();
            if (f.Width != w || f.Height != h) throw new ArgumentException($"frame of {f.Width}×{f.Height} in a {w}×{h} video");
            input.Write(f.Rgb);
        } while (e.MoveNext());
        input.Close();
        p.WaitForExit();
        if (p.ExitCode != 0)
            throw new UserFacingException($"ffmpeg could not write {path} ({FirstLine(stderr.Result, "exit code " + p.ExitCode)}). Fix: check the folder is writable and ffmpeg has libx264 (Debian's ffmpeg does).");
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

    private static Process Start(string exe, string[] args, bool stdin = false)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = !stdin, RedirectStandardError = true, RedirectStandardInput = stdin, UseShellExecute = false };
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
