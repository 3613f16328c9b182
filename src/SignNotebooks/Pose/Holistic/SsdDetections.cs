namespace SignNotebooks.Pose.Holistic;

/// <summary>
/// A detection: axis-aligned box and keypoints, in whatever frame the caller works in (the model input's normalised
/// coordinates straight out of <see cref="SsdDetections.Decode"/>, frame pixels after <see cref="MapTo"/>).
/// </summary>
public sealed record Detection(float XMin, float YMin, float Width, float Height, float Score, (float X, float Y)[] Keypoints)
{
    public float XMax => XMin + Width;
    public float YMax => YMin + Height;

    /// <summary>The detection seen through <paramref name="roi"/>: points are (u, v) in ROI-normalised coordinates,
    /// mapped to frame pixels; the box becomes the axis-aligned box of its four mapped corners (MediaPipe's
    /// DetectionProjectionCalculator).</summary>
    public Detection MapTo(Roi roi)
    {
        var corners = new[] { roi.ToFrame(XMin, YMin), roi.ToFrame(XMax, YMin), roi.ToFrame(XMin, YMax), roi.ToFrame(XMax, YMax) };
        float x0 = corners.Min(c => c.X), y0 = corners.Min(c => c.Y), x1 = corners.Max(c => c.X), y1 = corners.Max(c => c.Y);
        return new Detection(x0, y0, x1 - x0, y1 - y0, Score, Keypoints.Select(k => roi.ToFrame(k.X, k.Y)).ToArray());
    }
}

/// <summary>The <c>TensorsToDetectionsCalculator</c> options of a BlazePose / BlazeFace graph.</summary>
public sealed record SsdDecodeOptions(int NumCoords, int NumKeypoints, float Scale, float MinScore,
    float ScoreClipping = 100f, float NmsThreshold = 0.3f)
{
    /// <summary>pose_detection_cpu.pbtxt: 12 coords (box + 4 keypoints), scales 224, min score 0.5, weighted NMS at IoU 0.3.</summary>
    public static SsdDecodeOptions PoseDetection { get; } = new(12, 4, 224f, 0.5f);

    /// <summary>face_detection_short_range.pbtxt / face_detection.pbtxt: 16 coords (box + 6 keypoints), scales 128, min score 0.5.</summary>
    public static SsdDecodeOptions FaceDetectionShortRange { get; } = new(16, 6, 128f, 0.5f);
}

/// <summary>
/// MediaPipe's SSD post-processing: box and keypoint decoding against anchors (<c>TensorsToDetectionsCalculator</c>
/// with <c>reverse_output_order</c>: x, y, w, h), sigmoid scores clipped at ±100, and weighted non-maximum suppression
/// (<c>NonMaxSuppressionCalculator</c>, <c>algorithm: WEIGHTED</c>, IoU).
/// </summary>
public static class SsdDetections
{
    /// <summary>
    /// Every anchor scoring at least the minimum, decoded into the model input's normalised coordinates.
    /// <paramref name="boxes"/> is (N, NumCoords), <paramref name="scores"/> (N) raw logits.
    /// </summary>
    public static List<Detection> Decode(ReadOnlySpan<float> boxes, ReadOnlySpan<float> scores, Anchor[] anchors, SsdDecodeOptions o)
    {
        if (scores.Length != anchors.Length || boxes.Length != anchors.Length * o.NumCoords)
            throw new ArgumentException($"detector outputs hold {scores.Length} scores and {boxes.Length} box values; {anchors.Length} anchors × {o.NumCoords} coordinates expected");
        var result = new List<Detection>();
        for (int i = 0; i < anchors.Length; i++)
        {
            float raw = Math.Clamp(scores[i], -o.ScoreClipping, o.ScoreClipping);
            float score = 1f / (1f + MathF.Exp(-raw));
            if (score < o.MinScore) continue;
            var a = anchors[i];
            var b = boxes.Slice(i * o.NumCoords, o.NumCoords);
            float cx = b[0] / o.Scale * a.Width + a.CenterX, cy = b[1] / o.Scale * a.Height + a.CenterY;
            float w = b[2] / o.Scale * a.Width, h = b[3] / o.Scale * a.Height;
            var kps = new (float, float)[o.NumKeypoints];
            for (int k = 0; k < o.NumKeypoints; k++)
                kps[k] = (b[4 + 2 * k] / o.Scale * a.Width + a.CenterX, b[5 + 2 * k] / o.Scale * a.Height + a.CenterY);
            result.Add(new Detection(cx - w / 2, cy - h / 2, w, h, score, kps));
        }
        return result;
    }

    /// <summary>
    /// Weighted NMS: repeatedly take the best remaining detection, average the box and keypoints of every detection
    /// overlapping it by more than <paramref name="iouThreshold"/> (itself included) weighted by score, keep the best
    /// one's score. Output is best first.
    /// </summary>
    public static List<Detection> WeightedNms(IEnumerable<Detection> detections, float iouThreshold)
    {
        var remaining = detections.OrderByDescending(d => d.Score).ToList();
        var output = new List<Detection>();
        while (remaining.Count > 0)
        {
            var top = remaining[0];
            var overlapping = remaining.Where(d => Iou(top, d) > iouThreshold).ToList();
            remaining = remaining.Where(d => Iou(top, d) <= iouThreshold && !ReferenceEquals(d, top)).ToList();
            if (overlapping.Count == 0) { output.Add(top); continue; }
            float total = overlapping.Sum(d => d.Score);
            float W(Func<Detection, float> f) => overlapping.Sum(d => f(d) * d.Score) / total;
            float x0 = W(d => d.XMin), y0 = W(d => d.YMin), x1 = W(d => d.XMax), y1 = W(d => d.YMax);
            var kps = new (float, float)[top.Keypoints.Length];
            for (int k = 0; k < kps.Length; k++) kps[k] = (W(d => d.Keypoints[k].X), W(d => d.Keypoints[k].Y));
            output.Add(new Detection(x0, y0, x1 - x0, y1 - y0, top.Score, kps));
        }
        return output;
    }

    public static float Iou(Detection a, Detection b)
    {
        float ix = Math.Max(0, Math.Min(a.XMax, b.XMax) - Math.Max(a.XMin, b.XMin));
        float iy = Math.Max(0, Math.Min(a.YMax, b.YMax) - Math.Max(a.YMin, b.YMin));
        float inter = ix * iy, union = a.Width * a.Height + b.Width * b.Height - inter;
        return union > 0 ? inter / union : 0;
    }
}
