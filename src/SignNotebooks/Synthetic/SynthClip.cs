using SignNotebooks.Data;

namespace SignNotebooks.Synthetic;

/// <summary>
/// One SynthSign clip with all its ground truth. <see cref="ToSignClip"/> gives the pipeline's view (the
/// detected, noisy keypoints, as a real corpus would have).
/// </summary>
/// <param name="Frames">(T, H, W, 3) RGB uint8, or null when generated without frames.</param>
/// <param name="CleanKeypoints">(T, 133, 3) true positions in raw-frame pixels, score 1.</param>
/// <param name="DetectedKeypoints">(T, 133, 3) after <see cref="DetectorNoise"/>; missed = (0, 0, 0).</param>
/// <param name="FrameGlossIndex">Per frame: index into <see cref="Glosses"/>, −1 for rest and transitions.</param>
/// <param name="HandSpeed">(T, 2) true speed of the (left, right) palm in pixels per frame.</param>
public sealed record SynthClip(
    string Name, string Split, int Index, SynthSigner Signer, string BackgroundFamily,
    int FrameCount, int Width, int Height, byte[]? Frames,
    float[] CleanKeypoints, float[] DetectedKeypoints,
    string[] Glosses, int[] FrameGlossIndex, string Translation, float[] HandSpeed)
{
    public SignClip ToSignClip() => new(Name, Split, Signer.Id, FrameCount, Width, Height, Frames,
        DetectedKeypoints, Glosses, Translation, FrameGlossIndex);

    /// <summary>(start, end) frame range (inclusive) of each gloss, from the frame labels.</summary>
    public IReadOnlyList<(int Start, int End)> GlossSpans()
    {
        var spans = new (int, int)[Glosses.Length];
        for (int g = 0; g < spans.Length; g++) spans[g] = (-1, -1);
        for (int t = 0; t < FrameCount; t++)
        {
            int g = FrameGlossIndex[t];
            if (g < 0) continue;
            spans[g] = spans[g].Item1 < 0 ? (t, t) : (spans[g].Item1, t);
        }
        return spans;
    }
}
