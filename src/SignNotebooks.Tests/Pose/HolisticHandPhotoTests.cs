using SignNotebooks.Pose;
using SignNotebooks.Pose.Holistic;
using Xunit.Abstractions;

namespace SignNotebooks.Tests.Pose;

/// <summary>
/// MediaPipe's hand landmark model (the one Holistic runs for each hand) on a real photograph of a hand: OpenCV's
/// `handSrc.jpg` (data/sample-images/), an open left hand, palm up, fingers pointing right, wrist off the left edge.
/// The expected fingertip positions were read off the photograph on a 40-pixel grid before the model ran; the model
/// must put each fingertip within 30 pixels of them (a finger is ~50 pixels wide there).
/// </summary>
public sealed class HolisticHandPhotoTests(ITestOutputHelper output)
{
    // MediaPipe hand landmarks: 0 wrist; 4, 8, 12, 16, 20 the tips of thumb, index, middle, ring and little finger;
    // 5, 9, 13, 17 the knuckles (MCP) of the four fingers.
    private static readonly (int Landmark, string Name, float X, float Y)[] Tips =
    [
        (4, "thumb tip", 258, 25), (8, "index tip", 490, 140), (12, "middle tip", 545, 258), (16, "ring tip", 522, 322), (20, "little tip", 435, 432),
    ];

    [HolisticFact]
    public void The_hand_landmark_model_finds_each_fingertip_of_a_real_hand()
    {
        var frame = FrameFolderReader.Decode(SampleImages.Hand);
        Assert.Equal((640, 480), (frame.Width, frame.Height));
        using var p = new HolisticPipeline(new HolisticOptions(Threads: 1));
        // A rough square around the whole hand, not turned: the first pass only has to find the hand well enough for
        // the second to take the hand's own turned ROI, as tracking does between frames.
        var (hand, score, roi) = p.HandFrom(frame, new Roi(320, 240, 560, 560, 0));
        output.WriteLine($"presence {score:F3}; ROI centre ({roi.CenterX:F0}, {roi.CenterY:F0}), {roi.Width:F0}×{roi.Height:F0}, turned {roi.Rotation * 180 / MathF.PI:F0}°");
        Assert.NotNull(hand);
        for (int i = 0; i < 21; i++) output.WriteLine($"landmark {i,2}: ({hand![i].X:F0}, {hand[i].Y:F0})");
        Assert.True(score > 0.9f, $"hand presence {score:F3}");
        foreach (var (k, name, x, y) in Tips)
        {
            float d = MathF.Sqrt((hand![k].X - x) * (hand[k].X - x) + (hand[k].Y - y) * (hand[k].Y - y));
            Assert.True(d <= 30, $"{name} (landmark {k}) at ({hand[k].X:F0}, {hand[k].Y:F0}), {d:F0} px from ({x}, {y}) on the photograph");
        }
        // The wrist is left of every knuckle, and each finger's tip is farther from the wrist than its knuckle.
        foreach (int mcp in new[] { 5, 9, 13, 17 })
        {
            Assert.True(hand![0].X < hand[mcp].X, $"wrist x {hand[0].X:F0} vs knuckle {mcp} x {hand[mcp].X:F0}");
            Assert.True(Dist(hand[0], hand[mcp + 3]) > Dist(hand[0], hand[mcp]), $"finger {mcp}: tip not beyond the knuckle");
        }
    }

    [HolisticFact]
    public void The_hand_presence_score_rejects_the_empty_table_beside_the_hand()
    {
        var frame = FrameFolderReader.Decode(SampleImages.Hand);
        using var p = new HolisticPipeline(new HolisticOptions(Threads: 1));
        // The bare table top right of the fingers (x 560–640, y 0–100 on the photograph holds no part of the hand).
        var (hand, score) = p.HandLandmarks(frame, new Roi(595, 45, 90, 90, 0));
        output.WriteLine($"presence on the table {score:F3}");
        Assert.Null(hand);
        Assert.True(score <= 0.5f);
    }

    private static float Dist(Landmark a, Landmark b) => MathF.Sqrt((a.X - b.X) * (a.X - b.X) + (a.Y - b.Y) * (a.Y - b.Y));
}
