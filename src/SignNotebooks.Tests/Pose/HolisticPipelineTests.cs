using SignNotebooks.Keypoints;
using SignNotebooks.Pose;
using SignNotebooks.Pose.Holistic;
using Xunit.Abstractions;

namespace SignNotebooks.Tests.Pose;

/// <summary>Skips outside CI when the MediaPipe models are not converted (CI's set-up converts them: then it fails loudly).</summary>
public sealed class HolisticFactAttribute : FactAttribute
{
    public HolisticFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("CI") is { Length: > 0 }) return;
        var (ok, detail) = HolisticAssets.Status();
        if (!ok) Skip = "MediaPipe models missing: " + detail + " (signnb mediapipe fetch)";
        else if (!File.Exists("/usr/lib/python3/dist-packages/imageio/resources/images/astronaut.png")
                 && !File.Exists("/usr/lib/python3/dist-packages/skimage/data/astronaut.png"))
            Skip = "astronaut.png missing (environment/setup.sh --test installs python3-imageio)";
    }
}

/// <summary>
/// The whole Holistic pipeline on a real photograph (NASA's astronaut portrait, 512×512): plausibility by
/// coordinates, and tracking on a video made by panning over it.
/// </summary>
public sealed class HolisticPipelineTests(ITestOutputHelper output)
{
    private static RgbFrame Astronaut() => FrameFolderReader.Decode(SampleImages.Astronaut);

    [HolisticFact]
    public void Astronaut_landmarks_fall_where_a_person_is()
    {
        var frame = Astronaut();
        using var p = new HolisticPipeline(new HolisticOptions(Threads: 1, Track: false));
        var r = p.Process(frame);
        Assert.NotNull(r.Pose);
        var pose = r.Pose!;
        output.WriteLine($"pose score {r.PoseScore:F3}, face score {r.FaceScore:F3}, hands {r.LeftHandScore:F3}/{r.RightHandScore:F3}");
        foreach (var i in new[] { 0, 2, 5, 11, 12, 15, 16 }) output.WriteLine($"pose {i}: ({pose[i].X:F1}, {pose[i].Y:F1}) vis {pose[i].Visibility:F2}");
        var box = r.FaceDetection ?? throw new Xunit.Sdk.XunitException("the face detector found no face in the ROI from the pose");
        output.WriteLine($"face box x {box.XMin:F1}–{box.XMax:F1}, y {box.YMin:F1}–{box.YMax:F1}");

        // The nose inside the face detector's box.
        Assert.InRange(pose[0].X, box.XMin, box.XMax);
        Assert.InRange(pose[0].Y, box.YMin, box.YMax);
        // Both shoulders below both eyes (image y grows downwards), by at least a quarter of the face height.
        float eyesY = Math.Max(pose[2].Y, pose[5].Y);
        Assert.True(Math.Min(pose[11].Y, pose[12].Y) > eyesY + box.Height / 4, $"shoulders at y {pose[11].Y:F0}/{pose[12].Y:F0}, eyes at {eyesY:F0}");
        // She faces the camera: her left side (MediaPipe 2 eye, 11 shoulder) is on the image's right.
        Assert.True(pose[2].X > pose[5].X, "left eye should be right of the right eye in the image");
        Assert.True(pose[11].X > pose[12].X + box.Width, "left shoulder should be right of the right shoulder");
        // The shoulders are wider apart than the face.
        Assert.True(pose[11].X - pose[12].X > box.Width);

        // The face mesh: all 468 points inside the face box grown by 25 % per side (the mesh reaches the forehead and
        // the jaw line, which BlazeFace's box cuts), and most of them inside the box itself.
        var face = r.Face ?? throw new Xunit.Sdk.XunitException($"no face mesh (score {r.FaceScore:F3})");
        float mx = box.Width / 4, my = box.Height / 4;
        Assert.All(face, l => { Assert.InRange(l.X, box.XMin - mx, box.XMax + mx); Assert.InRange(l.Y, box.YMin - my, box.YMax + my); });
        int inside = face.Count(l => l.X >= box.XMin && l.X <= box.XMax && l.Y >= box.YMin && l.Y <= box.YMax);
        output.WriteLine($"face mesh: {inside}/468 inside the detector's box");
        Assert.True(inside > 468 * 0.7, $"{inside}/468 mesh points inside the face box");
        // Mesh and pose agree on the nose tip (mesh 1) and the eyes (mesh 33 = right eye's outer corner, 263 = left's).
        Assert.True(Dist(face[1], pose[0]) < box.Width / 4, $"mesh nose {face[1].X:F0},{face[1].Y:F0} vs pose nose {pose[0].X:F0},{pose[0].Y:F0}");
        Assert.True(face[263].X > face[33].X);

        // COCO-WholeBody: nose, eyes, shoulders carried over; face 68 inside the box; feet score 0.
        var kp = new float[WholeBody.Count * 3];
        HolisticWholeBody.Write(r, kp, 0);
        Assert.Equal(pose[0].X, kp[0]);
        Assert.Equal(pose[11].X, kp[5 * 3]);
        for (int k = WholeBody.Feet.Start; k < WholeBody.Feet.Start + WholeBody.Feet.Count; k++) Assert.Equal(0f, kp[k * 3 + 2]);
        for (int k = 0; k < 68; k++)
        {
            int o = (WholeBody.Face.Start + k) * 3;
            Assert.InRange(kp[o], box.XMin - mx, box.XMax + mx);
            Assert.True(kp[o + 2] > 0.5f);
        }
        // The face-68 table's semantics on the real mesh (300-W order): the jaw runs from the image's left (the
        // person's right) to its right with the chin (8) lowest; brows above eyes above the nose tip above the mouth.
        float Fx(int k) => kp[(WholeBody.Face.Start + k) * 3];
        float Fy(int k) => kp[(WholeBody.Face.Start + k) * 3 + 1];
        Assert.True(Fx(0) < Fx(8) && Fx(8) < Fx(16), "jaw order");
        Assert.True(Enumerable.Range(0, 17).All(k => Fy(k) <= Fy(8) + 1e-3f), "chin is the jaw's lowest point");
        Assert.True(Enumerable.Range(17, 10).Max(Fy) < Enumerable.Range(36, 12).Min(Fy), "brows above the eyes");
        Assert.True(Enumerable.Range(36, 12).Max(Fy) < Fy(30), "eyes above the nose tip");
        Assert.True(Fy(30) < Enumerable.Range(48, 20).Min(Fy), "nose tip above the mouth");
        Assert.True(Enumerable.Range(36, 6).Max(Fx) < Enumerable.Range(42, 6).Min(Fx), "right eye (36–41) on the image's left");
        Assert.True(Fx(48) < Fx(54), "mouth corners");
    }

    [HolisticFact]
    public void Video_mode_tracks_the_person_across_a_pan_and_the_landmarks_follow_it()
    {
        var image = Astronaut();
        using var p = new HolisticPipeline(new HolisticOptions(Threads: 1));
        // A 448×448 window panning right by 8 px per frame: the person moves left by 8 px per frame.
        var results = new List<HolisticResult>();
        for (int t = 0; t < 4; t++) results.Add(p.Process(SampleImages.Window(image, 8 * t, 32, 448, 448)));
        Assert.All(results, r => Assert.NotNull(r.Pose));
        Assert.True(results[0].PoseRedetected);
        Assert.All(results.Skip(1), r => Assert.False(r.PoseRedetected));   // ROI from the previous frame's landmarks
        foreach (var r in results)
            output.WriteLine($"nose x {r.Pose![0].X:F2}, pose ROI centre ({r.PoseRoi!.Value.CenterX:F1}, {r.PoseRoi.Value.CenterY:F1}) size {r.PoseRoi.Value.Width:F1} rotation {r.PoseRoi.Value.Rotation:F3}, detected {r.PoseRedetected}");
        // Frame 0's ROI comes from the detector, the others from the previous landmarks (a different crop, so the
        // first step may differ by more); between tracked frames the landmarks move with the content.
        for (int t = 2; t < results.Count; t++)
        {
            float dx = results[t].Pose![0].X - results[t - 1].Pose![0].X;
            output.WriteLine($"frame {t}: nose moved {dx:F2} px (window moved +8)");
            Assert.InRange(dx, -8 - 4f, -8 + 4f);
        }
        // The tracked ROI follows the content too.
        Assert.InRange(results[3].PoseRoi!.Value.CenterX - results[2].PoseRoi!.Value.CenterX, -8 - 6f, -8 + 6f);
        // After Reset the next frame detects again.
        p.Reset();
        Assert.True(p.Process(SampleImages.Window(image, 0, 32, 448, 448)).PoseRedetected);
        // A black frame: no person, and the next frame must detect again.
        var none = p.Process(new RgbFrame(448, 448, new byte[448 * 448 * 3]));
        Assert.Null(none.Pose);
        Assert.True(p.Process(SampleImages.Window(image, 0, 32, 448, 448)).PoseRedetected);
    }

    private static float Dist(Landmark a, Landmark b) => MathF.Sqrt((a.X - b.X) * (a.X - b.X) + (a.Y - b.Y) * (a.Y - b.Y));
}
