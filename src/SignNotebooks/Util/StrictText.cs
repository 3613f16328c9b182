using System.Text;

namespace SignNotebooks.Util;

/// <summary>A text file with a byte that is not UTF-8: the file, the 1-based line and the 0-based byte offset in the file.</summary>
public sealed class InvalidTextException(string path, int line, long byteOffset, byte value)
    : UserFacingException($"{path}: line {line}, byte offset {byteOffset}: byte 0x{value:x2} is not valid UTF-8. " +
                          "Fix: re-save the file as UTF-8 (e.g. `iconv -f latin1 -t utf-8 in > out` for a Latin-1 file).")
{
    public string Path { get; } = path;
    public int Line { get; } = line;
    public long ByteOffset { get; } = byteOffset;
    public byte Value { get; } = value;
}

/// <summary>
/// Reads text files as strict UTF-8: a byte sequence that is not UTF-8 is an error naming where it is, never a silent
/// U+FFFD that would then be scored as a word or counted as a gloss. A UTF-8 byte-order mark is dropped.
/// </summary>
public static class StrictText
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The lines of a file (split at \n, a trailing \r removed), like <see cref="File.ReadAllLines(string)"/>.</summary>
    public static string[] ReadAllLines(string path)
    {
        var bytes = File.ReadAllBytes(path);
        int start = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
        var lines = new List<string>();
        int line = 1;
        // 0x0A never occurs inside a multi-byte UTF-8 sequence, so each line decodes on its own.
        while (start < bytes.Length)
        {
            int end = Array.IndexOf(bytes, (byte)'\n', start);
            int stop = end < 0 ? bytes.Length : end;
            int length = stop - start;
            if (length > 0 && bytes[stop - 1] == '\r') length--;
            try { lines.Add(Strict.GetString(bytes, start, length)); }
            catch (DecoderFallbackException e)
            {
                long offset = start + Math.Max(0, e.Index);
                throw new InvalidTextException(path, line, offset, bytes[Math.Min(offset, bytes.Length - 1)]);
            }
            if (end < 0) break;
            start = end + 1;
            line++;
        }
        return lines.ToArray();
    }
}
