using System.Diagnostics;
using SignNotebooks.Keypoints;

namespace SignNotebooks.Pose;

/// <summary>
/// Runs a pose estimator over the frames of one video and stacks the result as (T, 133, 3) float32
/// (x, y, score in frame pixels), the layout of the released keypoint pickles (spec §1.2).
/// </summary>
public static class KeypointExtractor
{
    /// <summary>Progress after each frame: frames done, frames per second so far.</summary>
    public delegate void Progress(int frames, double framesPerSecond);

    /// <summary>The keypoints of every frame, flattened (T·133·3), and T. <paramref name="box"/>: the person box of every frame (default: the whole frame).</summary>
    public static (float[] Keypoints, int Frames) Extract(PoseEstimator estimator, IEnumerable<RgbFrame> frames, PoseBox? box = null, Progress? progress = null)
    {
        if (estimator.Descriptor.KeypointCount != WholeBody.Count)
            throw new ArgumentException($"extraction writes the {WholeBody.Count}-point COCO-WholeBody layout; open the estimator with ExpectedKeypoints = {WholeBody.Count}");
        var all = new List<float>();
        var sw = Stopwatch.StartNew();
        int t = 0;
        foreach (var frame in frames)
        {
            all.AddRange(estimator.Estimate(frame, box));
            t++;
            progress?.Invoke(t, t / Math.Max(sw.Elapsed.TotalSeconds, 1e-9));
        }
        return (all.ToArray(), t);
    }
}
