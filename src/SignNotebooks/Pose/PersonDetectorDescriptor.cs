namespace SignNotebooks.Pose;

/// <summary>
/// What <see cref="PersonDetector"/> must know about an mmdeploy/mmdet end2end detector. The input size and the
/// output names come from the graph; colour order, normalisation, resizing and padding default to RTMDet's
/// (the detector of mmpose's RTMPose/RTMW pipelines) and can be stated as model metadata (<c>signnb.*</c>) or
/// overridden with a <c>with</c>-expression.
/// </summary>
/// <param name="InputWidth">Model input width in pixels (640 for RTMDet/YOLOX).</param>
/// <param name="InputHeight">Model input height in pixels.</param>
/// <param name="Mean">Per input channel, in the model's channel order, on 0–255 values.</param>
/// <param name="Std">Per input channel, in the model's channel order, on 0–255 values.</param>
/// <param name="ChannelOrder">Colour order of the input channels (mmdet detectors are mostly fed BGR).</param>
/// <param name="Resize">Letterbox (keep ratio, pad bottom/right) or stretch.</param>
/// <param name="PadValue">The padding's pixel value before normalisation (114 for RTMDet and YOLOX).</param>
/// <param name="InputName">The image input's name in the graph.</param>
/// <param name="DetsName">The (1, N, 5) output: x1, y1, x2, y2 in input pixels, then the score.</param>
/// <param name="LabelsName">The (1, N) class output.</param>
/// <param name="PersonClass">The class index of a person (0 in COCO's 80-class order).</param>
/// <param name="ScoreThreshold">Detections scoring below this are ignored (0.3, mmpose's demo --bbox-thr).</param>
public sealed record PersonDetectorDescriptor(
    int InputWidth,
    int InputHeight,
    float[] Mean,
    float[] Std,
    ChannelOrder ChannelOrder,
    DetectorResize Resize,
    float PadValue,
    string InputName,
    string DetsName,
    string LabelsName,
    int PersonClass = 0,
    float ScoreThreshold = 0.3f)
{
    /// <summary>RTMDet's mmdet data preprocessor: ImageNet statistics in BGR order, no BGR→RGB swap.</summary>
    public static readonly float[] RtmdetMean = [103.53f, 116.28f, 123.675f];
    /// <summary>See <see cref="RtmdetMean"/>.</summary>
    public static readonly float[] RtmdetStd = [57.375f, 57.12f, 58.395f];

    /// <summary>One line for logs and the CLI.</summary>
    public override string ToString() =>
        $"detector, input {InputWidth}×{InputHeight} {ChannelOrder.ToString().ToUpperInvariant()} {Resize.ToString().ToLowerInvariant()} (pad {PadValue:0.###}), " +
        $"person class {PersonClass}, score ≥ {ScoreThreshold:0.###}, mean [{string.Join(", ", Mean)}], std [{string.Join(", ", Std)}]";
}
