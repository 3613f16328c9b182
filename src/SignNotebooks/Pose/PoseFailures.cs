using System.Globalization;
using SignNotebooks.Keypoints;
using SignNotebooks.Plots;
using SignNotebooks.Synthetic;

namespace SignNotebooks.Pose;

/// <summary>One frame where a hand went wrong.</summary>
/// <param name="Kind">"swap" (left and right hands exchanged) or "hand error" (the worst hand's mean joint error).</param>
/// <param name="Error">Mean joint error of the worse hand, in frame sizes (the larger side).</param>
/// <param name="HandSpeed">True palm speed of the faster hand, in pixels per frame.</param>
public sealed record PoseFailure(int ClipIndex, string Clip, int Frame, string Kind, double Error, double HandSpeed);

/// <summary>
/// The failure modes that matter for the keypoint stream: fast hands (blurred, so the hand is placed badly or not
/// at all) and hand swaps (the left hand's keypoints on the right hand). A frame is a swap when pairing the
/// predicted hand centroids crosswise with the true ones is closer than pairing them straight, by more than
/// a quarter of the distance between the true hands (so hands that touch are not counted).
/// </summary>
public static class PoseFailures
{
    private const int K = WholeBody.Count, V = WholeBody.Values;

    /// <summary>The <paramref name="worst"/> frames by hand error (at most two per clip, so one bad stretch does not fill the list), then the worst swaps.</summary>
    public static IReadOnlyList<PoseFailure> Find(SynthPoseRun run, int worst = 6)
    {
        var all = new List<PoseFailure>();
        for (int i = 0; i < run.Clips.Count; i++)
        {
            var c = run.Clips[i];
            for (int t = 0; t < c.FrameCount; t++)
            {
                var (errL, errR, swap) = Hands(run.Extracted[i], c.CleanKeypoints, t, c.Width, c.Height);
                double speed = Math.Max(c.HandSpeed[2 * t], c.HandSpeed[2 * t + 1]);
                all.Add(new PoseFailure(i, c.Name, t, swap ? "swap" : "hand error", Math.Max(errL, errR), speed));
            }
        }
        var swaps = all.Where(f => f.Kind == "swap").OrderByDescending(f => f.Error).Take(worst);
        var errors = all.Where(f => f.Kind != "swap").GroupBy(f => f.ClipIndex)
            .SelectMany(g => g.OrderByDescending(f => f.Error).Take(2)).OrderByDescending(f => f.Error).Take(worst);
        return errors.Concat(swaps).ToList();
    }

    /// <summary>Swap rate and mean hand error on slow vs fast frames, extracted vs SynthSign's simulated detector.</summary>
    public static ResultTable Summary(SynthPoseRun run)
    {
        var rows = new List<IReadOnlyList<string>>();
        foreach (var (name, pick) in new (string, Func<int, float[]>)[] { (SynthPoseEvaluation.Extracted, i => run.Extracted[i]), (SynthPoseEvaluation.Detector, i => run.Clips[i].DetectedKeypoints) })
        {
            long frames = 0, swaps = 0;
            var slow = new List<double>();
            var fast = new List<double>();
            var speeds = run.Clips.SelectMany(c => c.HandSpeed).OrderBy(s => s).ToArray();
            double median = speeds.Length == 0 ? 0 : speeds[speeds.Length / 2];
            for (int i = 0; i < run.Clips.Count; i++)
            {
                var c = run.Clips[i];
                for (int t = 0; t < c.FrameCount; t++, frames++)
                {
                    var (errL, errR, swap) = Hands(pick(i), c.CleanKeypoints, t, c.Width, c.Height);
                    if (swap) swaps++;
                    (c.HandSpeed[2 * t] > median ? fast : slow).Add(errL);
                    (c.HandSpeed[2 * t + 1] > median ? fast : slow).Add(errR);
                }
            }
            var inv = CultureInfo.InvariantCulture;
            rows.Add([name, frames.ToString(inv), swaps.ToString(inv), (100.0 * swaps / Math.Max(frames, 1)).ToString("F2", inv),
                (slow.Count == 0 ? double.NaN : slow.Average()).ToString("F3", inv), (fast.Count == 0 ? double.NaN : fast.Average()).ToString("F3", inv)]);
        }
        return new ResultTable("Hand swaps and hand error (mean joint error in frame sizes) on slow vs fast hands (split at the median true palm speed)",
            ["method", "frames", "swapped frames", "swap %", "hand error, slow", "hand error, fast"], rows);
    }

    /// <summary>Mean joint error of each hand (in frame sizes, the larger side) and whether the hands are swapped.</summary>
    public static (double Left, double Right, bool Swapped) Hands(float[] predicted, float[] truth, int t, int w, int h)
    {
        var (pl, tl, el) = Hand(predicted, truth, t, WholeBody.LeftHand.Start);
        var (pr, tr, er) = Hand(predicted, truth, t, WholeBody.RightHand.Start);
        double norm = Math.Max(w, h);
        double straight = Dist(pl, tl) + Dist(pr, tr), cross = Dist(pl, tr) + Dist(pr, tl);
        bool swapped = cross + 0.25 * Dist(tl, tr) < straight;
        return (el / norm, er / norm, swapped);
    }

    private static ((double X, double Y) P, (double X, double Y) T, double Err) Hand(float[] p, float[] q, int t, int start)
    {
        double px = 0, py = 0, tx = 0, ty = 0, err = 0;
        for (int j = 0; j < WholeBody.LeftHand.Count; j++)
        {
            int o = (t * K + start + j) * V;
            px += p[o]; py += p[o + 1]; tx += q[o]; ty += q[o + 1];
            err += Math.Sqrt((p[o] - q[o]) * (p[o] - q[o]) + (p[o + 1] - q[o + 1]) * (p[o + 1] - q[o + 1]));
        }
        int n = WholeBody.LeftHand.Count;
        return ((px / n, py / n), (tx / n, ty / n), err / n);
    }

    private static double Dist((double X, double Y) a, (double X, double Y) b) => Math.Sqrt((a.X - b.X) * (a.X - b.X) + (a.Y - b.Y) * (a.Y - b.Y));
}
