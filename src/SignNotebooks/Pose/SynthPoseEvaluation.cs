using SignNotebooks.Synthetic;

namespace SignNotebooks.Pose;

/// <summary>SynthSign clips (with frames) and a pose model's keypoints for each, plus the mean train pose.</summary>
public sealed record SynthPoseRun(IReadOnlyList<SynthClip> Clips, IReadOnlyList<float[]> Extracted, float[] MeanPose);

/// <summary>
/// Scores a pose model on SynthSign clips against the true keypoints, next to two references: SynthSign's simulated
/// detector (<see cref="SynthClip.DetectedKeypoints"/>, the keypoints the corpus ships by default) and the mean
/// train pose repeated in every frame (what a model that ignores the image would score).
/// </summary>
public static class SynthPoseEvaluation
{
    public const string Extracted = "extracted", Detector = "simulated detector", MeanPose = "mean pose";

    /// <summary>The keypoints of every frame of a clip through the ONNX Runtime path (T·133·3).</summary>
    public static float[] Extract(PoseEstimator estimator, SynthClip clip) =>
        KeypointExtractor.Extract(estimator, Enumerable.Range(0, clip.FrameCount).Select(t => SynthPoseTrainer.FrameOf(clip, t))).Keypoints;

    /// <summary>Extracts the first <paramref name="clips"/> clips of a split.</summary>
    public static SynthPoseRun Run(PoseEstimator estimator, SynthSignDataset ds, string split, int clips)
    {
        var mean = PoseAccuracy.MeanPose(ds.GenerateMany("train", Math.Min(64, ds.Profile.TrainClips), withFrames: false).Select(c => c.CleanKeypoints));
        var generated = ds.GenerateMany(split, clips);
        return new SynthPoseRun(generated, generated.Select(c => Extract(estimator, c)).ToList(), mean);
    }

    /// <summary>Extracted, detector and mean-pose keypoints of each clip, next to its truth.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<PosePair>> Pairs(SynthPoseRun run)
    {
        PosePair Pair(SynthClip c, float[] kp) => new(kp, c.CleanKeypoints, c.FrameCount, c.Width, c.Height);
        return new Dictionary<string, IReadOnlyList<PosePair>>
        {
            [Extracted] = run.Clips.Select((c, i) => Pair(c, run.Extracted[i])).ToList(),
            [Detector] = run.Clips.Select(c => Pair(c, c.DetectedKeypoints)).ToList(),
            [MeanPose] = run.Clips.Select(c => Pair(c, PoseAccuracy.Repeat(run.MeanPose, c.FrameCount))).ToList(),
        };
    }

    /// <summary>PCK per part and by speed of <see cref="Pairs"/>.</summary>
    public static PoseAccuracyReport Evaluate(SynthPoseRun run) => PoseAccuracy.Score(Pairs(run));

    /// <summary><see cref="Run"/> then <see cref="Evaluate(SynthPoseRun)"/>.</summary>
    public static PoseAccuracyReport Evaluate(PoseEstimator estimator, SynthSignDataset ds, string split, int clips) =>
        Evaluate(Run(estimator, ds, split, clips));
}
