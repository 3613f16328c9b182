using SignNotebooks.Keypoints;

namespace SignNotebooks.Importance;

/// <summary>
/// The articulators a sign dictionary talks about, as groups of COCO-WholeBody keypoints. Sign dictionaries describe
/// signs by hands, mouth, face (brows, eyes) and body, not by keypoint, so the dictionary is written per part and
/// spread over the keypoint stream's channels here. "right_hand" / "left_hand" are the signer's own hands
/// (COCO-WholeBody 112–132 / 91–111); SynthSign signers sign with the right hand as the dominant one.
/// </summary>
public static class ArticulatorParts
{
    /// <summary>Part names in the order of every per-part vector in this folder.</summary>
    public static IReadOnlyList<string> Names { get; } = ["right_hand", "left_hand", "mouth", "face", "body"];

    public const int RightHand = 0, LeftHand = 1, Mouth = 2, Face = 3, Body = 4;
    public static int Count => Names.Count;

    /// <summary>Index of a part name, or −1.</summary>
    public static int IndexOf(string name)
    {
        for (int i = 0; i < Names.Count; i++) if (Names[i] == name) return i;
        return -1;
    }

    /// <summary>The part a COCO-WholeBody keypoint belongs to (body includes the feet: 0–22).</summary>
    public static int PartOfKeypoint(int cocoIndex) => cocoIndex switch
    {
        >= 112 and <= 132 => RightHand,
        >= 91 and <= 111 => LeftHand,
        >= 71 and <= 90 => Mouth,
        >= 23 and <= 70 => Face,
        >= 0 and <= 22 => Body,
        _ => throw new ArgumentOutOfRangeException(nameof(cocoIndex), cocoIndex, "COCO-WholeBody has keypoints 0–132"),
    };

    /// <summary>Per heatmap channel of a selection, the part its keypoint belongs to.</summary>
    public static int[] PartOfChannels(KeypointSelection selection) =>
        selection.Indices.Select(PartOfKeypoint).ToArray();
}
