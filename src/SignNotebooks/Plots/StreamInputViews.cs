using System.Net;
using System.Text;
using SignNotebooks.Notebooks;
using SignNotebooks.Data;
using SignNotebooks.Keypoints;
using static TorchSharp.torch;

namespace SignNotebooks.Plots;

/// <summary>
/// What the two streams actually read: the RGB input after sampling, crop, resize and BGR normalisation (shown back in
/// RGB), and the keypoint heatmaps channel by channel in the network's channel order (spec §1.2), each tile framed in
/// its part's colour.
/// </summary>
public static class StreamInputViews
{
    private static readonly Dictionary<string, (byte R, byte G, byte B)> PartColors = new()
    {
        ["face_others_1_3"] = (255, 200, 0), ["hand"] = (60, 140, 255), ["mouth_half"] = (255, 80, 160), ["pose"] = (90, 210, 90),
    };

    /// <summary>(K, L, s, s) heatmaps in [−1, 1] → a grid image of every channel at frame <paramref name="frame"/>.</summary>
    public static SynthImage HeatmapGrid(Tensor heatmaps, KeypointSelection selection, int frame, int columns = 16, int scale = 3)
    {
        int k = (int)heatmaps.shape[0], s = (int)heatmaps.shape[2];
        // (K, L, s, s) -> (K, s, s) at one frame, back to [0, 1].
        var maps = heatmaps.select(1, frame).add(1).div(2).clamp(0, 1).contiguous().data<float>().ToArray();
        int tile = s * scale + 2, rows = (k + columns - 1) / columns;
        int W = columns * tile, H = rows * tile;
        var img = new byte[W * H * 3];
        for (int c = 0; c < k; c++)
        {
            var (r, g, b) = PartColors.GetValueOrDefault(selection.PartOfChannel(c), ((byte)200, (byte)200, (byte)200));
            int x0 = (c % columns) * tile, y0 = (c / columns) * tile;
            for (int y = 0; y < tile; y++)
                for (int x = 0; x < tile; x++)
                {
                    int o = ((y0 + y) * W + x0 + x) * 3;
                    if (x == 0 || y == 0 || x == tile - 1 || y == tile - 1) { img[o] = r; img[o + 1] = g; img[o + 2] = b; continue; }
                    byte v = (byte)Math.Round(255 * maps[(c * s + (y - 1) / scale) * s + (x - 1) / scale]);
                    img[o] = img[o + 1] = img[o + 2] = v;
                }
        }
        return new SynthImage(W, H, img);
    }

    /// <summary>(3, L, S, S) BGR stream input → <paramref name="count"/> frames side by side, in RGB.</summary>
    public static SynthImage RgbStrip(Tensor video, int count = 6, int scale = 2)
    {
        using var scope = NewDisposeScope();
        var frames = RgbPreprocess.ToDisplay(video); // (L, S, S, 3) uint8 RGB
        int L = (int)frames.shape[0], S = (int)frames.shape[1];
        var pick = SynthViews.PickFrames(L, count);
        var data = frames.contiguous().data<byte>().ToArray();
        int w = S * scale, gap = 2, W = pick.Length * (w + gap) - gap;
        var img = new byte[W * w * 3];
        for (int n = 0; n < pick.Length; n++)
            for (int y = 0; y < w; y++)
                for (int x = 0; x < w; x++)
                    Array.Copy(data, ((pick[n] * S + y / scale) * S + x / scale) * 3, img, (y * W + n * (w + gap) + x) * 3, 3);
        return new SynthImage(W, w, img);
    }

    /// <summary>
    /// One clip through the input pipeline in eval mode (or train mode with a seed, to see the augmentation): the RGB
    /// stream's frames and the keypoint stream's heatmaps at the middle frame, with the legend of parts.
    /// </summary>
    public static HtmlView View(SignClip clip, InputConfig config, bool train = false, int seed = 0)
    {
        var pipeline = new ClipPipeline(config);
        using var inputs = pipeline.Prepare(clip, train, new Random(seed), clip.Frames is null ? InputStreams.Heatmaps : InputStreams.Both);
        int mid = inputs.Length / 2;
        var sb = new StringBuilder("<div style=\"font-family:sans-serif;font-size:13px\">");
        sb.Append($"<b>{WebUtility.HtmlEncode(clip.Name)}</b>: {clip.FrameCount} frames → {inputs.Length} sampled ({(train ? "train augmentation" : "eval")}); ");
        sb.Append($"RGB {config.RgbSize}², heatmaps {config.HeatmapSize}², σ = {config.Sigma} map pixels<br/>");
        if (inputs.Video is not null) sb.Append("RGB stream (BGR input shown in RGB):<br/>").Append(RgbStrip(inputs.Video).ToHtml()).Append("<br/>");
        sb.Append($"keypoint stream, frame {mid}: {pipeline.Selection.Count} channels in channel order — ");
        foreach (var part in pipeline.Selection.Parts)
        {
            var (r, g, b) = PartColors.GetValueOrDefault(part, ((byte)200, (byte)200, (byte)200));
            var (start, end) = pipeline.Selection.ChannelRange(part);
            sb.Append($"<span style=\"border:2px solid rgb({r},{g},{b});padding:0 3px;margin-right:4px\">{part} {start}–{end - 1}</span>");
        }
        sb.Append("<br/>").Append(HeatmapGrid(inputs.Heatmaps!, pipeline.Selection, mid).ToHtml()).Append("</div>");
        return new HtmlView(sb.ToString(), $"stream inputs of {clip.Name}: {inputs.Length} frames, {pipeline.Selection.Count} heatmap channels");
    }

    /// <summary>
    /// The keypoint stream's heatmaps frame by frame with a slider (plain HTML and a one-line script, so it works in any
    /// notebook front end and in the saved file): one channel grid per sampled frame, at most <paramref name="maxFrames"/>
    /// evenly spaced frames to keep the page small.
    /// </summary>
    public static HtmlView HeatmapPlayer(SignClip clip, InputConfig config, int maxFrames = 16)
    {
        var pipeline = new ClipPipeline(config);
        using var inputs = pipeline.Prepare(clip, train: false, new Random(0), InputStreams.Heatmaps);
        var frames = SynthViews.PickFrames(inputs.Length, maxFrames);
        string id = "hm" + Guid.NewGuid().ToString("N")[..8];
        var sb = new StringBuilder("<div style=\"font-family:sans-serif;font-size:13px\">");
        sb.Append($"<b>{WebUtility.HtmlEncode(clip.Name)}</b>: keypoint stream input, {pipeline.Selection.Count} channels × {config.HeatmapSize}², ");
        sb.Append($"{frames.Length} of {inputs.Length} sampled frames. Frame <span id=\"{id}-t\">{inputs.FrameIndices[frames[0]]}</span><br/>");
        sb.Append($"<input type=\"range\" min=\"0\" max=\"{frames.Length - 1}\" value=\"0\" style=\"width:400px\" oninput=\"");
        sb.Append($"document.querySelectorAll('.{id}').forEach((e,i)=>e.style.display=i==this.value?'block':'none');");
        sb.Append($"document.getElementById('{id}-t').textContent=this.dataset.f.split(',')[this.value]\" data-f=\"{string.Join(',', frames.Select(f => inputs.FrameIndices[f]))}\"/><br/>");
        for (int n = 0; n < frames.Length; n++)
            sb.Append($"<div class=\"{id}\" style=\"display:{(n == 0 ? "block" : "none")}\">{HeatmapGrid(inputs.Heatmaps!, pipeline.Selection, frames[n]).ToHtml()}</div>");
        sb.Append("</div>");
        return new HtmlView(sb.ToString(), $"keypoint stream heatmaps of {clip.Name}: {frames.Length} frames with a slider");
    }
}
