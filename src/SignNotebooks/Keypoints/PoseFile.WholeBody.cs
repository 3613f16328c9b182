namespace SignNotebooks.Keypoints;

/// <summary>.pose files ↔ the (T, 133, 3) COCO-WholeBody keypoint stream (spec §1.2).</summary>
public static partial class PoseFile
{
    /// <summary>The name of the component <see cref="FromWholeBody"/> writes.</summary>
    public const string WholeBodyComponent = "COCO-WholeBody";

    /// <summary>
    /// A one-person pose with a single COCO-WholeBody component ("XYC", 133 points, the body/feet/hand limbs) from
    /// (T, 133, 3) keypoints (x, y, score): the score becomes the confidence.
    /// </summary>
    public static PoseData FromWholeBody(float[] keypoints, int frames, float fps, int width = 0, int height = 0)
    {
        if (keypoints.Length != frames * WholeBody.Count * WholeBody.Values)
            throw new ArgumentException($"keypoints must be ({frames}, {WholeBody.Count}, {WholeBody.Values}); got {keypoints.Length} values");
        var data = new float[frames * WholeBody.Count * 2];
        var conf = new float[frames * WholeBody.Count];
        for (int i = 0; i < frames * WholeBody.Count; i++)
        {
            data[2 * i] = keypoints[3 * i]; data[2 * i + 1] = keypoints[3 * i + 1]; conf[i] = keypoints[3 * i + 2];
        }
        var comp = new PoseComponent(WholeBodyComponent, "XYC", WholeBodyPointNames(), WholeBodyLimbs(), [(255, 0, 0), (0, 255, 0), (0, 0, 255)]);
        return new PoseData(WriteVersion, width, height, 0, [comp], fps, frames, 1, data, conf);
    }

    /// <summary>
    /// The first person of a pose as (T, 133, 3) keypoints (x, y, score), score = the file's confidence. Accepts a
    /// pose whose components total 133 points (COCO-WholeBody order), or MediaPipe Holistic components (see
    /// <see cref="HolisticBodyToCoco"/>). Any other layout is refused naming the file and the components.
    /// </summary>
    public static (float[] Keypoints, int Frames) ToWholeBody(PoseData pose, string path)
    {
        int T = pose.Frames, P = pose.Points, D = pose.Dims;
        var kp = new float[T * WholeBody.Count * WholeBody.Values];
        if (pose.People == 0 || T == 0) return (kp, T);
        // source point index (over all components) for each of the 133 targets, -1 = none
        var map = new int[WholeBody.Count];
        Array.Fill(map, -1);
        if (P == WholeBody.Count) for (int i = 0; i < P; i++) map[i] = i;
        else
        {
            int Offset(string name, params int[] sizes)
            {
                int off = 0;
                foreach (var c in pose.Components)
                {
                    if (c.Name == name && sizes.Contains(c.Points.Length)) return off;
                    off += c.Points.Length;
                }
                return -1;
            }
            int body = Offset("POSE_LANDMARKS", 33), left = Offset("LEFT_HAND_LANDMARKS", 21), right = Offset("RIGHT_HAND_LANDMARKS", 21);
            if (body < 0 && left < 0 && right < 0)
                throw Bad(path, $"has components {string.Join(", ", pose.Components.Select(c => $"{c.Name} ({c.Points.Length} points)"))}: neither 133 COCO-WholeBody points nor MediaPipe Holistic POSE_LANDMARKS (33) / LEFT_HAND_LANDMARKS (21) / RIGHT_HAND_LANDMARKS (21)",
                    "export the pose with COCO-WholeBody or MediaPipe Holistic components");
            if (body >= 0) foreach (var (mp, coco) in HolisticBodyToCoco) map[coco] = body + mp;
            for (int j = 0; j < 21; j++)
            {
                if (left >= 0) map[WholeBody.LeftHand.Start + j] = left + j;
                if (right >= 0) map[WholeBody.RightHand.Start + j] = right + j;
            }
        }
        for (int t = 0; t < T; t++)
            for (int k = 0; k < WholeBody.Count; k++)
            {
                int s = map[k];
                if (s < 0) continue;
                long src = (long)t * pose.People * P + s; // person 0
                int o = (t * WholeBody.Count + k) * 3;
                float c = pose.Confidence[src];
                float x = pose.Data[src * D], y = D > 1 ? pose.Data[src * D + 1] : 0f;
                if (!float.IsFinite(x) || !float.IsFinite(y)) { x = 0; y = 0; c = 0; }
                kp[o] = x; kp[o + 1] = y; kp[o + 2] = c;
            }
        return (kp, T);
    }

    /// <summary>Reads a .pose file straight into (T, 133, 3) keypoints.</summary>
    public static (float[] Keypoints, int Frames) ReadWholeBody(string path) => ToWholeBody(Read(path), path);

    /// <summary>
    /// MediaPipe Holistic POSE_LANDMARKS index → COCO body index (MediaPipe's published 33-landmark pose topology):
    /// <code>
    /// MP  0 nose           → COCO  0 nose
    /// MP  2 left_eye       → COCO  1 left_eye        MP  5 right_eye      → COCO  2 right_eye
    /// MP  7 left_ear       → COCO  3 left_ear        MP  8 right_ear      → COCO  4 right_ear
    /// MP 11 left_shoulder  → COCO  5                 MP 12 right_shoulder → COCO  6
    /// MP 13 left_elbow     → COCO  7                 MP 14 right_elbow    → COCO  8
    /// MP 15 left_wrist     → COCO  9                 MP 16 right_wrist    → COCO 10
    /// MP 23 left_hip       → COCO 11                 MP 24 right_hip      → COCO 12
    /// MP 25 left_knee      → COCO 13                 MP 26 right_knee     → COCO 14
    /// MP 27 left_ankle     → COCO 15                 MP 28 right_ankle    → COCO 16
    /// </code>
    /// Hands: MediaPipe's 21 hand landmarks are in the COCO-WholeBody hand order (wrist, then thumb, index, middle,
    /// ring, pinky from base to tip), so LEFT/RIGHT_HAND_LANDMARKS j → 91 + j / 112 + j. Feet (17–22) and face
    /// (23–90) get score 0: the face mesh has no index table here.
    /// </summary>
    public static IReadOnlyList<(int MediaPipe, int Coco)> HolisticBodyToCoco { get; } =
    [
        (0, 0), (2, 1), (5, 2), (7, 3), (8, 4), (11, 5), (12, 6), (13, 7), (14, 8),
        (15, 9), (16, 10), (23, 11), (24, 12), (25, 13), (26, 14), (27, 15), (28, 16),
    ];

    static string[] WholeBodyPointNames()
    {
        var names = new List<string>(WholeBody.Count);
        names.AddRange(WholeBody.BodyNames);
        names.AddRange(WholeBody.FeetNames);
        for (int i = 0; i < WholeBody.Face.Count; i++) names.Add($"face_{i}");
        foreach (var side in new[] { "left", "right" })
            foreach (var j in WholeBody.HandJointNames) names.Add($"{side}_hand_{j}");
        return names.ToArray();
    }

    /// <summary>The COCO body skeleton, heel/toe to ankle, and each hand's wrist-to-fingertip chains.</summary>
    static (int, int)[] WholeBodyLimbs()
    {
        var limbs = new List<(int, int)>
        {
            (15, 13), (13, 11), (16, 14), (14, 12), (11, 12), (5, 11), (6, 12), (5, 6), (5, 7), (6, 8), (7, 9), (8, 10),
            (1, 2), (0, 1), (0, 2), (1, 3), (2, 4), (3, 5), (4, 6),
            (15, 17), (15, 18), (15, 19), (16, 20), (16, 21), (16, 22),
        };
        foreach (var start in new[] { WholeBody.LeftHand.Start, WholeBody.RightHand.Start })
            for (int f = 0; f < 5; f++)
                for (int k = 0; k < 4; k++)
                    limbs.Add((k == 0 ? start : start + 1 + 4 * f + k - 1, start + 1 + 4 * f + k));
        return limbs.ToArray();
    }
}
