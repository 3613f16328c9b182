using SignNotebooks.Keypoints;

namespace SignNotebooks.Pose.Holistic;

/// <summary>What <see cref="HolisticExtraction.Run"/> produced for one clip.</summary>
/// <param name="Keypoints">(T, 133, 3) COCO-WholeBody (x, y, score) in frame pixels</param>
/// <param name="Raw">(T, 543, 5) raw landmarks (pose 33, left hand 21, right hand 21, face 468) × (x, y, z, visibility, presence), NaN where not found</param>
/// <param name="Found">frames in which each part was found: pose, left hand, right hand, face</param>
/// <param name="Detections">frames that ran pose detection (the first one, and every frame where tracking was lost)</param>
public sealed record HolisticClip(float[] Keypoints, float[] Raw, int Frames, int Width, int Height,
    (int Pose, int LeftHand, int RightHand, int Face) Found, int Detections, double Seconds)
{
    public double FramesPerSecond => Frames / Math.Max(Seconds, 1e-9);
}

/// <summary>Runs <see cref="HolisticPipeline"/> over a clip's frames, in order, tracking from frame to frame.</summary>
public static class HolisticExtraction
{
    public static HolisticClip Run(HolisticPipeline pipeline, IEnumerable<RgbFrame> frames, Action<int, double>? progress = null)
    {
        pipeline.Reset();
        var kp = new List<float[]>();
        var raw = new List<float[]>();
        int pose = 0, left = 0, right = 0, face = 0, detections = 0, width = 0, height = 0;
        var sw = System.Diagnostics.Stopwatch.StartNew();
        foreach (var frame in frames)
        {
            var r = pipeline.Process(frame);
            (width, height) = (frame.Width, frame.Height);
            var k = new float[WholeBody.Count * WholeBody.Values];
            HolisticWholeBody.Write(r, k, 0);
            var w = new float[HolisticWholeBody.RawPoints * HolisticWholeBody.RawValues];
            HolisticWholeBody.WriteRaw(r, w, 0);
            kp.Add(k); raw.Add(w);
            if (r.Pose is not null) pose++;
            if (r.LeftHand is not null) left++;
            if (r.RightHand is not null) right++;
            if (r.Face is not null) face++;
            if (r.PoseRedetected) detections++;
            progress?.Invoke(kp.Count, kp.Count / Math.Max(sw.Elapsed.TotalSeconds, 1e-9));
        }
        return new HolisticClip(kp.SelectMany(x => x).ToArray(), raw.SelectMany(x => x).ToArray(), kp.Count, width, height,
            (pose, left, right, face), detections, sw.Elapsed.TotalSeconds);
    }
}
