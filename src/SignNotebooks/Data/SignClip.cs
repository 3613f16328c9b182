using SignNotebooks.Util;
namespace SignNotebooks.Data;

/// <summary>
/// One decoded clip: the common currency between a corpus (SynthSign or a real one) and the input pipeline.
/// Arrays are flat and row-major so they can be handed to tensors without copies.
/// </summary>
/// <param name="Name">Annotation name (unique within the corpus).</param>
/// <param name="Split">train, dev, test or test-shift.</param>
/// <param name="Signer">Signer id.</param>
/// <param name="FrameCount">T.</param>
/// <param name="Width">Raw frame width in pixels (keypoints are in this coordinate frame).</param>
/// <param name="Height">Raw frame height in pixels.</param>
/// <param name="Frames">(T, H, W, 3) RGB uint8; null when only keypoints are available.</param>
/// <param name="Keypoints">(T, 133, 3) = (x, y, score) in raw-frame pixels, COCO-WholeBody order; a missed
/// detection is (0, 0, 0) as HRNet stores it (spec §1.2).</param>
/// <param name="Glosses">The gloss sequence (the CTC target).</param>
/// <param name="Translation">Spoken-language translation, when the corpus has one.</param>
/// <param name="FrameGlossIndex">Per frame: index into <paramref name="Glosses"/>, or -1 for transitions and
/// holds; null when the corpus has no frame-level ground truth (every real corpus).</param>
public sealed record SignClip(
    string Name,
    string Split,
    string Signer,
    int FrameCount,
    int Width,
    int Height,
    byte[]? Frames,
    float[] Keypoints,
    string[] Glosses,
    string? Translation = null,
    int[]? FrameGlossIndex = null)
{
    /// <summary>Number of COCO-WholeBody keypoints per frame.</summary>
    public const int WholeBodyKeypoints = 133;
}

/// <summary>A corpus the pipeline can read: SynthSign, or a real corpus through its loader.</summary>
public interface ISignDataset
{
    /// <summary>Short corpus name, e.g. "synthsign" or "phoenix-2014t".</summary>
    string Name { get; }
    /// <summary>Splits this corpus has, e.g. train, dev, test, test-shift.</summary>
    IReadOnlyList<string> Splits { get; }
    /// <summary>Clip names of one split, in a fixed order.</summary>
    IReadOnlyList<string> ClipNames(string split);
    /// <summary>Loads one clip; <paramref name="withFrames"/> false skips RGB decoding (keypoint-only use).</summary>
    SignClip Load(string split, string name, bool withFrames = true);
    /// <summary>Every gloss of the corpus vocabulary (without special tokens), in a fixed order.</summary>
    IReadOnlyList<string> Glosses { get; }
    /// <summary>T of one clip (length-bucketed batching asks for it before building a batch); by default from a
    /// keypoint-only load, which a corpus with a cheaper source (an annotation's num_frames) may override.</summary>
    int FrameCount(string split, string name) => Load(split, name, withFrames: false).FrameCount;
    /// <summary>Whether <see cref="LoadRestaged"/> can re-render a clip (a synthetic corpus can; a recorded one cannot).</summary>
    bool CanRestage => false;
    /// <summary>
    /// The clip with the same signing, glosses and keypoints, its frames re-rendered with another background and the
    /// signer's appearance drawn by <paramref name="variant"/> from what its split already has (training augmentation,
    /// <see cref="InputConfig.Restage"/>).
    /// </summary>
    SignClip LoadRestaged(string split, string name, int variant) =>
        throw new UserFacingException($"corpus '{Name}' cannot re-render its clips, so InputConfig.Restage does not apply to it. Fix: remove Restage from the config.");
}
