using System.Globalization;
using System.Text;
using SignNotebooks.Util;

namespace SignNotebooks.Evaluation;

/// <summary>
/// Writes a corpus in the formats NIST sclite reads, so a user can score with the real tool:
/// <c>trn</c> (<c>words (id)</c> per line), and <c>stm</c>/<c>ctm</c> with one file per sentence and one
/// second per word (glosses carry no times). Ids are written verbatim when every id has a speaker part
/// (a '_' or '-', which <c>-i spu_id</c> needs); otherwise all ids get a <c>spk_</c> prefix.
/// </summary>
public static class ScliteFiles
{
    /// <summary>The command that scores the exported trn files; <c>-s</c> makes sclite case-sensitive like <see cref="WordErrorRate"/>.</summary>
    public static string TrnCommand(string refTrn, string hypTrn) => $"sctk sclite -s -r {refTrn} trn -h {hypTrn} trn -i spu_id -o rsum stdout";

    public static string StmCtmCommand(string refStm, string hypCtm) => $"sctk sclite -s -r {refStm} stm -h {hypCtm} ctm -o rsum stdout";

    /// <summary>Sentence ids as they will appear in the exported files.</summary>
    public static IReadOnlyList<string> ExportIds(IReadOnlyList<ScoringPair> pairs)
    {
        bool allHaveSpeaker = pairs.All(p => p.Id.IndexOfAny(['_', '-']) > 0);
        return pairs.Select(p => allHaveSpeaker ? p.Id : "spk_" + p.Id).ToList();
    }

    /// <summary>Writes <c>ref.trn</c>, <c>hyp.trn</c>, <c>ref.stm</c>, <c>hyp.ctm</c> into <paramref name="directory"/>; returns their paths.</summary>
    public static IReadOnlyList<string> Export(IReadOnlyList<ScoringPair> pairs, string directory, GlossCleanup cleanup = GlossCleanup.None)
    {
        Validate(pairs);
        Directory.CreateDirectory(directory);
        var ids = ExportIds(pairs);
        var order = Enumerable.Range(0, pairs.Count).OrderBy(i => ids[i], StringComparer.Ordinal).ToList(); // sclite walks stm/ctm in file order
        var refWords = pairs.Select(p => WordErrorRate.Tokenize(GlossCleaner.Clean(p.Reference, cleanup))).ToList();
        var hypWords = pairs.Select(p => WordErrorRate.Tokenize(GlossCleaner.Clean(p.Hypothesis, cleanup))).ToList();
        var refTrn = new StringBuilder(); var hypTrn = new StringBuilder(); var stm = new StringBuilder(); var ctm = new StringBuilder();
        foreach (int i in order)
        {
            refTrn.Append(string.Join(' ', refWords[i])).Append(" (").Append(ids[i]).Append(")\n");
            hypTrn.Append(string.Join(' ', hypWords[i])).Append(" (").Append(ids[i]).Append(")\n");
            int end = Math.Max(refWords[i].Length, hypWords[i].Length) + 1;
            stm.Append(CultureInfo.InvariantCulture, $"{ids[i]} 1 {ids[i]} 0.000 {end}.000 {string.Join(' ', refWords[i])}\n");
            for (int k = 0; k < hypWords[i].Length; k++)
                ctm.Append(CultureInfo.InvariantCulture, $"{ids[i]} 1 {k}.000 1.000 {hypWords[i][k]}\n");
        }
        var paths = new[] { "ref.trn", "hyp.trn", "ref.stm", "hyp.ctm" }.Select(f => Path.Combine(directory, f)).ToArray();
        var utf8 = new UTF8Encoding(false);
        File.WriteAllText(paths[0], refTrn.ToString(), utf8);
        File.WriteAllText(paths[1], hypTrn.ToString(), utf8);
        File.WriteAllText(paths[2], stm.ToString(), utf8);
        File.WriteAllText(paths[3], ctm.ToString(), utf8);
        return paths;
    }

    // sclite reads '(' ')' as the utterance id and '{' '}' as alternations, and ';;' starts an stm comment.
    private static void Validate(IReadOnlyList<ScoringPair> pairs)
    {
        // sclite lower-cases utterance ids, so ids that differ only in case would be merged.
        var clash = pairs.GroupBy(p => p.Id.ToLowerInvariant()).FirstOrDefault(g => g.Count() > 1);
        if (clash is not null)
            throw new UserFacingException($"sentence ids {string.Join(" and ", clash.Select(p => $"\"{p.Id}\""))} differ only in case; sclite folds ids to lower case and would mix them up. Rename one.");
        foreach (var p in pairs)
        {
            if (p.Id.IndexOfAny(['(', ')', '{', '}']) >= 0 || p.Id.StartsWith(";;", StringComparison.Ordinal))
                throw new UserFacingException($"sentence id \"{p.Id}\" cannot be written for sclite: ids must not contain parentheses or braces. Rename it.");
            foreach (var (side, text) in new[] { ("reference", p.Reference), ("hypothesis", p.Hypothesis) })
                if (text.IndexOfAny(['(', ')', '{', '}']) >= 0)
                    throw new UserFacingException($"the {side} of sentence \"{p.Id}\" contains a parenthesis or brace, which sclite reads as an id or an alternation, not a word: \"{text}\". Remove or replace those characters before exporting.");
        }
    }
}
