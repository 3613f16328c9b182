using SignNotebooks.Util;

namespace SignNotebooks.Evaluation;

/// <summary>One line of a transcript file: <c>ID&lt;TAB&gt;text</c>.</summary>
public sealed record TranscriptLine(string Id, string Text, int LineNumber);

/// <summary>
/// Reads the scoring input format: one <c>ID&lt;TAB&gt;text</c> line per sentence (text may be empty: an empty
/// hypothesis is <c>ID&lt;TAB&gt;</c>), UTF-8. Every problem is refused with the file, the line and the fix.
/// </summary>
public static class TranscriptFile
{
    public static IReadOnlyList<TranscriptLine> Read(string path, string role = "transcript")
    {
        string[] lines;
        if (Directory.Exists(path))
            throw new UserFacingException($"the {role} file '{path}' is a folder. Fix: give the path of the ID<TAB>text file inside it.");
        try { lines = StrictText.ReadAllLines(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new UserFacingException($"cannot read the {role} file '{path}': {e.Message}. Check the path and permissions.", e);
        }
        var result = new List<TranscriptLine>(lines.Length);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            int n = i + 1;
            if (i == 0 && line.StartsWith('\uFEFF')) line = line[1..];
            if (line.Length == 0)
                throw new UserFacingException($"{path}:{n}: empty line. Each line must be `ID<TAB>text`; delete the blank line (an empty sentence is written as its ID followed by a TAB).");
            int tab = line.IndexOf('\t');
            if (tab < 0)
                throw new UserFacingException($"{path}:{n}: no TAB in \"{Shorten(line)}\". Each line must be `ID<TAB>text` (separate the id from the glosses with one TAB character, not spaces).");
            var id = line[..tab].Trim();
            if (id.Length == 0)
                throw new UserFacingException($"{path}:{n}: the id before the TAB is empty. Put the sentence id (e.g. the clip name) before the TAB.");
            if (id.Any(char.IsWhiteSpace))
                throw new UserFacingException($"{path}:{n}: the id \"{id}\" contains whitespace. Ids must be single tokens; replace the spaces (e.g. with '_').");
            if (seen.TryGetValue(id, out var first))
                throw new UserFacingException($"{path}:{n}: id \"{id}\" already appeared on line {first}. Each sentence id must appear once; remove the duplicate.");
            seen[id] = n;
            result.Add(new TranscriptLine(id, line[(tab + 1)..], n));
        }
        return result;
    }

    /// <summary>
    /// Reads both files and pairs sentences by id (order free, ids must match as sets). Refuses an empty
    /// reference file and any id present on one side only, naming up to five of them.
    /// </summary>
    public static IReadOnlyList<ScoringPair> ReadPairs(string hypothesisPath, string referencePath)
    {
        var refs = Read(referencePath, "reference");
        var hyps = Read(hypothesisPath, "hypothesis");
        return Pair(hyps, refs, hypothesisPath, referencePath);
    }

    public static IReadOnlyList<ScoringPair> Pair(IReadOnlyList<TranscriptLine> hyps, IReadOnlyList<TranscriptLine> refs, string hypothesisPath, string referencePath)
    {
        if (refs.Count == 0)
            throw new UserFacingException($"the reference file '{referencePath}' has no sentences: refusing to report a score over an empty corpus. Point --ref at a file with `ID<TAB>text` lines.");
        var hypById = hyps.ToDictionary(h => h.Id, StringComparer.Ordinal);
        var refIds = refs.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        var missing = refs.Where(r => !hypById.ContainsKey(r.Id)).ToList();
        var extra = hyps.Where(h => !refIds.Contains(h.Id)).ToList();
        if (missing.Count > 0 || extra.Count > 0)
        {
            var parts = new List<string> { $"the hypothesis file '{hypothesisPath}' has {hyps.Count} sentences and the reference file '{referencePath}' has {refs.Count}; their ids must match as sets" };
            if (missing.Count > 0) parts.Add($"{missing.Count} reference id(s) have no hypothesis: {Ids(missing)} (first at {referencePath}:{missing[0].LineNumber}); write an empty hypothesis as `ID<TAB>` rather than leaving it out");
            if (extra.Count > 0) parts.Add($"{extra.Count} hypothesis id(s) are not in the reference: {Ids(extra)} (first at {hypothesisPath}:{extra[0].LineNumber}); check that both files come from the same split");
            throw new UserFacingException(string.Join("; ", parts) + ".");
        }
        return refs.Select(r => new ScoringPair(r.Id, r.Text, hypById[r.Id].Text)).ToList();
    }

    private static string Ids(List<TranscriptLine> lines) =>
        string.Join(", ", lines.Take(5).Select(l => l.Id)) + (lines.Count > 5 ? $" and {lines.Count - 5} more" : "");

    private static string Shorten(string s) => s.Length <= 60 ? s : s[..57] + "...";
}
