using SignNotebooks.Data;
using SignNotebooks.Synthetic;

namespace SignNotebooks.Tests.Synthetic;

public class SynthLayoutTests(TinyCorpus corpus) : IClassFixture<TinyCorpus>
{
    private static (float X, float Y) P(float[] kp, int t, int k) => (kp[(t * 133 + k) * 3], kp[(t * 133 + k) * 3 + 1]);
    private static double D((float X, float Y) a, (float X, float Y) b) => Math.Sqrt((a.X - b.X) * (a.X - b.X) + (a.Y - b.Y) * (a.Y - b.Y));

    [Fact]
    public void Layout_has_the_coco_wholebody_part_sizes()
    {
        Assert.Equal(133, SynthLayout.Count);
        Assert.Equal(SignClip.WholeBodyKeypoints, SynthLayout.Count);
        Assert.Equal(133, SynthLayout.Parts.Values.Sum(p => p.Count));
        Assert.Equal((91, 21), SynthLayout.Parts["left_hand"]);
        Assert.Equal((112, 21), SynthLayout.Parts["right_hand"]);
        Assert.Equal((23, 68), SynthLayout.Parts["face"]);
        Assert.All(SynthLayout.Bones, b => Assert.InRange(b.A, 0, 132));
        Assert.All(SynthLayout.Bones, b => Assert.InRange(b.B, 0, 132));
    }

    [Fact]
    public void Hands_are_attached_to_the_wrists_and_fingers_stay_near_them()
    {
        foreach (var clip in corpus.Clips["train"].Take(12))
            for (int t = 0; t < clip.FrameCount; t++)
            {
                var kp = clip.CleanKeypoints;
                Assert.Equal(P(kp, t, SynthLayout.LeftWrist), P(kp, t, SynthLayout.LeftHandStart));
                Assert.Equal(P(kp, t, SynthLayout.RightWrist), P(kp, t, SynthLayout.RightHandStart));
                double handPx = clip.Signer.HandLength * clip.Height * 1.15;   // zoom ≤ 1.08 × drift
                for (int j = 1; j < 21; j++)
                {
                    Assert.True(D(P(kp, t, SynthLayout.LeftWrist), P(kp, t, SynthLayout.LeftHandStart + j)) < handPx, $"{clip.Name} t={t} left joint {j}");
                    Assert.True(D(P(kp, t, SynthLayout.RightWrist), P(kp, t, SynthLayout.RightHandStart + j)) < handPx, $"{clip.Name} t={t} right joint {j}");
                }
                // Bones may shorten in projection (pointing at the camera) but never stretch.
                double fore = D(P(kp, t, SynthLayout.RightElbow), P(kp, t, SynthLayout.RightWrist)) / clip.Height;
                double upper = D(P(kp, t, SynthLayout.RightElbow), P(kp, t, SynthLayout.RightShoulder)) / clip.Height;
                Assert.InRange(fore, 0, clip.Signer.Forearm * 1.15);
                Assert.InRange(upper, 0, clip.Signer.UpperArm * 1.15);
            }
    }

    [Fact]
    public void Face_is_around_the_nose_and_the_dominant_hand_rests_on_the_image_left()
    {
        foreach (var clip in corpus.Clips["dev"])
        {
            var kp = clip.CleanKeypoints;
            double r = clip.Signer.HeadRadius * clip.Height * 1.15;
            for (int t = 0; t < clip.FrameCount; t++)
                for (int i = 0; i < 68; i++)
                    Assert.True(D(P(kp, t, SynthLayout.Nose), P(kp, t, SynthLayout.FaceStart + i)) < 1.6 * r);
            // Signer's right (COCO "right_wrist") faces the camera, so it is on the image's left.
            Assert.True(P(kp, 0, SynthLayout.RightWrist).X < P(kp, 0, SynthLayout.LeftWrist).X);
            Assert.True(P(kp, 0, SynthLayout.RightShoulder).X < P(kp, 0, SynthLayout.LeftShoulder).X);
            // Eyebrows above eyes above mouth.
            Assert.True(P(kp, 0, SynthLayout.FaceStart + 19).Y < P(kp, 0, SynthLayout.FaceStart + 37).Y);
            Assert.True(P(kp, 0, SynthLayout.FaceStart + 37).Y < P(kp, 0, SynthLayout.FaceStart + 51).Y);
        }
    }

    [Fact]
    public void Upper_body_face_and_hands_are_inside_the_frame()
    {
        long inside = 0, total = 0;
        foreach (var clip in corpus.All)
            for (int t = 0; t < clip.FrameCount; t++)
                for (int k = 0; k < 133; k++)
                {
                    if (k is >= 13 and < 23) continue;    // knees, ankles and feet are below the frame, as in Phoenix
                    var (x, y) = P(clip.CleanKeypoints, t, k);
                    total++;
                    if (x >= 0 && y >= 0 && x <= clip.Width - 1 && y <= clip.Height - 1) inside++;
                }
        Assert.True(inside > 0.99 * total, $"{inside}/{total} inside");
    }

    [Fact]
    public void Lexicon_has_handshape_and_face_minimal_pairs()
    {
        var lex = Lexicon.Default;
        Assert.InRange(lex.Entries.Count, 30, 60);
        Assert.Equal(lex.Entries.Count, lex.Glosses.Distinct().Count());
        var hs = lex.HandshapePairs().ToList();
        Assert.Contains(("ONE", "TWO"), hs);
        Assert.True(hs.Count >= 10);
        var face = lex.FacePairs().ToList();
        Assert.Contains(("WARM", "HOT"), face);
        Assert.Contains(("MAYBE", "SURE"), face);
        Assert.Contains(("MUCH", "LITTLE"), face);
        foreach (var (a, b) in face) Assert.NotEqual(lex[a].FaceKey, lex[b].FaceKey);
        Assert.Contains(lex.Entries, e => e.Hands == HandUse.TwoSymmetric);
        Assert.Contains(lex.Entries, e => e.Hands == HandUse.DominantPassive);
    }

    [Fact]
    public void Face_pairs_differ_in_face_keypoints_and_handshape_pairs_in_finger_keypoints()
    {
        var body = new BodyFrame(SynthSigner.Create(0, 0), 0.5, 0.41);
        double[] Pose(string gloss)
        {
            var s = new double[ArticulatorState.Size];
            SignPerformer.State(Lexicon.Default[gloss], body, 0.5, s);
            var pts = new double[266];
            PoseBuilder.Build(s, body, default, pts);
            return pts;
        }
        double PartDiff(double[] a, double[] b, int start, int n) =>
            Enumerable.Range(start, n).Max(k => Math.Abs(a[2 * k] - b[2 * k]) + Math.Abs(a[2 * k + 1] - b[2 * k + 1]));
        var warm = Pose("WARM"); var hot = Pose("HOT");
        Assert.Equal(0, PartDiff(warm, hot, SynthLayout.RightHandStart, 21), 9);
        Assert.True(PartDiff(warm, hot, SynthLayout.FaceStart + 48, 20) > 0.005);
        var one = Pose("ONE"); var two = Pose("TWO");
        Assert.Equal(0, PartDiff(one, two, SynthLayout.FaceStart, 68), 9);
        Assert.True(PartDiff(one, two, SynthLayout.RightHandStart, 21) > 0.01);
    }
}
