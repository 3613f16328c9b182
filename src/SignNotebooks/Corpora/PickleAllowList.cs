using System.Text;
using SignNotebooks.Util;

namespace SignNotebooks.Corpora;

/// <summary>
/// Walks a pickle's opcodes without executing any of them and lists every class or function it would look up
/// (GLOBAL, STACK_GLOBAL, INST). <see cref="SafeUnpickler"/> refuses a file unless every one of them is on its
/// allow-list: a pickle is a program, and a corpus file from the internet must not get to choose what it runs.
/// </summary>
public static class PickleAllowList
{
    /// <summary>Returns the "module.name" globals of the pickle in <paramref name="s"/>, in order of appearance, and
    /// leaves the stream just after its STOP opcode (a torch.save archive is several pickles in a row).
    /// Throws a <see cref="UserFacingException"/> for opcodes whose target cannot be known before running them.
    /// <paramref name="allowPersistentIds"/> accepts BINPERSID, which only the storage pickle inside a torch tensor's
    /// bytes uses: the caller's unpickler then resolves the id itself and never hands it to Python code.</summary>
    public static List<string> Scan(Stream s, string source, bool allowPersistentIds = false)
    {
        try { return ScanOpcodes(s, source, allowPersistentIds); }
        catch (EndOfStreamException) { throw Refuse(source, "an argument cut off by the end of the file (truncated?)"); }
        catch (InvalidDataException e) { throw Refuse(source, $"damaged gzip data (truncated? {e.Message})"); }
    }

    private static List<string> ScanOpcodes(Stream s, string source, bool allowPersistentIds)
    {
        var globals = new List<string>();
        var memo = new Dictionary<long, string?>();
        // The values of the last stack pushes, as far as STACK_GLOBAL needs them: a string, or null for anything else.
        var pushes = new List<string?>();
        void Push(string? v) { pushes.Add(v); if (pushes.Count > 4) pushes.RemoveAt(0); }
        string? Top() => pushes.Count > 0 ? pushes[^1] : null;

        while (true)
        {
            int op = s.ReadByte();
            if (op < 0) throw Refuse(source, "the file ends before the pickle's STOP opcode (truncated?)");
            switch (op)
            {
                case '.': return globals;                                                  // STOP
                case 0x80: Skip(s, 1, source); break;                                      // PROTO
                case 0x95: Skip(s, 8, source); break;                                      // FRAME
                case '(': case '0': case '1': case '2': case 'N': case 0x88: case 0x89:    // MARK POP POP_MARK DUP NONE TRUE FALSE
                case 'R': case 'a': case 'b': case 'd': case '}': case 'e': case 'l': case ']': case 'o':
                case 's': case 't': case ')': case 'u': case 0x81: case 0x85: case 0x86: case 0x87:
                case 0x8f: case 0x90: case 0x91: case 0x92: case 0x98:
                    Push(null); break;
                case 'F': case 'I': case 'L': ReadLine(s, source); Push(null); break;
                case 'J': Skip(s, 4, source); Push(null); break;
                case 'K': Skip(s, 1, source); Push(null); break;
                case 'M': Skip(s, 2, source); Push(null); break;
                case 'G': Skip(s, 8, source); Push(null); break;
                case 0x8a: Skip(s, ReadLength(s, 1, source), source); Push(null); break;       // LONG1
                case 0x8b: Skip(s, ReadLength(s, 4, source), source); Push(null); break;       // LONG4
                case 'S': ReadLine(s, source); Push(null); break;                              // STRING (py2 str)
                case 'T': Skip(s, ReadLength(s, 4, source), source); Push(null); break;        // BINSTRING
                case 'U': Skip(s, ReadLength(s, 1, source), source); Push(null); break;        // SHORT_BINSTRING
                case 'B': Skip(s, ReadLength(s, 4, source), source); Push(null); break;        // BINBYTES
                case 'C': Skip(s, ReadLength(s, 1, source), source); Push(null); break;        // SHORT_BINBYTES
                case 0x8e: case 0x96: Skip(s, ReadLength(s, 8, source), source); Push(null); break; // BINBYTES8 BYTEARRAY8
                case 'V': Push(ReadLine(s, source)); break;                                    // UNICODE
                case 'X': Push(ReadString(s, ReadLength(s, 4, source), source)); break;        // BINUNICODE
                case 0x8c: Push(ReadString(s, ReadLength(s, 1, source), source)); break;       // SHORT_BINUNICODE
                case 0x8d: Push(ReadString(s, ReadLength(s, 8, source), source)); break;       // BINUNICODE8
                case 'g': Push(memo.GetValueOrDefault(long.Parse(ReadLine(s, source)))); break; // GET
                case 'h': Push(memo.GetValueOrDefault(ReadLength(s, 1, source))); break;       // BINGET
                case 'j': Push(memo.GetValueOrDefault(ReadLength(s, 4, source))); break;       // LONG_BINGET
                case 'p': memo[long.Parse(ReadLine(s, source))] = Top(); break;                // PUT
                case 'q': memo[ReadLength(s, 1, source)] = Top(); break;                       // BINPUT
                case 'r': memo[ReadLength(s, 4, source)] = Top(); break;                       // LONG_BINPUT
                case 0x94: memo[memo.Count] = Top(); break;                                    // MEMOIZE
                case 'c': case 'i':                                                            // GLOBAL, INST
                    globals.Add(ReadLine(s, source) + "." + ReadLine(s, source)); Push(null); break;
                case 0x93:                                                                     // STACK_GLOBAL
                    if (pushes.Count < 2 || pushes[^1] is null || pushes[^2] is null)
                        throw Refuse(source, "a STACK_GLOBAL whose class name is computed, so it cannot be checked before running");
                    globals.Add(pushes[^2] + "." + pushes[^1]); Push(null); break;
                case 'Q' when allowPersistentIds: Push(null); break;                           // BINPERSID
                case 'P': case 'Q':
                    throw Refuse(source, "a persistent id (PERSID), used by torch.save files, not by corpus pickles");
                case 0x82: case 0x83: case 0x84:
                    throw Refuse(source, "an extension-registry reference (EXT1/2/4), whose class cannot be checked");
                case 0x97:
                    throw Refuse(source, "an out-of-band buffer (NEXT_BUFFER), which a file cannot provide");
                default:
                    throw Refuse(source, $"unknown pickle opcode 0x{op:x2} at byte {SafePosition(s)}");
            }
        }
    }

    private static long SafePosition(Stream s) => s.CanSeek ? s.Position - 1 : -1;

    private static UserFacingException Refuse(string source, string what) =>
        new($"{source}: refused to unpickle: the file contains {what}. " +
            (what.Contains("truncated") ? "Fix: download or copy it again and compare its size."
                                        : "Fix: re-create it with pickle.dump of plain Python values and numpy arrays."));

    private static long ReadLength(Stream s, int bytes, string source)
    {
        Span<byte> b = stackalloc byte[8];
        b.Clear();
        s.ReadExactly(b[..bytes]);
        long n = BitConverter.ToInt64(b);
        if (n < 0) throw Refuse(source, "a negative length");
        return n;
    }

    private static void Skip(Stream s, long n, string source)
    {
        if (s.CanSeek) { if (s.Position + n > s.Length) throw Refuse(source, "a length beyond the end of the file (truncated?)"); s.Seek(n, SeekOrigin.Current); return; }
        var buf = new byte[(int)Math.Min(n, 1 << 20)];
        while (n > 0)
        {
            int r = s.Read(buf, 0, (int)Math.Min(n, buf.Length));
            if (r <= 0) throw Refuse(source, "a length beyond the end of the file (truncated?)");
            n -= r;
        }
    }

    private static string ReadString(Stream s, long n, string source)
    {
        if (n > 1 << 20) { Skip(s, n, source); return ""; }   // a long text is data, never a module or class name
        var b = new byte[n];
        s.ReadExactly(b);
        return Encoding.UTF8.GetString(b);
    }

    private static string ReadLine(Stream s, string source)
    {
        var b = new List<byte>();
        while (true)
        {
            int c = s.ReadByte();
            if (c < 0) throw Refuse(source, "a text argument without its end of line (truncated?)");
            if (c == '\n') return Encoding.UTF8.GetString(b.ToArray());
            b.Add((byte)c);
        }
    }
}
