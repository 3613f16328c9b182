using System.IO.Compression;

namespace SignNotebooks.Synthetic;

/// <summary>
/// Minimal PNG writer for 8-bit RGB images (zlib via System.IO.Compression, CRC-32 in code): no native
/// dependency, deterministic bytes, fast enough for exporting thousands of small frames.
/// </summary>
public static class PngEncoder
{
    private static readonly uint[] CrcTable = BuildCrcTable();

    /// <summary>Encodes (H, W, 3) RGB bytes starting at <paramref name="offset"/>.</summary>
    public static byte[] Encode(byte[] rgb, int offset, int width, int height, CompressionLevel level = CompressionLevel.Fastest)
    {
        using var ms = new MemoryStream();
        ms.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BigEndian(ihdr, 0, (uint)width); BigEndian(ihdr, 4, (uint)height);
        ihdr[8] = 8; ihdr[9] = 2;                      // 8 bits, truecolour; compression, filter, interlace 0
        Chunk(ms, "IHDR", ihdr);
        using (var raw = new MemoryStream())
        {
            using (var z = new ZLibStream(raw, level, leaveOpen: true))
            {
                int row = width * 3;
                for (int y = 0; y < height; y++)
                {
                    z.WriteByte(0);                         // filter: none
                    z.Write(rgb, offset + y * row, row);
                }
            }
            Chunk(ms, "IDAT", raw.ToArray());
        }
        Chunk(ms, "IEND", []);
        return ms.ToArray();
    }

    /// <summary>Reads width and height from a PNG header (for tests and validators).</summary>
    public static (int Width, int Height) ReadSize(byte[] png)
    {
        if (png.Length < 24 || png[0] != 0x89 || png[1] != 0x50 || png[12] != 'I' || png[13] != 'H')
            throw new InvalidDataException("not a PNG file");
        int W = (png[16] << 24) | (png[17] << 16) | (png[18] << 8) | png[19];
        int H = (png[20] << 24) | (png[21] << 16) | (png[22] << 8) | png[23];
        return (W, H);
    }

    private static void Chunk(Stream s, string type, byte[] data)
    {
        var len = new byte[4]; BigEndian(len, 0, (uint)data.Length); s.Write(len);
        var t = System.Text.Encoding.ASCII.GetBytes(type);
        s.Write(t); s.Write(data);
        uint crc = 0xFFFFFFFFu;
        foreach (var b in t) crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        foreach (var b in data) crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        var c = new byte[4]; BigEndian(c, 0, crc ^ 0xFFFFFFFFu); s.Write(c);
    }

    private static void BigEndian(byte[] b, int o, uint v) { b[o] = (byte)(v >> 24); b[o + 1] = (byte)(v >> 16); b[o + 2] = (byte)(v >> 8); b[o + 3] = (byte)v; }

    private static uint[] BuildCrcTable()
    {
        var t = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[n] = c;
        }
        return t;
    }
}
