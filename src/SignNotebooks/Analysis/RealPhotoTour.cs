using System.Diagnostics;
using SignNotebooks.Data;
using SignNotebooks.Keypoints;
using SignNotebooks.Pose;
using SignNotebooks.Pose.Holistic;

namespace SignNotebooks.Analysis;

/// <summary>One pose model on a short clip: its first frame with (1, 133, 3) keypoints, and the time per frame over the clip.</summary>
/// <param name="Model">the model, in a few words</param>
/// <param name="Source">what the frames are</param>
/// <param name="Keypoints">the first frame's (133 × 3) keypoints in its pixels</param>
/// <param name="Frames">frames timed</param>
/// <param name="SecondsPerFrame">wall time per frame: models open and run once on a warm-up frame (ONNX Runtime's first run
/// is slow), then the clip from its first frame (Holistic: detection there, tracking after it)</param>
/// <param name="CpuSecondsPerFrame">the process's CPU time per frame over the same span: unlike the wall time, it hardly
/// changes when other work shares the cores</param>
public sealed record PosePicture(string Model, string Source, RgbFrame Frame, float[] Keypoints, int Frames, double SecondsPerFrame,
    double CpuSecondsPerFrame);

/// <summary>Notebook 01's real-photograph view: MediaPipe Holistic on a real photograph next to the corpus pose model.</summary>
/// <param name="Real">Holistic on the photograph; null when it could not run</param>
/// <param name="Missing">why <paramref name="Real"/> is null, with the fix</param>
public sealed record RealPhotoComparison(PosePicture? Real, PosePicture Corpus, string? Missing);

/// <summary>The hand model on a real photograph of a hand (<see cref="RealPhotoTour.Hand"/>).</summary>
/// <param name="Picture">the photograph with the 21 landmarks as the keypoint stream's left hand; null when the models are
/// not here or found no hand</param>
/// <param name="Presence">the hand model's presence score; NaN when the models are not here</param>
/// <param name="Missing">why <paramref name="Picture"/> is null</param>
public sealed record HandPicture(PosePicture? Picture, float Presence, string? Missing);

/// <summary>
/// MediaPipe Holistic (<see cref="HolisticPipeline"/>) on NASA's astronaut portrait, panned as a short video, beside the
/// notebook's pose model on the first frames of a corpus clip. When the MediaPipe models are not converted or the
/// photograph is not installed, the corpus side still runs and <see cref="RealPhotoComparison.Missing"/> says why.
/// </summary>
public static class RealPhotoTour
{
    /// <param name="estimator">the notebook's pose model (SynthSign's by default)</param>
    /// <param name="clip">a corpus clip with frames (SynthSign: synthetic frames)</param>
    /// <param name="frames">frames to time on each side</param>
    public static RealPhotoComparison Run(PoseEstimator estimator, SignClip clip, int frames, int threads = 0)
    {
        int n = Math.Clamp(frames, 1, clip.FrameCount);
        var own = Enumerable.Range(0, n).Select(t => ExtractionTour.FrameOf(clip, t)).ToList();
        KeypointExtractor.Extract(estimator, own.Take(1));   // warm-up
        var (sw, cpu) = (Stopwatch.StartNew(), CpuSeconds());
        var kp = KeypointExtractor.Extract(estimator, own).Keypoints;
        var corpus = new PosePicture(Path.GetFileName(estimator.ModelPath), $"{clip.Name}, {clip.Width}×{clip.Height}", own[0], kp[..(WholeBody.Count * 3)], n, sw.Elapsed.TotalSeconds / n,
            (CpuSeconds() - cpu) / n);

        var (ok, detail) = HolisticAssets.Status();
        if (!ok) return new(null, corpus, $"MediaPipe Holistic is not here ({detail}). Fix: `signnb mediapipe fetch` (environment/setup.sh runs it; needs npm), then run this cell again.");
        string photo;
        try { photo = SampleImages.Astronaut; }
        catch (Util.UserFacingException e) { return new(null, corpus, e.Message); }

        // A 448×448 window panning right over the 512×512 portrait: a short video, tracked from frame to frame.
        var image = FrameFolderReader.Decode(photo);
        int side = Math.Min(448, Math.Min(image.Width, image.Height)), room = image.Width - side;
        var pan = Enumerable.Range(0, n).Select(t => SampleImages.Window(image, n == 1 ? 0 : t * room / (n - 1), (image.Height - side) / 2, side, side)).ToList();
        using var pipeline = new HolisticPipeline(new HolisticOptions(threads));
        pipeline.Process(pan[0]);   // warm-up; Run starts the clip afresh (Reset)
        cpu = CpuSeconds();
        var clipResult = HolisticExtraction.Run(pipeline, pan);
        double cpuPerFrame = (CpuSeconds() - cpu) / n;
        var real = new PosePicture($"MediaPipe Holistic ({HolisticAssets.Package}@{HolisticAssets.Version}, pose_landmark_full, {pipeline.Provider})",
            $"{Path.GetFileName(photo)} (NASA, public domain), {side}×{side} window panned over {image.Width}×{image.Height}",
            pan[0], clipResult.Keypoints[..(WholeBody.Count * 3)], n, clipResult.Seconds / n, cpuPerFrame);
        return new(real, corpus, null);
    }

    /// <summary>
    /// MediaPipe's hand landmark model (the one Holistic runs per hand) on a real photograph of a hand alone
    /// (<see cref="SampleImages.Hand"/>): a rough box around the hand, then the ROI its own landmarks give
    /// (<see cref="HolisticPipeline.HandFrom"/>), timed after one warm-up. The 21 landmarks are written as the
    /// keypoint stream's left-hand points (the photograph shows a left hand). Null with the reason when the MediaPipe
    /// models are not here or no hand is found.
    /// </summary>
    public static HandPicture Hand(int threads = 0)
    {
        var (ok, detail) = HolisticAssets.Status();
        if (!ok) return new(null, float.NaN, $"MediaPipe's hand model is not here ({detail}). Fix: `signnb mediapipe fetch`, then run this cell again.");
        var frame = FrameFolderReader.Decode(SampleImages.Hand);
        var rough = new Roi(frame.Width / 2f, frame.Height / 2f, 0.875f * frame.Width, 0.875f * frame.Width, 0);
        using var pipeline = new HolisticPipeline(new HolisticOptions(threads));
        pipeline.HandFrom(frame, rough);   // warm-up
        var (sw, cpu) = (Stopwatch.StartNew(), CpuSeconds());
        var (hand, presence, _) = pipeline.HandFrom(frame, rough);
        double seconds = sw.Elapsed.TotalSeconds, cpuSeconds = CpuSeconds() - cpu;
        if (hand is null) return new(null, presence, $"the hand model found no hand on {Path.GetFileName(SampleImages.Hand)} (presence {presence:F2})");
        var kp = new float[WholeBody.Count * 3];
        for (int i = 0; i < hand.Length; i++)
        {
            int o = (WholeBody.LeftHand.Start + i) * 3;
            (kp[o], kp[o + 1], kp[o + 2]) = (hand[i].X, hand[i].Y, 1f);
        }
        return new(new PosePicture($"MediaPipe hand_landmark_full ({HolisticAssets.Package}@{HolisticAssets.Version}; 2 passes: a rough box, then the hand's own ROI; presence {presence:F2})",
            $"{Path.GetFileName(SampleImages.Hand)} (OpenCV's documentation, Apache-2.0), {frame.Width}×{frame.Height}", frame, kp, 1, seconds, cpuSeconds), presence, null);
    }

    /// <summary>The hand model found the photograph's hand with presence above 0.9; true when the models are not here
    /// (<see cref="HandClaim"/> then says it was not checked), false when they ran and found no hand.</summary>
    public static bool HandFound(HandPicture r) => float.IsNaN(r.Presence) || (r.Picture is not null && r.Presence > 0.9f);

    /// <summary>The claim <see cref="HandFound"/> checks, or why it was not checked.</summary>
    public static string HandClaim(HandPicture r) => float.IsNaN(r.Presence)
        ? $"MediaPipe's hand model on a real hand: not checked ({r.Missing})"
        : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"MediaPipe's hand model finds the real hand (presence {r.Presence:F2} > 0.9)");

    private static double CpuSeconds() => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;

    /// <summary>
    /// Holistic's keypoints on the photograph fall where a person's are (by coordinates): the nose and both shoulders
    /// scored, the shoulders below the eyes, the person's left shoulder on the image's right (not swapped). True when
    /// Holistic did not run; <see cref="Claim"/> then says so.
    /// </summary>
    public static bool Plausible(RealPhotoComparison c)
    {
        if (c.Real is not { } r) return true;
        var k = r.Keypoints;
        float X(int i) => k[3 * i];
        float Y(int i) => k[3 * i + 1];
        float S(int i) => k[3 * i + 2];
        // COCO-WholeBody body order: 0 nose, 1/2 left/right eye, 5/6 left/right shoulder.
        return S(0) > 0.5f && S(5) > 0.5f && S(6) > 0.5f && Math.Min(Y(5), Y(6)) > Math.Max(Y(1), Y(2)) && X(5) > X(6);
    }

    /// <summary>The claim <see cref="Plausible"/> checks, or why it was not checked.</summary>
    public static string Claim(RealPhotoComparison c) => c.Real is null
        ? $"MediaPipe Holistic on a real photograph: not checked ({c.Missing})"
        : "MediaPipe Holistic on the photograph: nose and shoulders found, shoulders below the eyes, left and right not swapped";
}
