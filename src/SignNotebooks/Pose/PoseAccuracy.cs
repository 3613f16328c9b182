using System.Globalization;
using SignNotebooks.Importance;
using SignNotebooks.Keypoints;
using SignNotebooks.Plots;

namespace SignNotebooks.Pose;

/// <summary>One clip's keypoints next to the truth: both (T·133·3) in frame pixels.</summary>
public sealed record PosePair(float[] Predicted, float[] Truth, int Frames, int Width, int Height);

/// <summary>PCK of one method on one part at one threshold (a fraction of the reference size).</summary>
public sealed record PckCell(string Method, string Part, double Threshold, double Pck, long Count);

/// <summary>PCK at one threshold for one third of a part's keypoint-frames sorted by true speed.</summary>
/// <param name="SpeedFrom">Lower speed bound of the bin, in reference sizes per frame.</param>
public sealed record PckBySpeed(string Method, string Part, string Bin, double SpeedFrom, double SpeedTo, double Pck, long Count);

/// <summary>The result of <see cref="PoseAccuracy.Score"/>: PCK per method × part × threshold, and by speed.</summary>
public sealed record PoseAccuracyReport(IReadOnlyList<double> Thresholds, IReadOnlyList<PckCell> Cells, IReadOnlyList<PckBySpeed> BySpeed, double SpeedThreshold)
{
    /// <summary>PCK of a method and part at a threshold (NaN when absent).</summary>
    public double Pck(string method, string part, double threshold) =>
        Cells.FirstOrDefault(c => c.Method == method && c.Part == part && Math.Abs(c.Threshold - threshold) < 1e-12)?.Pck ?? double.NaN;

    /// <summary>Rows method × part, one column per threshold, in percent.</summary>
    public ResultTable Table(string caption = "PCK (%) per part; threshold = fraction of the true keypoints' box side")
    {
        var headers = new List<string> { "method", "part", "keypoint-frames" };
        headers.AddRange(Thresholds.Select(t => "PCK@" + t.ToString("0.###", CultureInfo.InvariantCulture)));
        var rows = Cells.GroupBy(c => (c.Method, c.Part)).Select(g =>
        {
            var r = new List<string> { g.Key.Method, g.Key.Part, g.First().Count.ToString(CultureInfo.InvariantCulture) };
            r.AddRange(Thresholds.Select(t => (100 * g.First(c => Math.Abs(c.Threshold - t) < 1e-12).Pck).ToString("F1", CultureInfo.InvariantCulture)));
            return (IReadOnlyList<string>)r;
        }).ToList();
        return new ResultTable(caption, headers, rows);
    }

    /// <summary>Rows method × part × speed third, PCK at <see cref="SpeedThreshold"/>.</summary>
    public ResultTable SpeedTable() => new(
        $"PCK@{SpeedThreshold.ToString("0.###", CultureInfo.InvariantCulture)} (%) by true keypoint speed (thirds of each part's keypoint-frames; speed in box sides per frame)",
        ["method", "part", "speed third", "speed range", "keypoint-frames", "PCK"],
        BySpeed.Select(b => (IReadOnlyList<string>)[b.Method, b.Part, b.Bin,
            string.Create(CultureInfo.InvariantCulture, $"{b.SpeedFrom:0.####}–{b.SpeedTo:0.####}"),
            b.Count.ToString(CultureInfo.InvariantCulture), (100 * b.Pck).ToString("F1", CultureInfo.InvariantCulture)]).ToList());
}

/// <summary>
/// Percentage of correct keypoints against the ground truth (mmpose's PCKAccuracy with a box norm): a keypoint is
/// correct when its distance to the truth is below α · the side of the box around the true in-frame keypoints
/// (the larger side). Only keypoints whose true position lies inside the frame count (legs and feet lie below it,
/// spec §1.2 / SynthSign). Parts are the articulators of <see cref="ArticulatorParts"/> plus "hands" and "all".
/// Speed splits each part's keypoint-frames into thirds by true speed (|p_t − p_{t−1}|, in box sides per frame),
/// which answers "is it worse on fast movement?".
/// </summary>
public static class PoseAccuracy
{
    /// <summary>Default thresholds α.</summary>
    public static IReadOnlyList<double> DefaultThresholds { get; } = [0.02, 0.05, 0.1, 0.2];

    /// <summary>Part names in table order.</summary>
    public static IReadOnlyList<string> Parts { get; } = [.. ArticulatorParts.Names, "hands", "all"];

    private static bool InPart(int part, int keypoint) => part switch
    {
        < 5 => ArticulatorParts.PartOfKeypoint(keypoint) == part,
        5 => ArticulatorParts.PartOfKeypoint(keypoint) is ArticulatorParts.RightHand or ArticulatorParts.LeftHand,
        _ => true,
    };

    /// <summary>Scores several methods on the same clips (method name → one pair per clip).</summary>
    public static PoseAccuracyReport Score(IReadOnlyDictionary<string, IReadOnlyList<PosePair>> methods, IReadOnlyList<double>? thresholds = null, double speedThreshold = 0.05)
    {
        thresholds ??= DefaultThresholds;
        var cells = new List<PckCell>();
        var bySpeed = new List<PckBySpeed>();
        foreach (var (method, pairs) in methods)
        {
            var samples = Samples(pairs);   // per part: (normalised error, normalised speed)
            for (int p = 0; p < Parts.Count; p++)
            {
                var s = samples[p];
                foreach (var a in thresholds)
                    cells.Add(new PckCell(method, Parts[p], a, s.Count == 0 ? double.NaN : s.Count(e => e.Error <= a) / (double)s.Count, s.Count));
                if (s.Count < 3) continue;
                var sorted = s.OrderBy(e => e.Speed).ToArray();
                string[] names = ["slow", "medium", "fast"];
                for (int b = 0; b < 3; b++)
                {
                    var bin = sorted[(b * sorted.Length / 3)..((b + 1) * sorted.Length / 3)];
                    bySpeed.Add(new PckBySpeed(method, Parts[p], names[b], bin[0].Speed, bin[^1].Speed,
                        bin.Count(e => e.Error <= speedThreshold) / (double)bin.Length, bin.Length));
                }
            }
        }
        return new PoseAccuracyReport(thresholds, cells, bySpeed, speedThreshold);
    }

    private static List<(double Error, double Speed)>[] Samples(IReadOnlyList<PosePair> pairs)
    {
        var result = Enumerable.Range(0, Parts.Count).Select(_ => new List<(double, double)>()).ToArray();
        const int K = WholeBody.Count, V = WholeBody.Values;
        foreach (var pr in pairs)
        {
            if (pr.Predicted.Length != pr.Frames * K * V || pr.Truth.Length != pr.Frames * K * V)
                throw new ArgumentException($"a pose pair needs {pr.Frames}·{K}·{V} values on both sides (got {pr.Predicted.Length} and {pr.Truth.Length})");
            for (int t = 0; t < pr.Frames; t++)
            {
                double norm = BoxSide(pr.Truth, t, pr.Width, pr.Height);
                if (norm <= 0) continue;
                int prev = Math.Max(t - 1, 0), next = t == 0 ? Math.Min(1, pr.Frames - 1) : t;
                for (int k = 0; k < K; k++)
                {
                    int o = (t * K + k) * V;
                    float tx = pr.Truth[o], ty = pr.Truth[o + 1];
                    if (!Inside(tx, ty, pr.Width, pr.Height)) continue;
                    double err = Math.Sqrt(Sq(pr.Predicted[o] - tx) + Sq(pr.Predicted[o + 1] - ty)) / norm;
                    int a = (prev * K + k) * V, b = (next * K + k) * V;
                    double speed = Math.Sqrt(Sq(pr.Truth[b] - pr.Truth[a]) + Sq(pr.Truth[b + 1] - pr.Truth[a + 1])) / norm;
                    for (int p = 0; p < Parts.Count; p++)
                        if (InPart(p, k)) result[p].Add((err, speed));
                }
            }
        }
        return result;
    }

    private static double Sq(double v) => v * v;
    private static bool Inside(float x, float y, int w, int h) => x >= 0 && y >= 0 && x < w && y < h;

    /// <summary>The larger side of the box around frame t's true keypoints that lie inside the frame.</summary>
    private static double BoxSide(float[] truth, int t, int w, int h)
    {
        double x0 = double.MaxValue, y0 = double.MaxValue, x1 = double.MinValue, y1 = double.MinValue;
        for (int k = 0; k < WholeBody.Count; k++)
        {
            int o = (t * WholeBody.Count + k) * WholeBody.Values;
            float x = truth[o], y = truth[o + 1];
            if (!Inside(x, y, w, h)) continue;
            x0 = Math.Min(x0, x); x1 = Math.Max(x1, x); y0 = Math.Min(y0, y); y1 = Math.Max(y1, y);
        }
        return x1 < x0 ? 0 : Math.Max(x1 - x0, y1 - y0);
    }

    /// <summary>The mean of (T·133·3) keypoint arrays over all their frames, as one frame (133·3): the "mean pose" baseline.</summary>
    public static float[] MeanPose(IEnumerable<float[]> keypoints)
    {
        const int F = WholeBody.Count * WholeBody.Values;
        var sum = new double[F];
        long frames = 0;
        foreach (var kp in keypoints)
            for (int t = 0; t < kp.Length / F; t++, frames++)
                for (int i = 0; i < F; i++) sum[i] += kp[t * F + i];
        return sum.Select(v => (float)(v / Math.Max(frames, 1))).ToArray();
    }

    /// <summary>A clip's prediction that repeats one pose in every frame.</summary>
    public static float[] Repeat(float[] pose, int frames)
    {
        var r = new float[pose.Length * frames];
        for (int t = 0; t < frames; t++) pose.CopyTo(r, t * pose.Length);
        return r;
    }
}
