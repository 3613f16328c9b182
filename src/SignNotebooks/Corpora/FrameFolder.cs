using System.Text.RegularExpressions;
using SkiaSharp;

namespace SignNotebooks.Corpora;

/// <summary>
/// The frame files of one clip: listing, cheap integrity checks and decoding. PNG and JPEG are decoded with
/// SkiaSharp (already shipped with ScottPlot), so no further native dependency is needed.
/// </summary>
public static partial class FrameFolder
{
    /// <summary>Frame files of a folder in frame order (ordinal name order: the releases zero-pad their numbers).</summary>
    public static string[] List(string dir, string extension) =>
        Directory.Exists(dir)
            ? Directory.GetFiles(dir, "*" + extension).Order(StringComparer.Ordinal).ToArray()
            : [];

    /// <summary>
    /// The frame number in a file name: Phoenix-2014's digits after "fn" (…avi_pid0_fn000011-0.png → 11, the "-0"
    /// is not the frame), else the last run of digits (images0012.png → 12, 000012.jpg → 12).
    /// </summary>
    public static int? Number(string file)
    {
        var m = FrameNumberRegex().Match(Path.GetFileNameWithoutExtension(file));
        var g = m.Groups[1].Success ? m.Groups[1] : m.Groups[2];
        return m.Success && int.TryParse(g.Value, out var n) ? n : null;
    }

    [GeneratedRegex(@"_fn(\d+)|(\d+)\D*$")]
    private static partial Regex FrameNumberRegex();

    /// <summary>
    /// Why the file cannot be used, or null. Reads the header (format, size) and the last bytes, which catches
    /// the usual damage (empty, truncated, renamed non-images) without decoding every pixel.
    /// </summary>
    public static string? Problem(string path, out int width, out int height) => Problem(File.ReadAllBytes(path), out width, out height);

    /// <summary>As <see cref="Problem(string, out int, out int)"/>, for an image held in memory (a zip entry).</summary>
    public static string? Problem(byte[] bytes, out int width, out int height)
    {
        width = height = 0;
        if (bytes.Length == 0) return "empty file";
        using (var data = SKData.CreateCopy(bytes))
        using (var codec = SKCodec.Create(data))
        {
            if (codec is null) return "not a PNG or JPEG image";
            width = codec.Info.Width; height = codec.Info.Height;
        }
        bool png = bytes.Length > 8 && bytes[0] == 0x89 && bytes[1] == (byte)'P';
        // A PNG ends with its IEND chunk; a JPEG with the EOI marker FF D9 (allowing a few padding bytes).
        if (png && !bytes.AsSpan(Math.Max(0, bytes.Length - 12)).SequenceEqual(PngEnd)) return "truncated PNG (no IEND chunk at the end)";
        if (!png && bytes.AsSpan(Math.Max(0, bytes.Length - 32)).IndexOf(JpegEnd) < 0) return "truncated JPEG (no end-of-image marker)";
        return null;
    }

    private static readonly byte[] PngEnd = [0, 0, 0, 0, (byte)'I', (byte)'E', (byte)'N', (byte)'D', 0xAE, 0x42, 0x60, 0x82];
    private static readonly byte[] JpegEnd = [0xFF, 0xD9];

    /// <summary>Width and height from the header only.</summary>
    public static (int Width, int Height) Size(string path)
    {
        using var codec = SKCodec.Create(path) ?? throw new InvalidDataException($"{path}: not a PNG or JPEG image");
        return (codec.Info.Width, codec.Info.Height);
    }

    /// <summary>Width and height of an image held in memory (a zip entry); <paramref name="where"/> names it in errors.</summary>
    public static (int Width, int Height) Size(byte[] image, string where)
    {
        using var data = SKData.CreateCopy(image);
        using var codec = SKCodec.Create(data) ?? throw new InvalidDataException($"{where}: not a PNG or JPEG image");
        return (codec.Info.Width, codec.Info.Height);
    }

    /// <summary>Decodes to (H, W, 3) RGB bytes written at <paramref name="offset"/> of <paramref name="rgb"/>.</summary>
    public static void DecodeInto(string path, byte[] rgb, int offset, int width, int height)
    {
        using var codec = SKCodec.Create(path) ?? throw new InvalidDataException($"{path}: not a PNG or JPEG image");
        Decode(codec, path, rgb, offset, width, height);
    }

    /// <summary>As <see cref="DecodeInto(string, byte[], int, int, int)"/>, from an image held in memory.</summary>
    public static void DecodeInto(byte[] image, string where, byte[] rgb, int offset, int width, int height)
    {
        using var data = SKData.CreateCopy(image);
        using var codec = SKCodec.Create(data) ?? throw new InvalidDataException($"{where}: not a PNG or JPEG image");
        Decode(codec, where, rgb, offset, width, height);
    }

    private static void Decode(SKCodec codec, string where, byte[] rgb, int offset, int width, int height)
    {
        if (codec.Info.Width != width || codec.Info.Height != height)
            throw new InvalidDataException($"{where}: {codec.Info.Width}x{codec.Info.Height}, but the clip's first frame is {width}x{height}");
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var rgba = new byte[width * height * 4];
        unsafe
        {
            fixed (byte* p = rgba)
            {
                var r = codec.GetPixels(info, (IntPtr)p);
                if (r != SKCodecResult.Success)   // IncompleteInput means a truncated file: refuse rather than train on grey
                    throw new InvalidDataException($"{where}: cannot be decoded ({r})");
            }
        }
        for (int i = 0, o = offset; i < rgba.Length; i += 4, o += 3)
        {
            rgb[o] = rgba[i]; rgb[o + 1] = rgba[i + 1]; rgb[o + 2] = rgba[i + 2];
        }
    }
}
