namespace SignNotebooks.Pose;

/// <summary>
/// The person box of each frame of one clip: the detector's best person; when it finds none above its threshold,
/// the previous frame's box (a signer rarely vanishes for one frame: the detector blinked), else the whole frame
/// (the no-detector default). <see cref="Counts"/> says how often each happened.
/// </summary>
public sealed class PersonBoxTracker(PersonDetector detector)
{
    private PoseBox? _previous;

    /// <summary>How the boxes so far were found.</summary>
    public PersonBoxCounts Counts { get; private set; } = new();

    /// <summary>The box for the next frame of the clip.</summary>
    public PoseBox Next(RgbFrame frame)
    {
        var c = Counts with { Frames = Counts.Frames + 1 };
        PoseBox box;
        // Only a detected box is carried forward, so a clip that starts empty keeps the whole frame until a person appears.
        if (detector.Detect(frame) is { } det) { box = det.Box; _previous = box; c = c with { Detected = c.Detected + 1 }; }
        else if (_previous is { } prev) { box = prev; c = c with { PreviousBox = c.PreviousBox + 1 }; }
        else { box = PoseBox.Full(frame.Width, frame.Height); c = c with { WholeFrame = c.WholeFrame + 1 }; }
        Counts = c;
        return box;
    }
}
