namespace SignNotebooks.Pose.Holistic;

/// <summary>
/// A rotated rectangle in frame pixels: centre, size and rotation (radians, clockwise in image coordinates, as
/// MediaPipe's <c>NormalizedRect.rotation</c>). The region every MediaPipe model sees.
/// </summary>
public readonly record struct Roi(float CenterX, float CenterY, float Width, float Height, float Rotation)
{
    /// <summary>The whole frame, unrotated.</summary>
    public static Roi Frame(int width, int height) => new(width / 2f, height / 2f, width, height, 0);

    /// <summary>Frame pixel of a point given in ROI-normalised coordinates (0..1 across the ROI, before rotation).</summary>
    public (float X, float Y) ToFrame(float u, float v)
    {
        float dx = (u - 0.5f) * Width, dy = (v - 0.5f) * Height;
        float c = MathF.Cos(Rotation), s = MathF.Sin(Rotation);
        return (CenterX + dx * c - dy * s, CenterY + dx * s + dy * c);
    }

    /// <summary>ROI-normalised coordinates of a frame pixel: the inverse of <see cref="ToFrame"/>.</summary>
    public (float U, float V) FromFrame(float x, float y)
    {
        float dx = x - CenterX, dy = y - CenterY;
        float c = MathF.Cos(Rotation), s = MathF.Sin(Rotation);
        return ((dx * c + dy * s) / Width + 0.5f, (-dx * s + dy * c) / Height + 0.5f);
    }

    /// <summary>Grows the shorter side so the ROI has the aspect ratio <paramref name="w"/>:<paramref name="h"/> (MediaPipe's keep_aspect_ratio letterbox).</summary>
    public Roi WithAspect(int w, int h)
    {
        float target = (float)w / h;
        return Width / Height > target ? this with { Height = Width / target } : this with { Width = Height * target };
    }
}

/// <summary>Samples an ROI into a model's NHWC float input (MediaPipe's ImageToTensorCalculator on the CPU).</summary>
public static class RoiCrop
{
    /// <summary>
    /// Bilinear sample of <paramref name="roi"/> at <paramref name="outW"/>×<paramref name="outH"/> pixel centres,
    /// values mapped from 0..255 to [<paramref name="lo"/>, <paramref name="hi"/>]. Outside the frame: black (zero
    /// border) or the nearest edge pixel (<paramref name="replicate"/>).
    /// </summary>
    public static float[] Crop(RgbFrame f, Roi roi, int outW, int outH, float lo, float hi, bool replicate = false, float[]? into = null)
    {
        var o = into ?? new float[outW * outH * 3];
        float scale = (hi - lo) / 255f;
        float c = MathF.Cos(roi.Rotation), s = MathF.Sin(roi.Rotation);
        float sx = roi.Width / outW, sy = roi.Height / outH;
        var rgb = f.Rgb;
        int w = f.Width, h = f.Height;
        for (int v = 0; v < outH; v++)
        {
            float dy = (v + 0.5f) * sy - roi.Height / 2;
            for (int u = 0; u < outW; u++)
            {
                float dx = (u + 0.5f) * sx - roi.Width / 2;
                // Frame position of this output pixel's centre, in pixel-index coordinates (centre of pixel i is i).
                float x = roi.CenterX + dx * c - dy * s - 0.5f, y = roi.CenterY + dx * s + dy * c - 0.5f;
                int idx = (v * outW + u) * 3;
                if (replicate) { x = Math.Clamp(x, 0, w - 1); y = Math.Clamp(y, 0, h - 1); }
                int x0 = (int)MathF.Floor(x), y0 = (int)MathF.Floor(y);
                float fx = x - x0, fy = y - y0;
                for (int ch = 0; ch < 3; ch++)
                {
                    float p00 = Px(x0, y0), p10 = Px(x0 + 1, y0), p01 = Px(x0, y0 + 1), p11 = Px(x0 + 1, y0 + 1);
                    float val = (1 - fy) * ((1 - fx) * p00 + fx * p10) + fy * ((1 - fx) * p01 + fx * p11);
                    o[idx + ch] = lo + val * scale;

                    float Px(int px, int py)
                    {
                        if (replicate) { px = Math.Clamp(px, 0, w - 1); py = Math.Clamp(py, 0, h - 1); }
                        else if (px < 0 || py < 0 || px >= w || py >= h) return 0;
                        return rgb[(py * w + px) * 3 + ch];
                    }
                }
            }
        }
        return o;
    }
}
