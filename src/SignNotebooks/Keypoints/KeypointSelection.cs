using SignNotebooks.Util;

namespace SignNotebooks.Keypoints;

/// <summary>
/// An ordered choice of keypoints: heatmap channel c shows COCO-WholeBody keypoint <see cref="Indices"/>[c].
/// Parts are concatenated in ordinal (alphabetical) order of their names, whatever order they were given in,
/// because SLRT sorts them (spec §1.2, §15.2) — so the paper's 79 channels are face_others_1_3, hand,
/// mouth_half, pose.
/// </summary>
public sealed class KeypointSelection
{
    /// <summary>Part names in channel order (sorted).</summary>
    public IReadOnlyList<string> Parts { get; }
    /// <summary>COCO-WholeBody index per channel.</summary>
    public IReadOnlyList<int> Indices { get; }
    private readonly string[] _partOfChannel;

    /// <summary>Number of channels.</summary>
    public int Count => Indices.Count;

    private KeypointSelection(IEnumerable<string> parts)
    {
        var sorted = parts.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (sorted.Count == 0)
            throw new UserFacingException("the keypoint part list is empty. Fix: name at least one part, e.g. pose, hand.");
        var idx = new List<int>();
        var owner = new List<string>();
        foreach (var p in sorted)
        {
            var ix = KeypointParts.Indices(p);
            idx.AddRange(ix);
            owner.AddRange(Enumerable.Repeat(p, ix.Length));
        }
        Parts = sorted;
        Indices = idx;
        _partOfChannel = owner.ToArray();
    }

    /// <summary>Selection from part names (see <see cref="KeypointParts.Names"/>); the order given does not matter.</summary>
    public static KeypointSelection FromParts(params IEnumerable<string> parts) => new(parts);

    /// <summary>The paper's 79 keypoints (spec §1.2).</summary>
    public static KeypointSelection Paper79 { get; } = new(KeypointParts.Paper79);

    /// <summary>The part a channel belongs to.</summary>
    public string PartOfChannel(int channel) => _partOfChannel[channel];

    /// <summary>The channel range [start, end) of one part of this selection.</summary>
    public (int Start, int End) ChannelRange(string part)
    {
        int start = Array.IndexOf(_partOfChannel, part);
        if (start < 0) throw new ArgumentException($"part '{part}' is not in this selection ({string.Join(", ", Parts)})");
        return (start, Array.LastIndexOf(_partOfChannel, part) + 1);
    }

    public override string ToString() => $"{Count} keypoints: {string.Join(" + ", Parts)}";
}
