namespace SignNotebooks.Pose;

/// <summary>
/// What the estimator must know about a pose model. <see cref="PoseModelInspector.Describe"/> fills it from the
/// ONNX inputs and outputs; what a graph cannot say (colour order, normalisation) comes from the mmpose defaults or
/// from the model's metadata, and any field can be overridden with a <c>with</c>-expression.
/// </summary>
/// <param name="InputWidth">Model input width in pixels (288 for HRNet-w48 384×288).</param>
/// <param name="InputHeight">Model input height in pixels.</param>
/// <param name="Mean">Per input channel, in the model's channel order, on 0–255 values.</param>
/// <param name="Std">Per input channel, in the model's channel order, on 0–255 values.</param>
/// <param name="ChannelOrder">Colour order of the input channels.</param>
/// <param name="OutputKind">Heatmap or SimCC.</param>
/// <param name="KeypointCount">K, the keypoints per person (133 for COCO-WholeBody).</param>
/// <param name="InputName">The image input's name in the graph.</param>
/// <param name="OutputNames">Heatmap: the one heatmap output. SimCC: the x vector output, then the y vector output.</param>
/// <param name="SimccSplitRatio">SimCC bins per input pixel (2.0 for RTMPose).</param>
/// <param name="Refinement">Sub-pixel refinement of heatmap maxima.</param>
/// <param name="DarkBlurKernel">DARK's Gaussian blur kernel size (odd; mmpose uses 11, and 17 for its 384×288 DARK configs).</param>
/// <param name="BoxPadding">Box scale before cropping: 1.0 for the whole frame, mmpose uses 1.25 around detector boxes.</param>
public sealed record PoseModelDescriptor(
    int InputWidth,
    int InputHeight,
    float[] Mean,
    float[] Std,
    ChannelOrder ChannelOrder,
    PoseOutputKind OutputKind,
    int KeypointCount,
    string InputName,
    IReadOnlyList<string> OutputNames,
    double SimccSplitRatio = 2.0,
    HeatmapRefinement Refinement = HeatmapRefinement.Dark,
    int DarkBlurKernel = 11,
    double BoxPadding = 1.0)
{
    /// <summary>ImageNet statistics in RGB order on 0–255 values, as every mmpose whole-body config uses.</summary>
    public static readonly float[] ImageNetMean = [123.675f, 116.28f, 103.53f];
    /// <summary>See <see cref="ImageNetMean"/>.</summary>
    public static readonly float[] ImageNetStd = [58.395f, 57.12f, 57.375f];

    /// <summary>The keypoint layout implied by K: "coco-wholebody" (133), "coco" (17), "halpe" (26) or "unknown".</summary>
    public string Layout => KeypointCount switch
    {
        133 => "coco-wholebody",
        17 => "coco",
        26 => "halpe",
        _ => "unknown",
    };

    /// <summary>One line for logs and the CLI.</summary>
    public override string ToString() =>
        $"{OutputKind} model, input {InputWidth}×{InputHeight} {ChannelOrder.ToString().ToUpperInvariant()}, " +
        $"{KeypointCount} keypoints ({Layout})" +
        (OutputKind == PoseOutputKind.SimCC ? $", split ratio {SimccSplitRatio:0.###}" : $", refinement {Refinement}") +
        $", mean [{string.Join(", ", Mean)}], std [{string.Join(", ", Std)}]";
}
