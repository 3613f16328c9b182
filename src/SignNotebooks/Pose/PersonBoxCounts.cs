namespace SignNotebooks.Pose;

/// <summary>
/// Where the person boxes of some frames came from: a detection, the previous frame's box (no person found), or the
/// whole frame (no person found and no earlier box). Frames without a detection are counted, never silently filled.
/// </summary>
public sealed record PersonBoxCounts(int Frames = 0, int Detected = 0, int PreviousBox = 0, int WholeFrame = 0)
{
    /// <summary>Frames where the detector found no person above its threshold.</summary>
    public int Missed => PreviousBox + WholeFrame;

    /// <summary>The sum of two counts (clips of a batch).</summary>
    public PersonBoxCounts Add(PersonBoxCounts o) => new(Frames + o.Frames, Detected + o.Detected, PreviousBox + o.PreviousBox, WholeFrame + o.WholeFrame);

    /// <summary>One line for logs.</summary>
    public override string ToString() =>
        $"{Frames} frames, {Detected} with a detected person, {Missed} without" +
        (Missed > 0 ? $" ({PreviousBox} kept the previous frame's box, {WholeFrame} used the whole frame)" : "");
}
