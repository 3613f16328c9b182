namespace SignNotebooks.Pose;

/// <summary>The colour order a pose model expects on its input channels. ONNX files do not record it.</summary>
public enum ChannelOrder
{
    /// <summary>mmpose models: images are converted to RGB by the data preprocessor (<c>bgr_to_rgb=True</c>).</summary>
    Rgb,
    /// <summary>Models exported with OpenCV's native order baked in.</summary>
    Bgr,
}
