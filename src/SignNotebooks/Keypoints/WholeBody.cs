namespace SignNotebooks.Keypoints;

/// <summary>
/// The COCO-WholeBody 133-keypoint layout that HRNet produces and that <see cref="Data.SignClip.Keypoints"/> uses:
/// body 0–16, feet 17–22, face 23–90 (68 landmarks), left hand 91–111, right hand 112–132 (spec §1.2).
/// </summary>
public static class WholeBody
{
    /// <summary>Keypoints per frame.</summary>
    public const int Count = 133;
    /// <summary>Values per keypoint: x, y, score.</summary>
    public const int Values = 3;

    /// <summary>One contiguous region of the layout.</summary>
    public sealed record Region(string Name, int Start, int Count)
    {
        /// <summary>One past the last index.</summary>
        public int End => Start + Count;
        /// <summary>The indices of this region, in order.</summary>
        public int[] Indices => Enumerable.Range(Start, Count).ToArray();
    }

    public static readonly Region Body = new("body", 0, 17);
    public static readonly Region Feet = new("feet", 17, 6);
    public static readonly Region Face = new("face", 23, 68);
    public static readonly Region LeftHand = new("left_hand", 91, 21);
    public static readonly Region RightHand = new("right_hand", 112, 21);

    /// <summary>The five regions in index order; together they cover 0–132 exactly once.</summary>
    public static IReadOnlyList<Region> Regions { get; } = [Body, Feet, Face, LeftHand, RightHand];

    /// <summary>COCO body keypoint names, indices 0–16.</summary>
    public static IReadOnlyList<string> BodyNames { get; } =
    [
        "nose", "left_eye", "right_eye", "left_ear", "right_ear", "left_shoulder", "right_shoulder",
        "left_elbow", "right_elbow", "left_wrist", "right_wrist", "left_hip", "right_hip",
        "left_knee", "right_knee", "left_ankle", "right_ankle",
    ];

    /// <summary>COCO-WholeBody foot keypoint names, indices 17–22.</summary>
    public static IReadOnlyList<string> FeetNames { get; } =
        ["left_big_toe", "left_small_toe", "left_heel", "right_big_toe", "right_small_toe", "right_heel"];

    /// <summary>Hand joint names within one hand (21, the OpenPose/COCO-WholeBody hand order).</summary>
    public static IReadOnlyList<string> HandJointNames { get; } =
    [
        "wrist",
        "thumb1", "thumb2", "thumb3", "thumb4",
        "forefinger1", "forefinger2", "forefinger3", "forefinger4",
        "middle_finger1", "middle_finger2", "middle_finger3", "middle_finger4",
        "ring_finger1", "ring_finger2", "ring_finger3", "ring_finger4",
        "pinky_finger1", "pinky_finger2", "pinky_finger3", "pinky_finger4",
    ];

    /// <summary>The region that holds a keypoint index.</summary>
    public static Region RegionOf(int index)
    {
        CheckIndex(index);
        foreach (var r in Regions) if (index < r.End) return r;
        throw new InvalidOperationException("unreachable: regions cover 0..132");
    }

    /// <summary>A readable name, e.g. "left_wrist", "face_30" (the 68-point iBUG numbering), "right_hand_thumb4".</summary>
    public static string KeypointName(int index)
    {
        var r = RegionOf(index);
        int local = index - r.Start;
        return r.Name switch
        {
            "body" => BodyNames[local],
            "feet" => FeetNames[local],
            "face" => $"face_{local}",
            _ => $"{r.Name}_{HandJointNames[local]}",
        };
    }

    internal static void CheckIndex(int index)
    {
        if (index is < 0 or >= Count)
            throw new ArgumentOutOfRangeException(nameof(index), index, "COCO-WholeBody indices are 0..132");
    }
}
