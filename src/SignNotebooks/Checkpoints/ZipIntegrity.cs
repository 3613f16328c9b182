using System.IO.Compression;
using SignNotebooks.Util;

namespace SignNotebooks.Checkpoints;

/// <summary>
/// Checks a file before it is unpickled as a torch.save archive: tells an empty file, random bytes and the legacy
/// (non-zip) format apart, and verifies every zip member's CRC-32, which the unpickler never does — a flipped byte in
/// a tensor's data would otherwise load as a wrong (often NaN) weight.
/// </summary>
public static class ZipIntegrity
{
    /// <summary>What the first bytes of a file say it is.</summary>
    public enum Kind { Empty, Zip, Pickle, Other }

    public static Kind Sniff(string path, out byte[] head)
    {
        using var s = File.OpenRead(path);
        head = new byte[Math.Min(8, (int)Math.Min(s.Length, 8))];
        s.ReadExactly(head);
        if (head.Length == 0) return Kind.Empty;
        if (head.Length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) return Kind.Zip;
        // A pickle starts with PROTO (0x80) and a protocol number; the legacy torch.save format is a pickle.
        if (head.Length >= 2 && head[0] == 0x80 && head[1] is >= 2 and <= 5) return Kind.Pickle;
        return Kind.Other;
    }

    /// <summary>Throws a <see cref="UserFacingException"/> naming the first member whose CRC-32 does not match its data.</summary>
    public static void Verify(string path)
    {
        ZipArchive zip;
        try { zip = ZipFile.OpenRead(path); }
        catch (InvalidDataException e)
        {
            throw Damaged(path, $"the zip structure is broken ({e.Message}); the file is probably truncated");
        }
        using (zip)
        {
            var buffer = new byte[1 << 16];
            foreach (var entry in zip.Entries)
            {
                if (entry.FullName.EndsWith('/')) continue;
                uint crc = 0xFFFFFFFFu;
                try
                {
                    using var s = entry.Open();
                    for (int n; (n = s.Read(buffer, 0, buffer.Length)) > 0;)
                        crc = Crc32.Update(crc, buffer.AsSpan(0, n));
                }
                catch (InvalidDataException e)   // .NET checks the CRC itself at the end of some members
                {
                    throw Damaged(path, $"member {entry.FullName} fails its checksum ({e.Message})");
                }
                crc ^= 0xFFFFFFFFu;
                if (crc != entry.Crc32)
                    throw Damaged(path, $"member {entry.FullName} fails its checksum (CRC-32 recorded 0x{entry.Crc32:x8}, data gives 0x{crc:x8})");
            }
        }
    }

    private static UserFacingException Damaged(string path, string what) =>
        new($"checkpoint {path}: damaged: {what}. Fix: copy or download it again and compare its size and checksum; " +
            "for a run's own checkpoint, use its other checkpoint (best/last) or resume the run.");

    /// <summary>The CRC-32 of zip (IEEE 802.3, reflected polynomial 0xEDB88320).</summary>
    private static class Crc32
    {
        private static readonly uint[] Table = Enumerable.Range(0, 256).Select(i =>
        {
            uint c = (uint)i;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            return c;
        }).ToArray();

        public static uint Update(uint crc, ReadOnlySpan<byte> data)
        {
            foreach (var b in data) crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
            return crc;
        }
    }
}
