using SignNotebooks.Keypoints;
using SignNotebooks.Pose.Holistic;

namespace SignNotebooks.Tests.Pose;

/// <summary>Holistic landmarks → (133, 3) COCO-WholeBody and the raw (543, 5) layout, on hand-made landmarks.</summary>
public sealed class HolisticWholeBodyTests
{
    private static Landmark[] Points(int n, float offset, float vis = 0.9f) =>
        Enumerable.Range(0, n).Select(i => new Landmark(offset + i, 1000 + offset + i, -i, vis, 0.8f)).ToArray();

    private static HolisticResult Result(Landmark[]? pose, Landmark[]? left, Landmark[]? right, Landmark[]? face) =>
        new(pose, left, right, face, null, null, null, null, null, 1f, 0.7f, 0.6f, 0.95f, false);

    [Fact]
    public void Face_table_has_68_points_of_the_468_mesh()
    {
        Assert.Equal(68, HolisticWholeBody.Face68FromMesh.Count);
        Assert.All(HolisticWholeBody.Face68FromMesh, idx => Assert.All(idx, i => Assert.InRange(i, 0, 467)));
        // Every face point has its own source (no two 300-W points read the same mesh points).
        Assert.Equal(68, HolisticWholeBody.Face68FromMesh.Select(idx => string.Join(",", idx)).Distinct().Count());
    }

    [Fact]
    public void Body_hands_and_face_land_on_their_coco_indices_with_their_scores()
    {
        var r = Result(Points(33, 0), Points(21, 100), Points(21, 200), Points(468, 300));
        var kp = new float[WholeBody.Count * 3];
        HolisticWholeBody.Write(r, kp, 0);
        // COCO 5 left shoulder ← MediaPipe 11; score = visibility.
        Assert.Equal((11f, 1011f, 0.9f), (kp[15], kp[16], kp[17]));
        Assert.Equal(28f, kp[16 * 3]);   // COCO 16 right ankle ← MP 28
        // Hands 1:1 with the hand's score.
        Assert.Equal(100f + 7, kp[(WholeBody.LeftHand.Start + 7) * 3]);
        Assert.Equal(0.7f, kp[(WholeBody.LeftHand.Start + 7) * 3 + 2]);
        Assert.Equal(200f + 20, kp[(WholeBody.RightHand.Start + 20) * 3]);
        Assert.Equal(0.6f, kp[(WholeBody.RightHand.Start + 20) * 3 + 2]);
        // Face 27 (nose bridge) = mean of mesh 168 and 6; face 8 (chin) = mesh 152.
        Assert.Equal(300f + (168 + 6) / 2f, kp[(WholeBody.Face.Start + 27) * 3], 1e-3f);
        Assert.Equal(300f + 152, kp[(WholeBody.Face.Start + 8) * 3]);
        Assert.Equal(0.95f, kp[(WholeBody.Face.Start + 8) * 3 + 2]);
        // Feet have no counterpart: score 0.
        for (int k = WholeBody.Feet.Start; k < WholeBody.Feet.Start + WholeBody.Feet.Count; k++) Assert.Equal(0f, kp[k * 3 + 2]);
    }

    [Fact]
    public void Missing_parts_score_zero_and_raw_landmarks_are_nan()
    {
        var kp = Enumerable.Repeat(7f, WholeBody.Count * 3 * 2).ToArray();
        HolisticWholeBody.Write(Result(Points(33, 0), null, Points(21, 200), null), kp, WholeBody.Count * 3);
        Assert.Equal(7f, kp[0]);   // the previous frame is untouched
        int o = WholeBody.Count * 3;
        for (int k = 0; k < 21; k++) Assert.Equal(0f, kp[o + (WholeBody.LeftHand.Start + k) * 3 + 2]);
        for (int k = 0; k < 68; k++) Assert.Equal(0f, kp[o + (WholeBody.Face.Start + k) * 3 + 2]);
        Assert.True(kp[o + (WholeBody.RightHand.Start) * 3 + 2] > 0);

        var raw = new float[HolisticWholeBody.RawPoints * 5];
        HolisticWholeBody.WriteRaw(Result(Points(33, 0), null, Points(21, 200), null), raw, 0);
        Assert.Equal(543, HolisticWholeBody.RawPoints);
        Assert.Equal(new[] { 32f, 1032f, -32f, 0.9f, 0.8f }, raw[(32 * 5)..(33 * 5)]);
        Assert.True(float.IsNaN(raw[33 * 5]));                       // left hand missing
        Assert.Equal(200f, raw[(33 + 21) * 5]);                      // right hand's wrist
        Assert.True(float.IsNaN(raw[(33 + 42) * 5]));                // face missing
    }

    [Fact]
    public void Landmarks_project_through_the_roi_with_sigmoid_scores()
    {
        // One landmark at the centre of a 256² input, one at its top-left corner; ROI 100×100 turned by 90°.
        float[] v = [128, 128, 25.6f, 0, 100, 0, 0, 0, -100, 0];
        var roi = new Roi(50, 60, 100, 100, MathF.PI / 2);
        var l = HolisticPipeline.Project(v, 2, 5, 256, 256, roi);
        Assert.Equal(50f, l[0].X, 1e-3f);
        Assert.Equal(60f, l[0].Y, 1e-3f);
        Assert.Equal(10f, l[0].Z, 1e-3f);            // 25.6/256 of the ROI width
        Assert.Equal(0.5f, l[0].Visibility, 1e-6f);
        Assert.Equal(1f, l[0].Presence, 1e-6f);
        Assert.Equal(0f, l[1].Visibility, 1e-6f);
        // (u, v) = (0, 0) is (−50, −50) from the centre; turned by 90° it is (+50, −50).
        Assert.Equal(100f, l[1].X, 1e-3f);
        Assert.Equal(10f, l[1].Y, 1e-3f);
    }
}
