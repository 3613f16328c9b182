using SignNotebooks.Keypoints;

namespace SignNotebooks.Data;

/// <summary>
/// torchvision's RandomResizedCrop box sampling (spec §7.4: scale (0.7, 1.0), ratio (0.75, 1.3)): ten tries at a
/// random area fraction and log-uniform aspect ratio, then the central fallback. One box per clip.
/// </summary>
public static class RandomResizedCrop
{
    /// <summary>A box on a height×width image.</summary>
    public static CropBox Sample(int height, int width, Random rng, (double Min, double Max) scale, (double Min, double Max) ratio)
    {
        double area = (double)height * width;
        double logLo = Math.Log(ratio.Min), logHi = Math.Log(ratio.Max);
        for (int attempt = 0; attempt < 10; attempt++)
        {
            double target = area * (scale.Min + (scale.Max - scale.Min) * rng.NextDouble());
            double aspect = Math.Exp(logLo + (logHi - logLo) * rng.NextDouble());
            int w = (int)Math.Round(Math.Sqrt(target * aspect), MidpointRounding.ToEven);
            int h = (int)Math.Round(Math.Sqrt(target / aspect), MidpointRounding.ToEven);
            if (w > 0 && w <= width && h > 0 && h <= height)
                return new CropBox(rng.Next(0, height - h + 1), rng.Next(0, width - w + 1), h, w);
        }
        double inRatio = (double)width / height;
        int fw, fh;
        if (inRatio < ratio.Min) { fw = width; fh = (int)Math.Round(fw / ratio.Min, MidpointRounding.ToEven); }
        else if (inRatio > ratio.Max) { fh = height; fw = (int)Math.Round(fh * ratio.Max, MidpointRounding.ToEven); }
        else { fw = width; fh = height; }
        return new CropBox((height - fh) / 2, (width - fw) / 2, fh, fw);
    }
}
