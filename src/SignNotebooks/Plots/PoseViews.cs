using System.Globalization;
using System.Net;
using System.Text;
using SignNotebooks.Analysis;
using SignNotebooks.Keypoints;
using SignNotebooks.Notebooks;
using SignNotebooks.Pose;
using SignNotebooks.Synthetic;

namespace SignNotebooks.Plots;

/// <summary>Views for notebook 01: extracted keypoints next to the truth, failure frames, and the 79-point subset.</summary>
public static class PoseViews
{
    /// <summary>The same frames twice: true skeleton on top, the pose model's keypoints below (SynthViews' colours).</summary>
    public static HtmlView Compare(SynthClip clip, float[] extracted, int count = 8, int scale = 2)
    {
        var strip = SynthViews.CompareStrip(clip with { DetectedKeypoints = extracted }, count, scale);
        var html = $"<div style=\"font-family:sans-serif;font-size:13px\"><b>{E(clip.Name)}</b> · {E(clip.Signer.Id)} · background <i>{E(clip.BackgroundFamily)}</i> · " +
                   $"true keypoints (top), extracted by the ONNX model (bottom)<br/>{strip.ToHtml()}<br/>" +
                   $"{SynthViews.TimelineHtml(clip, strip.Width, SynthViews.PickFrames(clip.FrameCount, count))}</div>";
        return new HtmlView(html, $"{clip.Name}: true vs extracted keypoints");
    }

    /// <summary>Each failure frame as a true/extracted pair, captioned with its kind, error and hand speed.</summary>
    public static HtmlView Failures(SynthPoseRun run, IReadOnlyList<PoseFailure> failures, int scale = 3)
    {
        var sb = new StringBuilder("<div style=\"font-family:sans-serif;font-size:12px;display:flex;flex-wrap:wrap;gap:10px\">");
        foreach (var f in failures)
        {
            var c = run.Clips[f.ClipIndex];
            int px = c.Width * c.Height * 3, kp = WholeBody.Count * WholeBody.Values;
            var one = c with
            {
                FrameCount = 1,
                Frames = c.Frames is null ? null : c.Frames.AsSpan(f.Frame * px, px).ToArray(),
                CleanKeypoints = c.CleanKeypoints.AsSpan(f.Frame * kp, kp).ToArray(),
                DetectedKeypoints = run.Extracted[f.ClipIndex].AsSpan(f.Frame * kp, kp).ToArray(),
            };
            sb.Append("<div>").Append(SynthViews.CompareStrip(one, 1, scale).ToHtml()).Append("<br/>");
            sb.Append(string.Create(CultureInfo.InvariantCulture, $"{E(f.Clip)} frame {f.Frame}: <b>{f.Kind}</b><br/>error {f.Error:F3}, hand speed {f.HandSpeed:F1} px/frame"));
            sb.Append("</div>");
        }
        sb.Append("</div>");
        return new HtmlView(sb.ToString(), $"{failures.Count} failure frames (true on top, extracted below)");
    }

    /// <summary>
    /// Both pictures of <see cref="RealPhotoComparison"/> side by side, tops aligned, keypoints drawn (SynthViews' colours):
    /// the real photograph at 1× with thick marks, the corpus frame enlarged to about the same height.
    /// </summary>
    public static SynthImage RealPhotoImage(RealPhotoComparison c)
    {
        var corpus = c.Corpus.Frame;
        int target = c.Real?.Frame.Height ?? 256, scale = Math.Max(1, (int)Math.Round(target / (double)corpus.Height));
        var right = Picture(corpus, c.Corpus.Keypoints, scale, thickness: 1);
        if (c.Real is not { } real) return right;
        var left = Picture(real.Frame, real.Keypoints, 1, thickness: 2.5);
        int gap = 8, W = left.Width + gap + right.Width, H = Math.Max(left.Height, right.Height);
        var data = new byte[W * H * 3];
        Array.Fill(data, (byte)255);
        for (int y = 0; y < left.Height; y++) Array.Copy(left.Data, y * left.Width * 3, data, y * W * 3, left.Width * 3);
        for (int y = 0; y < right.Height; y++) Array.Copy(right.Data, y * right.Width * 3, data, (y * W + left.Width + gap) * 3, right.Width * 3);
        return new SynthImage(W, H, data);
    }

    /// <summary><see cref="RealPhotoImage"/> with each side's model, frames and time per frame, or why the real side is missing.</summary>
    public static HtmlView RealPhoto(RealPhotoComparison c)
    {
        string Line(PosePicture p) => string.Create(CultureInfo.InvariantCulture,
            $"<b>{E(p.Model)}</b> on {E(p.Source)}: {p.SecondsPerFrame * 1000:F1} ms per frame ({1 / Math.Max(p.SecondsPerFrame, 1e-9):F1} frames/s, {p.Frames} frames; " +
            $"{p.CpuSecondsPerFrame * 1000:F1} ms CPU per frame, which other work on the machine hardly changes)");
        var lines = new List<string>();
        if (c.Real is { } real) lines.Add("left: " + Line(real));
        else lines.Add($"<span style=\"color:#b00\">{E(c.Missing ?? "MediaPipe Holistic did not run.")}</span>");
        lines.Add((c.Real is null ? "" : "right: ") + Line(c.Corpus));
        var html = $"<div style=\"font-family:sans-serif;font-size:13px\">{RealPhotoImage(c).ToHtml()}<br/>{string.Join("<br/>", lines)}</div>";
        var text = c.Real is { } r
            ? string.Create(CultureInfo.InvariantCulture, $"{r.Model}: {r.SecondsPerFrame * 1000:F1} ms/frame ({r.CpuSecondsPerFrame * 1000:F1} ms CPU); {c.Corpus.Model}: {c.Corpus.SecondsPerFrame * 1000:F1} ms/frame ({c.Corpus.CpuSecondsPerFrame * 1000:F1} ms CPU)")
            : string.Create(CultureInfo.InvariantCulture, $"{c.Missing} {c.Corpus.Model}: {c.Corpus.SecondsPerFrame * 1000:F1} ms/frame");
        return new HtmlView(html, text);
    }

    /// <summary>
    /// <see cref="RealPhotoTour.Hand"/>: the photograph with the hand model's 21 landmarks drawn as the keypoint
    /// stream's hand, its time, or why it did not run.
    /// </summary>
    public static HtmlView RealHand(HandPicture r)
    {
        if (r.Picture is not { } p)
            return new HtmlView($"<div style=\"font-family:sans-serif;font-size:13px;color:#b00\">{E(r.Missing ?? "the hand model did not run")}</div>", r.Missing ?? "");
        var line = string.Create(CultureInfo.InvariantCulture,
            $"<b>{E(p.Model)}</b> on {E(p.Source)}: {p.SecondsPerFrame * 1000:F1} ms for both passes ({p.CpuSecondsPerFrame * 1000:F1} ms CPU)");
        return new HtmlView($"<div style=\"font-family:sans-serif;font-size:13px\">{Picture(p.Frame, p.Keypoints, 1, 2.5).ToHtml()}<br/>{line}</div>",
            string.Create(CultureInfo.InvariantCulture, $"{p.Model}: {p.SecondsPerFrame * 1000:F1} ms"));
    }

    private static SynthImage Picture(RgbFrame frame, float[] keypoints, int scale, double thickness)
    {
        int w = frame.Width * scale, h = frame.Height * scale;
        var data = new byte[w * h * 3];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                Array.Copy(frame.Rgb, ((y / scale) * frame.Width + x / scale) * 3, data, (y * w + x) * 3, 3);
        SynthViews.DrawSkeleton(new Canvas(data, 0, w, h), keypoints, 0, scale, thickness);
        return new SynthImage(w, h, data);
    }

    /// <summary>The keypoint stream's channels: channel → COCO-WholeBody index, keypoint name and part, in channel order.</summary>
    public static ResultTable Subset(KeypointSelection selection) => new(
        $"{selection}: heatmap channel c shows COCO-WholeBody keypoint index[c] (parts in alphabetical order, spec §1.2)",
        ["channel", "COCO-WholeBody index", "keypoint", "part"],
        selection.Indices.Select((k, c) => (IReadOnlyList<string>)[c.ToString(CultureInfo.InvariantCulture), k.ToString(CultureInfo.InvariantCulture),
            WholeBody.KeypointName(k), selection.PartOfChannel(c)]).ToList());

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
