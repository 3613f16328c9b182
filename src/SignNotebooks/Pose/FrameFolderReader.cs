using System.Text.RegularExpressions;
using SignNotebooks.Util;
using SkiaSharp;

namespace SignNotebooks.Pose;

/// <summary>
/// Frames from a folder of PNG/JPG images (the Phoenix layout: images0001.png …), in natural order so that
/// frame2 comes before frame10 even without zero padding. Decoded with SkiaSharp (already a dependency of ScottPlot).
/// </summary>
public static partial class FrameFolderReader
{
    private static readonly string[] Extensions = [".png", ".jpg", ".jpeg"];

    /// <summary>The image files of <paramref name="dir"/> in frame order; a clear error when there are none.</summary>
    public static IReadOnlyList<string> List(string dir)
    {
        if (!Directory.Exists(dir))
            throw new UserFacingException($"frames folder {dir} does not exist. Fix: pass a folder of PNG/JPG frames (--frames DIR).");
        var files = Directory.EnumerateFiles(dir)
            .Where(f => Extensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
            .OrderBy(f => NaturalKey(Path.GetFileName(f)), StringComparer.Ordinal).ToList();
        if (files.Count == 0)
            throw new UserFacingException($"frames folder {dir} has no .png/.jpg frames (zero frames). Fix: point --frames at the folder holding the images.");
        return files;
    }

    /// <summary>The frames of <paramref name="dir"/>, decoded lazily one at a time.</summary>
    public static IEnumerable<RgbFrame> Read(string dir)
    {
        foreach (var f in List(dir)) yield return Decode(f);
    }

    /// <summary>One image file as RGB (alpha dropped, no colour management).</summary>
    public static RgbFrame Decode(string file)
    {
        using var codec = SKCodec.Create(file)
            ?? throw new UserFacingException($"frame {file} is not a readable PNG/JPG image. Fix: re-export it or remove it from the folder.");
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var bmp = SKBitmap.Decode(codec, info)
            ?? throw new UserFacingException($"frame {file} could not be decoded. Fix: re-export it or remove it from the folder.");
        var rgba = bmp.GetPixelSpan();
        var rgb = new byte[info.Width * info.Height * 3];
        for (int i = 0, o = 0; o < rgb.Length; i += 4, o += 3) { rgb[o] = rgba[i]; rgb[o + 1] = rgba[i + 1]; rgb[o + 2] = rgba[i + 2]; }
        return new RgbFrame(info.Width, info.Height, rgb);
    }

    // Digit runs padded to 12 places, so an ordinal sort of the keys is a natural sort of the names.
    private static string NaturalKey(string name) => Digits().Replace(name, m => m.Value.PadLeft(12, '0'));

    [GeneratedRegex(@"\d+")]
    private static partial Regex Digits();
}
