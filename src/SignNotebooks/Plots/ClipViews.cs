using System.Net;
using SignNotebooks.Data;
using SignNotebooks.Notebooks;

namespace SignNotebooks.Plots;

/// <summary>
/// Clip viewer for any corpus's <see cref="SignClip"/>: its frames with its keypoints drawn over them, its gloss sequence
/// and translation. A real corpus has no frame-level glosses, so there is no timeline (SynthSign's is in <see cref="SynthViews"/>).
/// </summary>
public static class ClipViews
{
    /// <summary>Small frames (SynthSign-sized fixtures) are enlarged so the skeleton stays readable; a real 210×260 frame is not.</summary>
    private static int Scale(SignClip clip) => clip.Width < 160 ? 2 : 1;

    /// <summary>Clip facts, <paramref name="count"/> evenly spaced frames with the clip's keypoints, glosses and translation.</summary>
    /// <param name="keypointSource">Where the drawn keypoints come from, in words (e.g. the corpus's keypoint file).</param>
    public static HtmlView Viewer(SignClip clip, string keypointSource, int count = 8)
    {
        var strip = SynthViews.Strip(clip.Frames, clip.Width, clip.Height, SynthViews.PickFrames(clip.FrameCount, count), clip.Keypoints, Scale(clip));
        return new(Header(clip, keypointSource) + strip.ToHtml() + "</div>", $"{clip.Name}: {string.Join(' ', clip.Glosses)}");
    }

    /// <summary>The same frames twice: the reference keypoints on top, another set (e.g. extracted) below.</summary>
    public static HtmlView Compare(SignClip clip, float[] other, string caption, int count = 8)
    {
        var frames = SynthViews.PickFrames(clip.FrameCount, count);
        var strip = SynthViews.Stack(SynthViews.Strip(clip.Frames, clip.Width, clip.Height, frames, clip.Keypoints, Scale(clip)),
            SynthViews.Strip(clip.Frames, clip.Width, clip.Height, frames, other, Scale(clip)));
        return new(Header(clip, caption) + strip.ToHtml() + "</div>", $"{clip.Name}: {caption}");
    }

    private static string Header(SignClip clip, string keypoints) =>
        "<div style=\"font-family:sans-serif;font-size:13px\">" +
        $"<b>{E(clip.Name)}</b> · signer {E(clip.Signer)} · {clip.FrameCount} frames · {E(keypoints)}<br/>" +
        $"glosses: <code>{E(string.Join(' ', clip.Glosses))}</code><br/>translation: <i>{E(clip.Translation ?? "(none)")}</i><br/>";

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
