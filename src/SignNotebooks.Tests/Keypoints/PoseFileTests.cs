using System.Text;
using SignNotebooks.Keypoints;

namespace SignNotebooks.Tests.Keypoints;

/// <summary>
/// pose-format <c>.pose</c> files. The hand-made files are written here byte by byte with BinaryWriter from the
/// format's documented layout (docs/specs/v0.1.md, v0.2.md), independently of <see cref="PoseFile.Write"/>.
/// </summary>
public sealed class PoseFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("signnb-posefile-").FullName;
    public void Dispose() => Directory.Delete(_dir, true);

    private sealed record Comp(string Name, string Format, int Points, (int, int)[]? Limbs = null);

    private static void Str(BinaryWriter w, string s)
    {
        var b = Encoding.UTF8.GetBytes(s);
        w.Write((ushort)b.Length);
        w.Write(b);
    }

    /// <summary>A .pose file by hand: header, then the v0.1 or v0.2 body with value(t, p, k, d) and conf(t, p, k).</summary>
    private string HandMade(string name, float version, Comp[] comps, int frames, int people,
        Func<int, int, int, int, float> value, Func<int, int, int, float> conf, int dropBytes = 0)
    {
        var path = Path.Combine(_dir, name);
        var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(version);
            w.Write((ushort)640); w.Write((ushort)480); w.Write((ushort)0);
            w.Write((ushort)comps.Length);
            foreach (var c in comps)
            {
                Str(w, c.Name); Str(w, c.Format);
                var limbs = c.Limbs ?? [];
                w.Write((ushort)c.Points); w.Write((ushort)limbs.Length); w.Write((ushort)1);
                for (int i = 0; i < c.Points; i++) Str(w, $"{c.Name}_p{i}");
                foreach (var (a, b) in limbs) { w.Write((ushort)a); w.Write((ushort)b); }
                w.Write((ushort)10); w.Write((ushort)20); w.Write((ushort)30);
            }
            if (Math.Abs(version - 0.1f) < 1e-4) { w.Write((ushort)30); w.Write((ushort)frames); }
            else { w.Write(30f); w.Write((uint)frames); }
            w.Write((ushort)people);
            int points = comps.Sum(c => c.Points), dims = comps.Max(c => c.Format.Length) - 1;
            for (int t = 0; t < frames; t++) for (int p = 0; p < people; p++) for (int k = 0; k < points; k++) for (int d = 0; d < dims; d++) w.Write(value(t, p, k, d));
            for (int t = 0; t < frames; t++) for (int p = 0; p < people; p++) for (int k = 0; k < points; k++) w.Write(conf(t, p, k));
        }
        var bytes = ms.ToArray();
        File.WriteAllBytes(path, bytes[..(bytes.Length - dropBytes)]);
        return path;
    }

    private static float V(int t, int p, int k, int d) => 1000 * p + 10 * t + k + 0.25f * d;
    private static float C(int t, int p, int k) => p == 0 ? (k % 7) / 7f : 0.99f;

    [Theory]
    [InlineData(0.1f)]
    [InlineData(0.2f)]
    public void Hand_made_coco_wholebody_file_reads_as_T_133_3_with_confidence_as_score(float version)
    {
        // two components that total 133 points, XYZC (the Z is dropped), two people (the first is read)
        var path = HandMade($"coco-{version}.pose", version, [new("BODY", "XYZC", 23, [(0, 1), (5, 6)]), new("REST", "XYZC", 110)], 4, 2, V, C);
        var pose = PoseFile.Read(path);
        Assert.Equal(4, pose.Frames);
        Assert.Equal(2, pose.People);
        Assert.Equal(3, pose.Dims);
        Assert.Equal(30f, pose.Fps);
        Assert.Equal((640, 480), (pose.Width, pose.Height));
        Assert.Equal(new[] { (0, 1), (5, 6) }, pose.Components[0].Limbs);
        Assert.Equal("BODY_p22", pose.Components[0].Points[22]);
        var (kp, t) = PoseFile.ToWholeBody(pose, path);
        Assert.Equal(4, t);
        Assert.Equal(4 * 133 * 3, kp.Length);
        for (int f = 0; f < 4; f++)
            for (int k = 0; k < 133; k++)
            {
                int o = (f * 133 + k) * 3;
                Assert.Equal(V(f, 0, k, 0), kp[o]);
                Assert.Equal(V(f, 0, k, 1), kp[o + 1]);
                Assert.Equal(C(f, 0, k), kp[o + 2]);
            }
    }

    [Fact]
    public void Hand_made_mediapipe_holistic_file_maps_body_and_hands_and_scores_the_rest_zero()
    {
        // pose-format's holistic order: POSE 33, FACE 468, LEFT_HAND 21, RIGHT_HAND 21
        Comp[] comps = [new("POSE_LANDMARKS", "XYZC", 33), new("FACE_LANDMARKS", "XYZC", 468), new("LEFT_HAND_LANDMARKS", "XYZC", 21), new("RIGHT_HAND_LANDMARKS", "XYZC", 21)];
        var path = HandMade("holistic.pose", 0.2f, comps, 2, 1, V, (t, p, k) => 0.5f + k / 10000f);
        var (kp, frames) = PoseFile.ReadWholeBody(path);
        Assert.Equal(2, frames);
        float X(int t, int k) => kp[(t * 133 + k) * 3];
        float S(int t, int k) => kp[(t * 133 + k) * 3 + 2];
        int[] mpForCoco = [0, 2, 5, 7, 8, 11, 12, 13, 14, 15, 16, 23, 24, 25, 26, 27, 28];
        for (int t = 0; t < 2; t++)
        {
            for (int c = 0; c < 17; c++)
            {
                Assert.Equal(V(t, 0, mpForCoco[c], 0), X(t, c));
                Assert.Equal(0.5f + mpForCoco[c] / 10000f, S(t, c));
            }
            for (int j = 0; j < 21; j++)
            {
                Assert.Equal(V(t, 0, 33 + 468 + j, 0), X(t, 91 + j));
                Assert.Equal(V(t, 0, 33 + 468 + 21 + j, 1), kp[(t * 133 + 112 + j) * 3 + 1]);
                Assert.True(S(t, 112 + j) > 0.5f);
            }
            for (int k = 17; k < 91; k++) Assert.Equal(0f, S(t, k));
        }
        Assert.Equal(0.5f + 15 / 10000f, S(0, 9)); // COCO left_wrist ← MediaPipe 15
    }

    [Fact]
    public void Writer_output_reads_back_identically_and_in_the_documented_layout()
    {
        var rng = new Random(3);
        var kp = Enumerable.Range(0, 5 * 133 * 3).Select(_ => (float)rng.NextDouble() * 300).ToArray();
        for (int i = 2; i < kp.Length; i += 3) kp[i] /= 300;
        var path = Path.Combine(_dir, "rt.pose");
        PoseFile.Write(path, PoseFile.FromWholeBody(kp, 5, 25f, 256, 192));
        var (back, t) = PoseFile.ReadWholeBody(path);
        Assert.Equal(5, t);
        Assert.Equal(kp, back);
        var pose = PoseFile.Read(path);
        Assert.Equal(0.2f, pose.Version);
        Assert.Equal(25f, pose.Fps);
        var comp = Assert.Single(pose.Components);
        Assert.Equal(("COCO-WholeBody", "XYC", 133), (comp.Name, comp.Format, comp.Points.Length));
        Assert.Equal("left_wrist", comp.Points[9]);
        Assert.Contains((91, 92), comp.Limbs);
        Assert.Equal(19 + 6 + 2 * 20, comp.Limbs.Length); // COCO body, feet to ankles, 20 bones per hand
        Assert.All(comp.Limbs, l => Assert.True(l.From is >= 0 and < 133 && l.To is >= 0 and < 133));
        // independent check of the tail: the last float of the file is the last frame's last confidence
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(kp[^1], BitConverter.ToSingle(bytes, bytes.Length - 4));
        Assert.Equal(0.2f, BitConverter.ToSingle(bytes, 0));
        Assert.Equal(5u, BitConverter.ToUInt32(bytes, bytes.Length - 5 * 133 * 4 * 3 - 2 - 4)); // frames, then ushort people
    }

    [Fact]
    public void Truncated_file_names_the_file_what_is_missing_and_the_fix()
    {
        var body = HandMade("cut-body.pose", 0.2f, [new("X", "XYC", 133)], 3, 1, V, C, dropBytes: 10);
        var e = Assert.Throws<InvalidDataException>(() => PoseFile.Read(body));
        Assert.Contains("cut-body.pose", e.Message);
        Assert.Contains("truncated", e.Message);
        Assert.Contains("3 frames", e.Message);
        Assert.Contains("Fix: re-copy or re-export", e.Message);

        var header = Path.Combine(_dir, "cut-header.pose");
        File.WriteAllBytes(header, File.ReadAllBytes(body)[..20]);
        e = Assert.Throws<InvalidDataException>(() => PoseFile.Read(header));
        Assert.Contains("cut-header.pose", e.Message);
        Assert.Contains("truncated", e.Message);
        Assert.Contains("component 0", e.Message);
    }

    [Fact]
    public void Unknown_version_names_the_file_the_version_and_the_fix()
    {
        var path = HandMade("v9.pose", 9.5f, [new("X", "XYC", 133)], 1, 1, V, C);
        var e = Assert.Throws<InvalidDataException>(() => PoseFile.Read(path));
        Assert.Contains("v9.pose", e.Message);
        Assert.Contains("version 9.5", e.Message);
        Assert.Contains("0.1 and 0.2", e.Message);
        Assert.Contains("Fix:", e.Message);
    }

    [Fact]
    public void Unknown_component_layout_is_refused_by_name()
    {
        var path = HandMade("openpose.pose", 0.2f, [new("pose_keypoints_2d", "XYC", 25)], 1, 1, V, C);
        var e = Assert.Throws<InvalidDataException>(() => PoseFile.ReadWholeBody(path));
        Assert.Contains("openpose.pose", e.Message);
        Assert.Contains("pose_keypoints_2d (25 points)", e.Message);
    }
}
