using SignNotebooks.Data;
using SignNotebooks.Keypoints;
using SignNotebooks.Util;

namespace SignNotebooks.Importance;

/// <summary>
/// What the estimator reads per frame: for each selected keypoint its position (centred, in frame units), its
/// detector score, and its velocity to the previous frame. Coordinates rather than heatmaps: importance is about which
/// articulator moves or is placed, which positions and velocities say directly, and a 1-D network over them costs
/// milliseconds per clip, so the estimator can run in front of the keypoint stream without slowing it.
/// </summary>
public static class ImportanceFeatures
{
    /// <summary>Features per keypoint: x, y, score, dx, dy.</summary>
    public const int PerKeypoint = 5;

    /// <summary>(T, K · 5) row-major features of a clip for a keypoint selection.</summary>
    public static float[] Of(SignClip clip, KeypointSelection selection)
    {
        int t = clip.FrameCount, k = selection.Count;
        if (clip.Keypoints.Length != t * 133 * 3)
            throw new UserFacingException($"clip {clip.Name}: {clip.Keypoints.Length} keypoint values, expected {t} frames × 133 × 3. Fix: give the clip COCO-WholeBody keypoints (signnb extract-keypoints).");
        var f = new float[t * k * PerKeypoint];
        float w = clip.Width, h = clip.Height;
        for (int i = 0; i < t; i++)
            for (int c = 0; c < k; c++)
            {
                int src = (i * 133 + selection.Indices[c]) * 3;
                float score = clip.Keypoints[src + 2];
                // A missed keypoint (score 0) has no position; 0 (the frame centre) with score 0 says so.
                float x = score > 0 ? clip.Keypoints[src] / w - 0.5f : 0, y = score > 0 ? clip.Keypoints[src + 1] / h - 0.5f : 0;
                int dst = (i * k + c) * PerKeypoint;
                f[dst] = x; f[dst + 1] = y; f[dst + 2] = score;
                if (i > 0)
                {
                    int prev = ((i - 1) * k + c) * PerKeypoint;
                    bool both = score > 0 && f[prev + 2] > 0;
                    f[dst + 3] = both ? x - f[prev] : 0;
                    f[dst + 4] = both ? y - f[prev + 1] : 0;
                }
            }
        return f;
    }
}
