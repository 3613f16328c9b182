namespace SignNotebooks.Pose;

/// <summary>One decoded video frame: (H, W, 3) interleaved 8-bit RGB, row-major.</summary>
public sealed record RgbFrame(int Width, int Height, byte[] Rgb)
{
    /// <summary>Checks the buffer size once, so the samplers can index without bounds worries.</summary>
    public RgbFrame Validate()
    {
        if (Width <= 0 || Height <= 0 || Rgb.Length != Width * Height * 3)
            throw new ArgumentException($"an RGB frame of {Width}×{Height} needs {Width * Height * 3} bytes, got {Rgb.Length}");
        return this;
    }
}
