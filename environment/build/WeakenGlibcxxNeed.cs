// Marks the GLIBCXX_3.4.32 version need of libLibTorchSharp.so as WEAK. See FixLibTorchSharp.targets for why.
// One source for two users: MSBuild compiles the task (RoslynCodeTaskFactory) and the library compiles
// ElfVersionNeeds (with SIGNNB_LIBRARY defined) so `signnb doctor` can tell whether a copy is fixed.
using System;
using System.IO;
using System.Text;
#if !SIGNNB_LIBRARY
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
#endif

namespace SignNotebooks.Build
{
#if !SIGNNB_LIBRARY
    public class WeakenGlibcxxNeed : Task
    {
        [Required] public string[] Roots { get; set; }

        public override bool Execute()
        {
            foreach (var root in Roots)
            {
                if (string.IsNullOrEmpty(root) || !Directory.Exists(root)) continue;
                foreach (var path in Directory.EnumerateFiles(root, ElfVersionNeeds.FileName, SearchOption.AllDirectories))
                {
                    try
                    {
                        if (ElfVersionNeeds.Scan(path, fix: true) > 0)
                            Log.LogMessage(MessageImportance.High, "SignNotebooks: marked " + ElfVersionNeeds.NeededVersion + " weak in " + path);
                    }
                    catch (Exception e)
                    {
                        Log.LogError("SignNotebooks: could not patch " + path + ": " + e.Message +
                                     ". Fix: make the file writable (or delete it so NuGet restores a fresh copy) and build again.");
                        return false;
                    }
                }
            }
            return !Log.HasLoggedErrors;
        }
    }
#endif

    /// <summary>Reads (and optionally fixes) the version needs of an ELF shared library.</summary>
    public static class ElfVersionNeeds
    {
        public const string FileName = "libLibTorchSharp.so";
        public const string NeededVersion = "GLIBCXX_3.4.32";
        const uint ShtGnuVerneed = 0x6ffffffe;
        const ushort VerFlgWeak = 2;

        /// <summary>
        /// Counts the non-weak GLIBCXX_3.4.32 needs of the file; with <paramref name="fix"/> marks them weak
        /// (written beside and renamed, so an interrupted build never leaves a half-written library).
        /// </summary>
        public static int Scan(string path, bool fix)
        {
            byte[] b = File.ReadAllBytes(path);
            int changed = 0;
            foreach (int at in NeedFlagOffsets(b))
            {
                ushort flags = BitConverter.ToUInt16(b, at);
                if ((flags & VerFlgWeak) != 0) continue;
                ushort nf = (ushort)(flags | VerFlgWeak);
                b[at] = (byte)(nf & 0xff);
                b[at + 1] = (byte)(nf >> 8);
                changed++;
            }
            if (changed > 0 && fix)
            {
                string tmp = path + ".signnb-tmp";
                File.WriteAllBytes(tmp, b);
                File.Replace(tmp, path, null);
            }
            return changed;
        }

        /// <summary>File offsets of the vna_flags fields of every GLIBCXX_3.4.32 need (weak or not).</summary>
        public static System.Collections.Generic.List<int> NeedFlagOffsets(byte[] b)
        {
            if (b.Length < 64 || b[0] != 0x7f || b[1] != (byte)'E' || b[2] != (byte)'L' || b[3] != (byte)'F')
                throw new InvalidDataException("not an ELF file");
            if (b[4] != 2 || b[5] != 1) throw new InvalidDataException("expected a 64-bit little-endian ELF file");
            var result = new System.Collections.Generic.List<int>();
            long shoff = (long)BitConverter.ToUInt64(b, 0x28);
            int shentsize = BitConverter.ToUInt16(b, 0x3A);
            int shnum = BitConverter.ToUInt16(b, 0x3C);
            for (int i = 0; i < shnum; i++)
            {
                int sh = (int)(shoff + (long)i * shentsize);
                if (BitConverter.ToUInt32(b, sh + 4) != ShtGnuVerneed) continue;
                long offset = (long)BitConverter.ToUInt64(b, sh + 0x18);
                uint link = BitConverter.ToUInt32(b, sh + 0x28);
                uint count = BitConverter.ToUInt32(b, sh + 0x2C); // sh_info = number of Verneed entries
                long strOff = (long)BitConverter.ToUInt64(b, (int)(shoff + (long)link * shentsize) + 0x18);
                long vn = offset;
                for (uint n = 0; n < count; n++)
                {
                    ushort cnt = BitConverter.ToUInt16(b, (int)vn + 2);
                    uint aux = BitConverter.ToUInt32(b, (int)vn + 8);
                    uint next = BitConverter.ToUInt32(b, (int)vn + 12);
                    long va = vn + aux;
                    for (int a = 0; a < cnt; a++)
                    {
                        uint name = BitConverter.ToUInt32(b, (int)va + 8);
                        uint vnext = BitConverter.ToUInt32(b, (int)va + 12);
                        if (ReadCString(b, strOff + name) == NeededVersion) result.Add((int)va + 4);
                        if (vnext == 0) break;
                        va += vnext;
                    }
                    if (next == 0) break;
                    vn += next;
                }
            }
            return result;
        }

        static string ReadCString(byte[] b, long at)
        {
            long end = at;
            while (end < b.Length && b[end] != 0) end++;
            return Encoding.ASCII.GetString(b, (int)at, (int)(end - at));
        }
    }
}
