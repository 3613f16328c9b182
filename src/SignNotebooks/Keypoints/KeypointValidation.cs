using SignNotebooks.Data;
using SignNotebooks.Util;

namespace SignNotebooks.Keypoints;

/// <summary>Load-time checks of a clip's arrays, so a bad record fails with its name before training starts.</summary>
public static class KeypointValidation
{
    /// <summary>
    /// Throws <see cref="UserFacingException"/> naming the clip, the frame and the fix when the keypoint array is
    /// not (T, 133, 3), a coordinate or score is NaN/infinite, or the frame array does not match (T, H, W, 3).
    /// </summary>
    public static void Validate(SignClip clip)
    {
        string who = $"clip '{clip.Name}' (split {clip.Split})";
        if (clip.FrameCount <= 0)
            throw new UserFacingException($"{who} has {clip.FrameCount} frames. Fix: drop the record from the annotation file or re-export it.");
        if (clip.Width <= 0 || clip.Height <= 0)
            throw new UserFacingException($"{who} has a raw frame size of {clip.Width}×{clip.Height}. Fix: the loader must set the raw frame width and height (keypoints are in those pixels).");
        long expected = (long)clip.FrameCount * WholeBody.Count * WholeBody.Values;
        if (clip.Keypoints.Length != expected)
        {
            string shape = clip.Keypoints.Length % (WholeBody.Count * WholeBody.Values) == 0
                ? $"({clip.Keypoints.Length / (WholeBody.Count * WholeBody.Values)}, 133, 3)"
                : $"{clip.Keypoints.Length} values, not a whole number of (133, 3) frames";
            throw new UserFacingException(
                $"{who}: keypoint array has the wrong shape: expected (T={clip.FrameCount}, 133, 3) = {expected} values, got {shape}. " +
                "Fix: store one (133, 3) = (x, y, score) COCO-WholeBody set per frame, in pixels of the raw frame, with T equal to the frame count.");
        }
        var kp = clip.Keypoints;
        for (int i = 0; i < kp.Length; i++)
        {
            if (float.IsFinite(kp[i])) continue;
            int frame = i / (WholeBody.Count * WholeBody.Values);
            int k = i / WholeBody.Values % WholeBody.Count;
            string what = (i % WholeBody.Values) switch { 0 => "x", 1 => "y", _ => "score" };
            throw new UserFacingException(
                $"{who}, frame {frame}: keypoint {k} ({WholeBody.KeypointName(k)}) has {what} = {kp[i]}. " +
                "Fix: re-extract the keypoints of this clip, or store a missed detection as (0, 0, 0) as HRNet does.");
        }
        if (clip.Frames is { } frames)
        {
            long expectedFrames = (long)clip.FrameCount * clip.Height * clip.Width * 3;
            if (frames.LongLength != expectedFrames)
                throw new UserFacingException(
                    $"{who}: frame array has {frames.LongLength} bytes, expected (T={clip.FrameCount}, H={clip.Height}, W={clip.Width}, 3) = {expectedFrames}. " +
                    "Fix: decode every frame as RGB at the raw size the clip declares.");
        }
    }
}
