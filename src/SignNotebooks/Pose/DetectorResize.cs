namespace SignNotebooks.Pose;

/// <summary>How a frame is fitted to a detector's fixed input.</summary>
public enum DetectorResize
{
    /// <summary>Keep the aspect ratio, place the scaled frame top-left and pad the rest (mmdet Resize keep_ratio + Pad; RTMDet, YOLOX).</summary>
    Letterbox,
    /// <summary>Scale each axis to the input size (aspect ratio not kept).</summary>
    Stretch,
}
