using SignNotebooks.Keypoints;

namespace SignNotebooks.Pose.Holistic;

/// <summary>
/// Holistic landmarks → the keypoint stream's (133, 3) COCO-WholeBody points (x, y, score) in frame pixels (spec §1.2),
/// and the raw landmarks as (543, 5) = 33 pose + 21 left hand + 21 right hand + 468 face, (x, y, z, visibility,
/// presence), NaN where a part was not found.
/// </summary>
public static class HolisticWholeBody
{
    /// <summary>Raw values per frame: 543 landmarks × (x, y, z, visibility, presence).</summary>
    public const int RawPoints = HolisticResult.PoseCount + 2 * HolisticResult.HandCount + HolisticResult.FaceCount, RawValues = 5;

    /// <summary>
    /// COCO-WholeBody face point k (0–67, the 300-W / dlib 68-point order) ← this face-mesh vertex. Derived by
    /// <see cref="Face68Derivation"/> from MediaPipe's own Apache-2.0 facts (the contour index sets of
    /// <c>face_mesh_connections.py</c> and the vertex positions of <c>canonical_face_model.obj</c>, google/mediapipe at
    /// 9d88077, committed with their licence in <c>data/mediapipe-face-mesh/</c>): the jaw at even arc length along the
    /// face oval below the eyes, the brows on their upper contour, the eyes at their corners and at thirds of each lid,
    /// the nose bridge on the midline, the nostril base, and the lips at their corners, Cupid's bow and even arc
    /// fractions. <c>HolisticWholeBodyTests</c> checks that the derivation reproduces this table and the table's
    /// semantics on the canonical model.
    /// </summary>
    public static IReadOnlyList<int> Face68FromMesh { get; } =
    [
        // jaw 0–16, from the person's right ear over the chin to the left ear
        127, 234, 93, 132, 58, 136, 150, 176, 152, 400, 379, 365, 288, 361, 323, 454, 356,
        // right eyebrow 17–21 (outer to inner), left eyebrow 22–26 (inner to outer)
        70, 63, 105, 66, 107, 336, 296, 334, 293, 300,
        // nose bridge 27–30 (down to the tip), nostrils 31–35
        6, 197, 5, 4, 98, 97, 2, 326, 327,
        // right eye 36–41, left eye 42–47 (image-left corner, upper lid, image-right corner, lower lid)
        33, 160, 158, 133, 153, 144, 362, 385, 387, 263, 373, 380,
        // outer lip 48–59, inner lip 60–67 (left corner, upper lip, right corner, lower lip)
        61, 40, 37, 0, 267, 270, 291, 321, 314, 17, 84, 91,
        78, 81, 13, 311, 308, 402, 14, 178,
    ];

    /// <summary>
    /// One frame's (133, 3) points into <paramref name="into"/> at <paramref name="offset"/>: body from
    /// <see cref="PoseFile.HolisticBodyToCoco"/> with score = visibility, hands 1:1 with the hand score, face 68 from
    /// the mesh (<see cref="Face68FromMesh"/>) with the face score. Feet and parts not found stay at score 0.
    /// </summary>
    public static void Write(HolisticResult r, float[] into, int offset)
    {
        Array.Clear(into, offset, WholeBody.Count * WholeBody.Values);
        void Set(int k, float x, float y, float s)
        {
            int o = offset + k * 3;
            into[o] = x; into[o + 1] = y; into[o + 2] = s;
        }
        if (r.Pose is { } pose)
            foreach (var (mp, coco) in PoseFile.HolisticBodyToCoco) Set(coco, pose[mp].X, pose[mp].Y, pose[mp].Visibility);
        for (int j = 0; j < 21; j++)
        {
            if (r.LeftHand is { } l) Set(WholeBody.LeftHand.Start + j, l[j].X, l[j].Y, r.LeftHandScore);
            if (r.RightHand is { } rh) Set(WholeBody.RightHand.Start + j, rh[j].X, rh[j].Y, r.RightHandScore);
        }
        if (r.Face is { } face)
            for (int k = 0; k < 68; k++)
            {
                var mesh = face[Face68FromMesh[k]];
                Set(WholeBody.Face.Start + k, mesh.X, mesh.Y, r.FaceScore);
            }
    }

    /// <summary>One frame's raw landmarks, (543, 5), into <paramref name="into"/> at <paramref name="offset"/>.</summary>
    public static void WriteRaw(HolisticResult r, float[] into, int offset)
    {
        Array.Fill(into, float.NaN, offset, RawPoints * RawValues);
        int at = 0;
        foreach (var (part, n) in new[] { (r.Pose, HolisticResult.PoseCount), (r.LeftHand, 21), (r.RightHand, 21), (r.Face, HolisticResult.FaceCount) })
        {
            if (part is not null)
                for (int i = 0; i < n; i++)
                {
                    int o = offset + (at + i) * RawValues;
                    var l = part[i];
                    into[o] = l.X; into[o + 1] = l.Y; into[o + 2] = l.Z; into[o + 3] = l.Visibility; into[o + 4] = l.Presence;
                }
            at += n;
        }
    }
}
