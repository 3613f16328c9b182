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

    private static readonly Lazy<CanonicalFaceModel> Canonical = new(() => CanonicalFaceModel.Load());

    /// <summary>The 68-point groups: jaw, eyebrows, nose, eyes, lips.</summary>
    private static readonly (string Name, int Start, int Count)[] Groups =
        [("jaw", 0, 17), ("eyebrows", 17, 10), ("nose", 27, 9), ("eyes", 36, 12), ("lips", 48, 20)];

    /// <summary>The 68-point scheme's mirror pairs (the person's right, left), from its definition.</summary>
    private static readonly (int R, int L)[] MirrorPairs =
    [
        (0, 16), (1, 15), (2, 14), (3, 13), (4, 12), (5, 11), (6, 10), (7, 9),
        (17, 26), (18, 25), (19, 24), (20, 23), (21, 22), (31, 35), (32, 34),
        (36, 45), (37, 44), (38, 43), (39, 42), (41, 46), (40, 47),
        (48, 54), (49, 53), (50, 52), (59, 55), (58, 56), (60, 64), (61, 63), (67, 65),
    ];

    [Fact]
    public void Face_table_is_reproduced_by_its_derivation_from_MediaPipe_data()
    {
        var derived = Face68Derivation.Derive(Canonical.Value);
        Assert.True(derived.SequenceEqual(HolisticWholeBody.Face68FromMesh),
            $"Face68Derivation gives [{string.Join(", ", derived)}], the table holds [{string.Join(", ", HolisticWholeBody.Face68FromMesh)}]");
    }

    [Fact]
    public void Committed_MediaPipe_data_has_the_mesh_and_the_contour_sizes()
    {
        var m = Canonical.Value;
        Assert.Equal(468, m.Vertices.Count);
        var edges = new Dictionary<string, int>
        {
            ["FACEMESH_LIPS"] = 40, ["FACEMESH_LEFT_EYE"] = 16, ["FACEMESH_RIGHT_EYE"] = 16, ["FACEMESH_LEFT_EYEBROW"] = 8,
            ["FACEMESH_RIGHT_EYEBROW"] = 8, ["FACEMESH_FACE_OVAL"] = 36, ["FACEMESH_NOSE"] = 25,
        };
        foreach (var (name, n) in edges) Assert.Equal((name, n), (name, m.Contours[name].Length));
        // The person's right eye (MediaPipe's RIGHT_EYE) lies at negative x, like a frontal image's left.
        Assert.True(m.Contours["FACEMESH_RIGHT_EYE"].All(e => m.Vertices[e.A].X < 0 && m.Vertices[e.B].X < 0));
    }

    [Fact]
    public void Face_table_means_the_68_points_on_the_canonical_face()
    {
        var v = Canonical.Value.Vertices;
        var t = HolisticWholeBody.Face68FromMesh;
        Assert.Equal(68, t.Count);
        Assert.All(t, i => Assert.InRange(i, 0, 467));
        Assert.Equal(68, t.Distinct().Count());
        foreach (var a in Groups)
            foreach (var b in Groups.Where(b => b.Start > a.Start))
                Assert.Empty(t.Skip(a.Start).Take(a.Count).Intersect(t.Skip(b.Start).Take(b.Count)));
        // Each group sits on its MediaPipe contour.
        var contours = Canonical.Value.Contours;
        HashSet<int> On(params string[] names) => names.SelectMany(n => contours[n]).SelectMany(e => new[] { e.A, e.B }).ToHashSet();
        Assert.Subset(On("FACEMESH_FACE_OVAL"), t.Take(17).ToHashSet());
        Assert.Subset(On("FACEMESH_RIGHT_EYEBROW"), t.Skip(17).Take(5).ToHashSet());
        Assert.Subset(On("FACEMESH_LEFT_EYEBROW"), t.Skip(22).Take(5).ToHashSet());
        Assert.Subset(On("FACEMESH_NOSE"), t.Skip(27).Take(9).ToHashSet());
        Assert.Subset(On("FACEMESH_RIGHT_EYE"), t.Skip(36).Take(6).ToHashSet());
        Assert.Subset(On("FACEMESH_LEFT_EYE"), t.Skip(42).Take(6).ToHashSet());
        Assert.Subset(On("FACEMESH_LIPS"), t.Skip(48).Take(20).ToHashSet());

        // A frontal image of the model: x as in the model (the person's right at smaller x), y down.
        double X(int k) => v[t[k]].X;
        double Y(int k) => -v[t[k]].Y;
        double MaxY(int from, int n) => Enumerable.Range(from, n).Max(Y);
        double MinY(int from, int n) => Enumerable.Range(from, n).Min(Y);

        // Jaw: along x from ear to chin to ear, going down to the chin and up again; below the eyes.
        for (int k = 0; k < 16; k++) Assert.True(X(k) < X(k + 1), $"jaw x at {k}");
        for (int k = 0; k < 8; k++) Assert.True(Y(k) < Y(k + 1) && Y(16 - k) < Y(15 - k), $"jaw y at {k}");
        Assert.True(Enumerable.Range(0, 68).All(k => Y(k) <= Y(8)), "the chin is the lowest point");
        Assert.True(MinY(1, 15) > MaxY(36, 12), "jaw 1–15 below the eyes");
        Assert.True(Math.Min(Y(0), Y(16)) > new[] { 36, 39, 42, 45 }.Max(Y), "jaw ends below the eye corners");
        // The person's right at smaller x; the canonical face is symmetric, so mirror pairs mirror exactly.
        foreach (var (r, l) in MirrorPairs)
        {
            Assert.True(X(r) < X(l), $"{r} right of {l}");
            Assert.Equal(-X(l), X(r), 1e-6);
            Assert.Equal(Y(l), Y(r), 1e-6);
        }
        foreach (var k in new[] { 8, 27, 28, 29, 30, 33, 51, 57, 62, 66 }) Assert.Equal(0, X(k), 1e-6);
        // Brows above eyes; the brows and eyes listed along x.
        Assert.True(MaxY(17, 10) < MinY(36, 12), "brows above the eyes");
        for (int k = 17; k < 26; k++) if (k != 21) Assert.True(X(k) < X(k + 1), $"brow x at {k}");
        foreach (int e in new[] { 36, 42 })
        {
            var inner = new[] { e + 1, e + 2, e + 4, e + 5 };
            Assert.True(inner.All(k => X(e) < X(k) && X(k) < X(e + 3)), $"eye corners {e}, {e + 3} outside the lids");
            Assert.True(Y(e + 1) < Y(e + 5) && Y(e + 2) < Y(e + 4), $"upper lid above lower lid (eye {e})");
        }
        // Nose: the bridge runs down to the tip (the most forward point), the nostrils below it; eyes above the tip.
        for (int k = 27; k < 30; k++) Assert.True(Y(k) < Y(k + 1), $"bridge at {k}");
        Assert.Equal(Enumerable.Range(27, 9).Max(k => v[t[k]].Z), v[t[30]].Z);
        Assert.True(MinY(31, 5) > Y(30) && MaxY(36, 12) < Y(30), "eyes above the tip above the nostrils");
        Assert.True(X(31) < X(32) && X(32) < X(33) && X(33) < X(34) && X(34) < X(35), "nostrils along x");
        // Mouth below the nose; lips stacked at the midline; inner corners inside the outer ones.
        Assert.True(MinY(48, 20) > MaxY(27, 9), "mouth below the nose");
        Assert.True(Y(51) < Y(62) && Y(62) < Y(66) && Y(66) < Y(57), "upper lip over the inner lips over the lower lip");
        Assert.True(Y(50) < Y(51) && Y(52) < Y(51), "Cupid's bow peaks above the upper lip's centre");
        Assert.True(X(48) < X(60) && X(64) < X(54), "inner mouth corners inside the outer ones");
        for (int k = 48; k < 54; k++) Assert.True(X(k) < X(k + 1), $"upper lip x at {k}");
        for (int k = 54; k < 59; k++) Assert.True(X(k) > X(k + 1), $"lower lip x at {k}");
    }

    [Fact]
    public void Damaged_MediaPipe_data_is_reported_with_its_file_and_line()
    {
        var dir = Directory.CreateTempSubdirectory("facemesh").FullName;
        try
        {
            var e = Assert.Throws<SignNotebooks.Util.UserFacingException>(() => CanonicalFaceModel.Load(dir));
            Assert.Contains(CanonicalFaceModel.ObjFile, e.Message);
            Assert.Contains("git checkout", e.Message);
            File.Copy(Path.Combine(CanonicalFaceModel.DefaultFolder, CanonicalFaceModel.ObjFile), Path.Combine(dir, CanonicalFaceModel.ObjFile));
            File.WriteAllLines(Path.Combine(dir, CanonicalFaceModel.ContoursFile), ["# header", "FACEMESH_LIPS 61-146 146-x91"]);
            e = Assert.Throws<SignNotebooks.Util.UserFacingException>(() => CanonicalFaceModel.Load(dir));
            Assert.Contains("line 2 (FACEMESH_LIPS): '146-x91'", e.Message);
        }
        finally { Directory.Delete(dir, true); }
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
        // Face 27 (nose bridge) ← its mesh vertex; face 8 (chin) = mesh 152, the face oval's lowest vertex.
        Assert.Equal(300f + HolisticWholeBody.Face68FromMesh[27], kp[(WholeBody.Face.Start + 27) * 3]);
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
