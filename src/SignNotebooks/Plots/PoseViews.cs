using System.Globalization;
using System.Net;
using System.Text;
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

    /// <summary>The keypoint stream's channels: channel → COCO-WholeBody index, keypoint name and part, in channel order.</summary>
    public static ResultTable Subset(KeypointSelection selection) => new(
        $"{selection}: heatmap channel c shows COCO-WholeBody keypoint index[c] (parts in alphabetical order, spec §1.2)",
        ["channel", "COCO-WholeBody index", "keypoint", "part"],
        selection.Indices.Select((k, c) => (IReadOnlyList<string>)[c.ToString(CultureInfo.InvariantCulture), k.ToString(CultureInfo.InvariantCulture),
            WholeBody.KeypointName(k), selection.PartOfChannel(c)]).ToList());

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
