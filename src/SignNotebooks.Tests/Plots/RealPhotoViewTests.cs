using SignNotebooks.Analysis;
using SignNotebooks.Keypoints;
using SignNotebooks.Plots;
using SignNotebooks.Pose;

namespace SignNotebooks.Tests.Plots;

/// <summary>Notebook 01's real-photograph figure (<see cref="PoseViews.RealPhoto"/>) on hand-made pictures.</summary>
public sealed class RealPhotoViewTests
{
    private static RgbFrame Grey(int w, int h) => new(w, h, Enumerable.Repeat((byte)90, w * h * 3).ToArray());

    // A body: nose, eyes, shoulders at (x, y) in frame pixels, score 1; everything else score 0 (not drawn).
    private static float[] Body(params (int K, float X, float Y)[] points)
    {
        var kp = new float[WholeBody.Count * 3];
        foreach (var (k, x, y) in points) (kp[3 * k], kp[3 * k + 1], kp[3 * k + 2]) = (x, y, 1);
        return kp;
    }

    private static readonly float[] Person = Body((0, 50, 20), (1, 55, 15), (2, 45, 15), (5, 70, 50), (6, 30, 50));

    private static RgbFrame DecodePng(SynthImage image)
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("signnb-realphoto-").FullName, "view.png");
        image.SavePng(file);
        try { return FrameFolderReader.Decode(file); }
        finally { Directory.Delete(Path.GetDirectoryName(file)!, true); }
    }

    [Fact]
    public void Both_sides_are_drawn_with_their_landmarks_and_times()
    {
        var c = new RealPhotoComparison(
            new PosePicture("MediaPipe Holistic", "astronaut.png", Grey(100, 80), Person, 4, 0.05, 0.06),
            new PosePicture("synthsign-tiny.onnx", "dev_0000, 20×20", Grey(20, 20), Body((0, 10, 5), (5, 14, 12), (6, 6, 12)), 4, 0.002, 0.003),
            null);
        var png = DecodePng(PoseViews.RealPhotoImage(c));
        int scale = 4;   // 80 px high / 20 px, rounded
        Assert.Equal(100 + 8 + 20 * scale, png.Width);
        Assert.Equal(80, png.Height);
        // Not blank: the real side's landmarks are drawn over its grey frame, and the corpus side's over its own.
        int Drawn(int x0, int x1, int h) => Enumerable.Range(0, h).Sum(y => Enumerable.Range(x0, x1 - x0).Count(x => Enumerable.Range(0, 3).Any(ch => png.Rgb[(y * png.Width + x) * 3 + ch] != 90)));
        Assert.True(Drawn(0, 100, 80) > 50, "real side has its landmarks drawn");
        Assert.True(Drawn(108, png.Width, 80) > 20, "corpus side has its landmarks drawn");
        var nose = (20 * png.Width + 50) * 3;
        Assert.NotEqual((byte)90, png.Rgb[nose]);   // a dot on the nose
        var view = PoseViews.RealPhoto(c);
        Assert.Contains("50.0 ms per frame (20.0 frames/s, 4 frames; 60.0 ms CPU per frame", view.Html);
        Assert.Contains("2.0 ms per frame", view.Html);
        Assert.Contains("<img src=\"data:image/png;base64,", view.Html);
        Assert.True(RealPhotoTour.Plausible(c));
        // Left and right shoulders exchanged: not plausible.
        var swapped = c with { Real = c.Real! with { Keypoints = Body((0, 50, 20), (1, 55, 15), (2, 45, 15), (5, 30, 50), (6, 70, 50)) } };
        Assert.False(RealPhotoTour.Plausible(swapped));
    }

    [Fact]
    public void Without_the_real_model_the_view_says_why_and_shows_the_corpus_side()
    {
        var c = new RealPhotoComparison(null, new PosePicture("synthsign-tiny.onnx", "dev_0000, 20×20", Grey(20, 20), Body((0, 10, 5)), 2, 0.001, 0.001),
            "MediaPipe Holistic is not here (8 of 8 models not converted). Fix: `signnb mediapipe fetch`.");
        var image = PoseViews.RealPhotoImage(c);
        Assert.Equal((20 * 13, 20 * 13), (image.Width, image.Height));   // 256 px high / 20, rounded
        var view = PoseViews.RealPhoto(c);
        Assert.Contains("Fix: `signnb mediapipe fetch`", view.Html);
        Assert.Contains("Fix: `signnb mediapipe fetch`", view.Text);
        Assert.True(RealPhotoTour.Plausible(c));
        Assert.Contains("not checked", RealPhotoTour.Claim(c));
    }

    [Fact]
    public void The_hand_view_draws_the_hand_and_its_check_fails_when_the_model_finds_no_hand()
    {
        var kp = new float[WholeBody.Count * 3];
        for (int i = 0; i < 21; i++) (kp[(WholeBody.LeftHand.Start + i) * 3], kp[(WholeBody.LeftHand.Start + i) * 3 + 1], kp[(WholeBody.LeftHand.Start + i) * 3 + 2]) = (10 + 3 * i, 40, 1);
        var found = new HandPicture(new PosePicture("MediaPipe hand_landmark_full", "opencv-hand.jpg", Grey(80, 80), kp, 1, 0.03, 0.04), 0.99f, null);
        var view = PoseViews.RealHand(found);
        Assert.Contains("<img src=\"data:image/png;base64,", view.Html);
        Assert.Contains("30.0 ms for both passes (40.0 ms CPU)", view.Html);
        Assert.True(RealPhotoTour.HandFound(found));
        Assert.Contains("finds the real hand (presence 0.99", RealPhotoTour.HandClaim(found));
        // The models ran and found no hand: the notebook's check fails.
        var none = new HandPicture(null, 0.2f, "the hand model found no hand on opencv-hand.jpg (presence 0.20)");
        Assert.False(RealPhotoTour.HandFound(none));
        Assert.Contains("found no hand", PoseViews.RealHand(none).Html);
        // The models are not here: not checked, and the view says how to get them.
        var absent = new HandPicture(null, float.NaN, "MediaPipe's hand model is not here (8 of 8 models not converted). Fix: `signnb mediapipe fetch`, then run this cell again.");
        Assert.True(RealPhotoTour.HandFound(absent));
        Assert.Contains("not checked", RealPhotoTour.HandClaim(absent));
        Assert.Contains("signnb mediapipe fetch", PoseViews.RealHand(absent).Text);
    }
}
