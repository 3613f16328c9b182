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

    /// <summary>
    /// The keypoints of every frame, flattened (T·133·3), and T. <paramref name="box"/>: the person box of every frame
    /// (default: the whole frame); or <paramref name="detector"/>: a box per frame (<see cref="PersonBoxTracker"/>), whose
    /// counts go to the detector's log and <see cref="PersonDetector.Totals"/>.
    /// </summary>
    public static (float[] Keypoints, int Frames) Extract(PoseEstimator estimator, IEnumerable<RgbFrame> frames, PoseBox? box = null, Progress? progress = null,
        PersonDetector? detector = null)
    {
        if (estimator.Descriptor.KeypointCount != WholeBody.Count)
            throw new ArgumentException($"extraction writes the {WholeBody.Count}-point COCO-WholeBody layout; open the estimator with ExpectedKeypoints = {WholeBody.Count}");
        if (detector is not null && box is not null) throw new ArgumentException("give a fixed box or a detector, not both");
        var tracker = detector is null ? null : new PersonBoxTracker(detector);
        var all = new List<float>();
        var sw = Stopwatch.StartNew();
        int t = 0;
        foreach (var frame in frames)
        {
            all.AddRange(estimator.Estimate(frame, tracker is null ? box : tracker.Next(frame)));
            t++;
            progress?.Invoke(t, t / Math.Max(sw.Elapsed.TotalSeconds, 1e-9));
        }
        if (tracker is not null)
        {
            detector!.Totals = detector.Totals.Add(tracker.Counts);
            detector.Log($"detector: {tracker.Counts}");
        }
        return (all.ToArray(), t);
    }
}
