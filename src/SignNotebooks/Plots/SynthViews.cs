using System.Net;
using System.Text;
using SignNotebooks.Synthetic;

namespace SignNotebooks.Plots;

/// <summary>
/// Clip viewer for SynthSign: frames with the skeleton drawn over them and the gloss timeline
/// (frame-level ground truth, transitions in grey). Returns pictures and self-contained HTML for notebooks.
/// </summary>
public static class SynthViews
{
    private static readonly Rgb BodyColor = new(255, 255, 255), FaceColor = new(255, 220, 0),
        LeftColor = new(40, 140, 255), RightColor = new(255, 60, 60);

    /// <summary>
    /// <paramref name="count"/> evenly spaced frames side by side, enlarged <paramref name="scale"/>×, with the
    /// detected (default) or clean skeleton overlaid. Missed keypoints (score 0) are not drawn.
    /// </summary>
    public static SynthImage ClipStrip(SynthClip clip, int count = 8, bool detected = true, int scale = 2, bool skeleton = true) =>
        Strip(clip.Frames, clip.Width, clip.Height, PickFrames(clip.FrameCount, count), skeleton ? (detected ? clip.DetectedKeypoints : clip.CleanKeypoints) : null, scale);

    /// <summary>
    /// The given frames of a (T, H, W, 3) RGB clip side by side (grey without frames), enlarged <paramref name="scale"/>×,
    /// with a (T, 133, 3) keypoint array drawn over them when given: any corpus's clip, not only SynthSign's.
    /// </summary>
    public static SynthImage Strip(byte[]? clipFrames, int width, int height, int[] frames, float[]? keypoints, int scale = 2)
    {
        int w = width * scale, h = height * scale, gap = 2;
        int W = frames.Length * (w + gap) - gap;
        var data = new byte[W * h * 3];
        Array.Fill(data, (byte)40);
        for (int n = 0; n < frames.Length; n++)
        {
            int t = frames[n], x0 = n * (w + gap);
            var tile = new byte[w * h * 3];
            if (clipFrames is not null)
                for (int y = 0; y < h; y++)
                    for (int x = 0; x < w; x++)
                        Array.Copy(clipFrames, ((t * height + y / scale) * width + x / scale) * 3, tile, (y * w + x) * 3, 3);
            else Array.Fill(tile, (byte)90);
            if (keypoints is not null) DrawSkeleton(new Canvas(tile, 0, w, h), keypoints, t, scale);
            for (int y = 0; y < h; y++) Array.Copy(tile, y * w * 3, data, (y * W + x0) * 3, w * 3);
        }
        return new SynthImage(W, h, data);
    }

    /// <summary>Two rows of the same frames: the true skeleton on top, the detected one below (misses, swaps, lag).</summary>
    public static SynthImage CompareStrip(SynthClip clip, int count = 8, int scale = 2) =>
        Stack(ClipStrip(clip, count, detected: false, scale), ClipStrip(clip, count, detected: true, scale));

    /// <summary>One strip above another of the same width, 2 px apart.</summary>
    public static SynthImage Stack(SynthImage top, SynthImage bottom)
    {
        int gap = 2, H = top.Height + gap + bottom.Height;
        var data = new byte[top.Width * H * 3];
        Array.Fill(data, (byte)40);
        Array.Copy(top.Data, data, top.Data.Length);
        Array.Copy(bottom.Data, 0, data, top.Width * (top.Height + gap) * 3, bottom.Data.Length);
        return new SynthImage(top.Width, H, data);
    }

    /// <summary>Draws frame <paramref name="t"/> of a (T, 133, 3) keypoint array, coordinates multiplied by <paramref name="scale"/>;
    /// <paramref name="thickness"/> widens the bones and dots (for large real frames shown at 1×).</summary>
    public static void DrawSkeleton(Canvas c, float[] keypoints, int t, double scale, double thickness = 1)
    {
        int b = t * SynthLayout.Count * 3;
        // Pixel centres sit at integer coordinates, so pixel x covers [x·s, x·s + s − 1] once enlarged s×.
        double half = (scale - 1) / 2;
        double X(int k) => keypoints[b + 3 * k] * scale + half;
        double Y(int k) => keypoints[b + 3 * k + 1] * scale + half;
        bool Seen(int k) => keypoints[b + 3 * k + 2] > 0;
        foreach (var (i, j) in SynthLayout.Bones)
            if (Seen(i) && Seen(j)) c.FillCapsule(X(i), Y(i), X(j), Y(j), 0.6 * thickness, ColorOf(j), 0.85f);
        for (int k = 0; k < SynthLayout.Count; k++)
            if (Seen(k) && (k < SynthLayout.FeetStart || k >= SynthLayout.LeftHandStart)) c.FillCircle(X(k), Y(k), 1.2 * thickness, ColorOf(k));
    }

    private static Rgb ColorOf(int k) => k >= SynthLayout.RightHandStart ? RightColor : k >= SynthLayout.LeftHandStart ? LeftColor
        : k >= SynthLayout.FaceStart ? FaceColor : BodyColor;

    /// <summary>Frame indices shown by <see cref="ClipStrip"/>.</summary>
    public static int[] PickFrames(int frameCount, int count)
    {
        count = Math.Clamp(count, 1, frameCount);
        return Enumerable.Range(0, count).Select(i => count == 1 ? 0 : (int)Math.Round(i * (frameCount - 1) / (double)(count - 1))).ToArray();
    }

    /// <summary>Self-contained HTML: clip facts, the frame strip and the gloss timeline under it.</summary>
    /// <param name="compare">Show the true skeleton (top row) above the detected one.</param>
    public static string ClipViewerHtml(SynthClip clip, int count = 8, bool detected = true, int scale = 2, bool compare = false)
    {
        var strip = compare ? CompareStrip(clip, count, scale) : ClipStrip(clip, count, detected, scale);
        var sb = new StringBuilder();
        sb.Append("<div style=\"font-family:sans-serif;font-size:13px\">");
        sb.Append($"<b>{E(clip.Name)}</b> · {E(clip.Signer.Id)} · background <i>{E(clip.BackgroundFamily)}</i> · {clip.FrameCount} frames · ");
        sb.Append(compare ? "true keypoints (top) and detected (bottom)<br/>" : $"{(detected ? "detected" : "clean")} keypoints<br/>");
        sb.Append($"glosses: <code>{E(string.Join(' ', clip.Glosses))}</code><br/>translation: <i>{E(clip.Translation)}</i><br/>");
        sb.Append(strip.ToHtml()).Append("<br/>");
        sb.Append(TimelineHtml(clip, strip.Width, PickFrames(clip.FrameCount, count)));
        sb.Append("</div>");
        return sb.ToString();
    }

    /// <summary><see cref="ClipViewerHtml"/> as HTML content, which a notebook cell displays as it is.</summary>
    public static Notebooks.HtmlView ClipViewer(SynthClip clip, int count = 8, bool compare = true, int scale = 2) =>
        new(ClipViewerHtml(clip, count, detected: true, scale, compare), $"{clip.Name}: {string.Join(' ', clip.Glosses)}");

    /// <summary>A bar of the clip's frames coloured by gloss (grey = transition/rest), with the strip's frames marked.</summary>
    public static string TimelineHtml(SynthClip clip, int widthPx, int[]? marks = null)
    {
        var sb = new StringBuilder($"<div style=\"position:relative;width:{widthPx}px;height:34px;display:flex\">");
        int t = 0;
        while (t < clip.FrameCount)
        {
            int g = clip.FrameGlossIndex[t], start = t;
            while (t < clip.FrameCount && clip.FrameGlossIndex[t] == g) t++;
            double w = 100.0 * (t - start) / clip.FrameCount;
            string color = g < 0 ? "#ccc" : Palette(g), label = g < 0 ? "" : E(clip.Glosses[g]);
            sb.Append($"<div title=\"frames {start}–{t - 1}\" style=\"width:{w:F2}%;background:{color};font-size:10px;overflow:hidden;" +
                      $"text-align:center;line-height:34px;border-right:1px solid white\">{label}</div>");
        }
        foreach (var m in marks ?? [])
            sb.Append($"<div style=\"position:absolute;left:{100.0 * (m + 0.5) / clip.FrameCount:F2}%;top:0;width:1px;height:34px;background:black\"></div>");
        sb.Append("</div>");
        return sb.ToString();
    }

    internal static string Palette(int i)
    {
        string[] p = ["#8dd3c7", "#ffffb3", "#bebada", "#fb8072", "#80b1d3", "#fdb462", "#b3de69", "#fccde5"];
        return p[i % p.Length];
    }

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
