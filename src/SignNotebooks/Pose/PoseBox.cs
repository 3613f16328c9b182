namespace SignNotebooks.Pose;

/// <summary>
/// A person box in frame pixels (top-left corner and size). The estimator widens it to the model's aspect ratio
/// (mmpose's <c>fix_aspect_ratio</c>), so the crop is never distorted, and maps decoded points back through it.
/// </summary>
public readonly record struct PoseBox(double X, double Y, double Width, double Height)
{
    /// <summary>The whole frame: the default, since sign language corpora are signer-centred (spec §1.2 uses a detector instead).</summary>
    public static PoseBox Full(int width, int height) => new(0, 0, width, height);

    /// <summary>The same centre, scaled by <paramref name="padding"/>, then grown along one axis to width/height = <paramref name="aspect"/>.</summary>
    public PoseBox FitAspect(double aspect, double padding = 1.0)
    {
        double cx = X + Width / 2, cy = Y + Height / 2;
        double w = Width * padding, h = Height * padding;
        if (w > h * aspect) h = w / aspect; else w = h * aspect;
        return new PoseBox(cx - w / 2, cy - h / 2, w, h);
    }
}
