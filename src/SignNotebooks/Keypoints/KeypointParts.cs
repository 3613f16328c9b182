using SignNotebooks.Util;

namespace SignNotebooks.Keypoints;

/// <summary>
/// Named subsets of the 133 COCO-WholeBody keypoints, as SLRT's part table defines them (spec §1.2), plus the
/// five layout regions of <see cref="WholeBody"/> under their own names.
/// </summary>
public static class KeypointParts
{
    /// <summary>The parts the paper uses: 79 keypoints (spec §1.2, cfg <c>use_keypoints</c>).</summary>
    public static IReadOnlyList<string> Paper79 { get; } = ["pose", "mouth_half", "hand", "face_others_1_3"];

    private static readonly Dictionary<string, (int[] Indices, bool FromSpec)> Table = Build();

    private static Dictionary<string, (int[], bool)> Build()
    {
        int[] Range(int start, int endInclusive) => Enumerable.Range(start, endInclusive - start + 1).ToArray();
        int[] Every(int[] xs, int step) => xs.Where((_, i) => i % step == 0).ToArray();

        var pose = Range(0, 10);          // spec §1.2: nose, eyes, ears, shoulders, elbows, wrists
        var hand = Range(91, 132);        // spec §1.2: left 91–111 then right 112–132
        var mouth = Range(71, 90);        // face landmarks 48–67
        var faceOthers = Range(23, 70);   // face landmarks 0–47: jaw, brows, nose, eyes
        var t = new Dictionary<string, (int[], bool)>(StringComparer.Ordinal)
        {
            ["pose"] = (pose, true),
            ["hand"] = (hand, true),
            ["mouth_half"] = (Every(mouth, 2), true),        // spec §1.2: every 2nd of 71..90
            ["face_others_1_3"] = (Every(faceOthers, 3), true), // spec §1.2: every 3rd of 23..70
            // Not in the spec: SLRT's remaining part names as recalled (the same base parts and the same
            // _half / _1_3 strides). Treat them as [UNVERIFIED] against the official table.
            ["mouth"] = (mouth, false),
            ["face_others"] = (faceOthers, false),
            ["mouth_1_3"] = (Every(mouth, 3), false),
            ["face_others_half"] = (Every(faceOthers, 2), false),
            ["hand_half"] = (Every(hand, 2), false),
            ["hand_1_3"] = (Every(hand, 3), false),
        };
        // Project additions (not SLRT names): the layout regions, for ablations by body part.
        foreach (var r in WholeBody.Regions) t[r.Name] = (r.Indices, false);
        return t;
    }

    /// <summary>Every part name this table knows, sorted ordinally.</summary>
    public static IReadOnlyList<string> Names { get; } = Table.Keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>True when the part's definition is taken from the spec's table (not recalled or added here).</summary>
    public static bool IsFromSpec(string part) => Table.TryGetValue(part, out var p) && p.FromSpec;

    /// <summary>The COCO-WholeBody indices of one part, in order.</summary>
    public static int[] Indices(string part) => Table.TryGetValue(part, out var p)
        ? (int[])p.Indices.Clone()
        : throw new UserFacingException(
            $"unknown keypoint part '{part}'. Known parts: {string.Join(", ", Names)}. Fix the part list in the input config.");
}
