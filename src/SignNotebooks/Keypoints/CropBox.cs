namespace SignNotebooks.Keypoints;

/// <summary>A crop rectangle in pixels of some image: rows [Top, Top+Height), columns [Left, Left+Width).
/// Same (i, j, h, w) convention as torchvision's crop parameters.</summary>
public readonly record struct CropBox(int Top, int Left, int Height, int Width)
{
    /// <summary>The whole image (a plain resize, no crop).</summary>
    public static CropBox Full(int height, int width) => new(0, 0, height, width);

    /// <summary>
    /// The same box on another grid: every coordinate multiplied by the size ratio and truncated with int(),
    /// as SLRT does when it reuses the RGB box on the heatmaps (spec §7.4). Clamped to the target grid so
    /// non-integer ratios can never reach outside it, and at least one pixel high and wide.
    /// </summary>
    public CropBox Scale(double factorY, double factorX, int targetHeight, int targetWidth)
    {
        int top = Math.Min((int)(Top * factorY), targetHeight - 1);
        int left = Math.Min((int)(Left * factorX), targetWidth - 1);
        int h = Math.Clamp((int)(Height * factorY), 1, targetHeight - top);
        int w = Math.Clamp((int)(Width * factorX), 1, targetWidth - left);
        return new CropBox(top, left, h, w);
    }

    /// <summary>torchvision's CenterCrop box: offsets rounded to nearest.</summary>
    public static CropBox Center(int height, int width, int cropHeight, int cropWidth)
    {
        cropHeight = Math.Min(cropHeight, height);
        cropWidth = Math.Min(cropWidth, width);
        return new((int)Math.Round((height - cropHeight) / 2.0, MidpointRounding.ToEven),
            (int)Math.Round((width - cropWidth) / 2.0, MidpointRounding.ToEven), cropHeight, cropWidth);
    }
}
