using SignNotebooks.Synthetic;

namespace SignNotebooks.Pose;

/// <summary>
/// Scores a pose model on SynthSign clips against the true keypoints, next to two references: SynthSign's simulated
/// detector (<see cref="SynthClip.DetectedKeypoints"/>, the keypoints the corpus ships by default) and the mean
/// train pose repeated in every frame (what a model that ignores the image would score).
/// </summary>
public static class SynthPoseEvaluation
{
    public const string Extracted = "extracted", Detector = "simulated detector", MeanPose = "mean pose";

    /// <summary>Extracted, detector and mean-pose keypoints of the first <paramref name="clips"/> clips of a split.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<PosePair>> Pairs(PoseEstimator estimator, SynthSignDataset ds, string split, int clips)
    {
        var mean = PoseAccuracy.MeanPose(ds.GenerateMany("train", Math.Min(64, ds.Profile.TrainClips), withFrames: false).Select(c => c.CleanKeypoints));
        var extracted = new List<PosePair>();
        var detector = new List<PosePair>();
        var meanPose = new List<PosePair>();
        foreach (var clip in ds.GenerateMany(split, clips))
        {
            var (kp, t) = KeypointExtractor.Extract(estimator, Enumerable.Range(0, clip.FrameCount).Select(i => SynthPoseTrainer.FrameOf(clip, i)));
            extracted.Add(new PosePair(kp, clip.CleanKeypoints, t, clip.Width, clip.Height));
            detector.Add(new PosePair(clip.DetectedKeypoints, clip.CleanKeypoints, t, clip.Width, clip.Height));
            meanPose.Add(new PosePair(PoseAccuracy.Repeat(mean, t), clip.CleanKeypoints, t, clip.Width, clip.Height));
        }
        return new Dictionary<string, IReadOnlyList<PosePair>> { [Extracted] = extracted, [Detector] = detector, [MeanPose] = meanPose };
    }

    /// <summary><see cref="Pairs"/> scored with <see cref="PoseAccuracy.Score"/>.</summary>
    public static PoseAccuracyReport Evaluate(PoseEstimator estimator, SynthSignDataset ds, string split, int clips) =>
        PoseAccuracy.Score(Pairs(estimator, ds, split, clips));
}
