namespace SignNotebooks.Synthetic;

/// <summary>
/// COCO-WholeBody 133-keypoint layout as SynthSign writes it (spec §1.2): body 0–16, feet 17–22, face 23–90
/// (the 68 iBUG-300W landmarks), left hand 91–111, right hand 112–132. "Left" is the signer's left, which is
/// on the image's right since the signer faces the camera. Kept here so the generator has no dependency on
/// the pipeline's Keypoints/ code; both follow the same public layout.
/// </summary>
public static class SynthLayout
{
    public const int Count = 133;
    public const int BodyStart = 0, BodyCount = 17;
    public const int FeetStart = 17, FeetCount = 6;
    public const int FaceStart = 23, FaceCount = 68;
    public const int LeftHandStart = 91, RightHandStart = 112, HandCount = 21;

    // COCO body order.
    public const int Nose = 0, LeftEye = 1, RightEye = 2, LeftEar = 3, RightEar = 4;
    public const int LeftShoulder = 5, RightShoulder = 6, LeftElbow = 7, RightElbow = 8;
    public const int LeftWrist = 9, RightWrist = 10, LeftHip = 11, RightHip = 12;
    public const int LeftKnee = 13, RightKnee = 14, LeftAnkle = 15, RightAnkle = 16;

    // Offsets inside the 68-point face block (iBUG 300-W order; "right" = the subject's right = image left).
    public const int JawStart = 0, JawCount = 17;
    public const int RightBrowStart = 17, LeftBrowStart = 22, BrowCount = 5;
    public const int NoseBridgeStart = 27, NoseBottomStart = 31;
    public const int RightEyeStart = 36, LeftEyeStart = 42, EyeCount = 6;
    public const int OuterLipStart = 48, OuterLipCount = 12, InnerLipStart = 60, InnerLipCount = 8;

    /// <summary>Offsets inside a 21-point hand block: wrist, then thumb/index/middle/ring/pinky, 4 joints each.</summary>
    public const int HandWrist = 0;
    public static int FingerJoint(int finger, int joint) => 1 + 4 * finger + joint;

    /// <summary>Part name → keypoint indices, for selecting subsets in views and tests.</summary>
    public static readonly IReadOnlyDictionary<string, (int Start, int Count)> Parts = new Dictionary<string, (int, int)>
    {
        ["body"] = (BodyStart, BodyCount), ["feet"] = (FeetStart, FeetCount), ["face"] = (FaceStart, FaceCount),
        ["left_hand"] = (LeftHandStart, HandCount), ["right_hand"] = (RightHandStart, HandCount),
    };

    /// <summary>Bones drawn by the skeleton overlay: pairs of COCO-WholeBody indices.</summary>
    public static IReadOnlyList<(int A, int B)> Bones { get; } = BuildBones();

    private static List<(int, int)> BuildBones()
    {
        var b = new List<(int, int)>
        {
            (LeftShoulder, RightShoulder), (LeftShoulder, LeftElbow), (LeftElbow, LeftWrist),
            (RightShoulder, RightElbow), (RightElbow, RightWrist), (LeftShoulder, LeftHip), (RightShoulder, RightHip),
            (LeftHip, RightHip), (Nose, LeftEye), (Nose, RightEye), (LeftEye, LeftEar), (RightEye, RightEar),
        };
        foreach (int h in new[] { LeftHandStart, RightHandStart })
            for (int f = 0; f < 5; f++)
            {
                b.Add((h, h + FingerJoint(f, 0)));
                for (int j = 0; j < 3; j++) b.Add((h + FingerJoint(f, j), h + FingerJoint(f, j + 1)));
            }
        void Chain(int start, int n, bool closed)
        {
            for (int i = 0; i < n - 1; i++) b.Add((FaceStart + start + i, FaceStart + start + i + 1));
            if (closed) b.Add((FaceStart + start + n - 1, FaceStart + start));
        }
        Chain(JawStart, JawCount, false); Chain(RightBrowStart, BrowCount, false); Chain(LeftBrowStart, BrowCount, false);
        Chain(NoseBridgeStart, 4, false); Chain(NoseBottomStart, 5, false);
        Chain(RightEyeStart, EyeCount, true); Chain(LeftEyeStart, EyeCount, true);
        Chain(OuterLipStart, OuterLipCount, true); Chain(InnerLipStart, InnerLipCount, true);
        return b;
    }
}
