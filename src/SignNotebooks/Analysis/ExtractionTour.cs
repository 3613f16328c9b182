using SignNotebooks.Data;
using SignNotebooks.Plots;
using SignNotebooks.Pose;
using SignNotebooks.Util;

namespace SignNotebooks.Analysis;

/// <summary>
/// A pose model's keypoints on a few clips, scored against a reference: SynthSign's true keypoints (<see cref="Synth"/>
/// holds its run, with the simulated detector and the mean pose beside), or a real corpus's released keypoints.
/// </summary>
public sealed record ExtractionRun(IReadOnlyList<SignClip> Clips, IReadOnlyList<float[]> Extracted, PoseAccuracyReport Report, SynthPoseRun? Synth);

/// <summary>
/// Notebook 01 on any corpus. A real corpus has no true keypoints: the extracted ones are compared with the keypoints
/// the corpus ships (SLRT's HRNet output), which measures agreement between two models, not accuracy. The views that
/// need the truth (speed split, failure cases) become a line saying so.
/// </summary>
public static class ExtractionTour
{
    /// <summary>The method name of a real corpus's agreement rows.</summary>
    public const string Agreement = "extracted vs released";

    private const string TruthNeeds = "the true keypoints of every frame";

    /// <summary>The ONNX pose model: <paramref name="poseModel"/>, or SynthSign's own (trained once and cached) when empty.</summary>
    public static string ModelPath(string poseModel, string profile)
    {
        if (string.IsNullOrWhiteSpace(poseModel)) return SynthPoseModel.GetOrTrain(profile);
        if (!File.Exists(poseModel))
            throw new UserFacingException($"pose_model {poseModel} does not exist. Fix: give the path of an ONNX pose model (133 COCO-WholeBody keypoints), or leave pose_model empty for SynthSign's.");
        return Path.GetFullPath(poseModel);
    }

    /// <summary>One line naming the model, and saying so when it is SynthSign's (trained on synthetic frames only).</summary>
    public static string ModelNote(string poseModel, string path) => string.IsNullOrWhiteSpace(poseModel)
        ? $"pose model: {Path.GetFileName(path)}, SynthSign's own, trained on synthetic frames only (set pose_model to an ONNX file, e.g. an HRNet or RTMPose export, for real video)"
        : $"pose model: {path}";

    /// <summary>
    /// SynthSign: the first <paramref name="clips"/> clips of the split, every frame, against the truth. A real corpus:
    /// the first <paramref name="frames"/> frames of its first <paramref name="clips"/> clips, against its released keypoints.
    /// </summary>
    public static ExtractionRun Run(Workbench wb, PoseEstimator estimator, string split, int clips, int frames)
    {
        if (wb.IsSynthSign)
        {
            var run = SynthPoseEvaluation.Run(estimator, wb.Corpus, split, clips);
            return new(run.Clips.Select(c => c.ToSignClip()).ToList(), run.Extracted, SynthPoseEvaluation.Evaluate(run), run);
        }
        var loaded = wb.Dataset.ClipNames(split).Take(clips).Select(n => First(wb.Dataset.Load(split, n), frames)).ToList();
        var extracted = loaded.Select(c => KeypointExtractor.Extract(estimator, Enumerable.Range(0, c.FrameCount).Select(t => FrameOf(c, t))).Keypoints).ToList();
        var pairs = loaded.Select((c, i) => new PosePair(extracted[i], c.Keypoints, c.FrameCount, c.Width, c.Height)).ToList();
        return new(loaded, extracted, PoseAccuracy.Score(new Dictionary<string, IReadOnlyList<PosePair>> { [Agreement] = pairs }), null);
    }

    /// <summary>The clip cut to its first <paramref name="frames"/> frames (extraction is the slow part).</summary>
    private static SignClip First(SignClip c, int frames)
    {
        if (c.Frames is null) throw new UserFacingException($"clip {c.Name} of {c.Split} has no frames. Fix: point data_root at a corpus folder with its frame folders.");
        int t = Math.Min(frames, c.FrameCount), kp = SignClip.WholeBodyKeypoints * 3;
        return c with { FrameCount = t, Frames = c.Frames[..(t * c.Width * c.Height * 3)], Keypoints = c.Keypoints[..(t * kp)], FrameGlossIndex = null };
    }

    internal static RgbFrame FrameOf(SignClip c, int t)
    {
        int size = c.Width * c.Height * 3;
        return new RgbFrame(c.Width, c.Height, c.Frames.AsSpan(t * size, size).ToArray());
    }

    /// <summary>The first clip: truth over extracted (SynthSign), or released over extracted keypoints.</summary>
    public static Notebooks.HtmlView Compare(ExtractionRun run) => run.Synth is { } s
        ? PoseViews.Compare(s.Clips[0], run.Extracted[0])
        : ClipViews.Compare(run.Clips[0], run.Extracted[0], "released keypoints (top), extracted (bottom)");

    /// <summary>PCK per part against the truth, or agreement with the released keypoints (said in the caption).</summary>
    public static ResultTable PckTable(ExtractionRun run) => run.Synth is not null
        ? run.Report.Table()
        : run.Report.Table("Agreement with the released keypoints (SLRT's HRNet output), not accuracy: PCK (%) per part; threshold = fraction of the released keypoints' box side");

    /// <summary>PCK by true speed (SynthSign only).</summary>
    public static ResultTable SpeedTable(Workbench wb, ExtractionRun run) => run.Synth is not null ? run.Report.SpeedTable() : wb.NotAvailableTable(TruthNeeds + ", to sort them by speed");

    /// <summary>The worst hand frames and hand swaps (SynthSign only).</summary>
    public static Notebooks.HtmlView Failures(Workbench wb, ExtractionRun run, int worst = 6) => run.Synth is { } s
        ? PoseViews.Failures(s, PoseFailures.Find(s, worst))
        : wb.NotAvailableTable(TruthNeeds + ", to find failures and hand swaps").ToHtml();

    /// <summary>Swap counts and slow/fast hand error (SynthSign only).</summary>
    public static ResultTable FailureSummary(Workbench wb, ExtractionRun run) => run.Synth is { } s ? PoseFailures.Summary(s) : wb.NotAvailableTable(TruthNeeds + ", to find failures and hand swaps");

    /// <summary>SynthSign: the extracted part beats the mean pose at PCK@0.1. A real corpus: its agreement is a percentage.</summary>
    public static bool BeatsBaseline(ExtractionRun run, string part) => run.Synth is not null
        ? run.Report.Pck(SynthPoseEvaluation.Extracted, part, 0.1) > run.Report.Pck(SynthPoseEvaluation.MeanPose, part, 0.1)
        : run.Report.Pck(Agreement, part, 0.1) is >= 0 and <= 1;
}
