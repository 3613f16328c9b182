using SignNotebooks.Util;

namespace SignNotebooks.Evaluation;

/// <summary>One sentence to score: the reference and hypothesis texts share an id.</summary>
public sealed record ScoringPair(string Id, string Reference, string Hypothesis);

/// <summary>
/// Word error rate with sclite's alignment costs: correct 0, substitution 4, insertion 3, deletion 3 (spec §8.2;
/// SLRT's own Levenshtein uses the same costs). Among equal-cost alignments the backtrace, walking from the end
/// of both sentences, prefers a diagonal step (correct/substitution), then an insertion, then a deletion: that
/// order reproduces sclite's S/D/I split exactly (checked against <c>sctk sclite</c> by the parity test).
/// Counts are int32, so long sentences do not overflow as SLRT's uint8 matrix can (spec §8.2 quirk, dropped).
/// Comparison is case-sensitive like SLRT; sclite folds case unless run with <c>-s</c>.
/// </summary>
public static class WordErrorRate
{
    public const int SubstitutionCost = 4, InsertionCost = 3, DeletionCost = 3;

    /// <summary>Splits on any whitespace, dropping empty tokens (Python's <c>str.split()</c>).</summary>
    public static string[] Tokenize(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    public static SentenceAlignment Align(string id, IReadOnlyList<string> reference, IReadOnlyList<string> hypothesis)
    {
        int R = reference.Count, H = hypothesis.Count;
        var d = new int[R + 1, H + 1];
        for (int i = 1; i <= R; i++) d[i, 0] = i * DeletionCost;
        for (int j = 1; j <= H; j++) d[0, j] = j * InsertionCost;
        for (int i = 1; i <= R; i++)
            for (int j = 1; j <= H; j++)
            {
                int diag = d[i - 1, j - 1] + (reference[i - 1] == hypothesis[j - 1] ? 0 : SubstitutionCost);
                d[i, j] = Math.Min(diag, Math.Min(d[i - 1, j] + DeletionCost, d[i, j - 1] + InsertionCost));
            }
        var ops = new List<AlignedWord>(R + H);
        int a = R, b = H;
        while (a > 0 || b > 0)
        {
            if (a > 0 && b > 0)
            {
                bool same = reference[a - 1] == hypothesis[b - 1];
                if (d[a, b] == d[a - 1, b - 1] + (same ? 0 : SubstitutionCost))
                {
                    ops.Add(new AlignedWord(same ? WerOp.Correct : WerOp.Substitution, reference[a - 1], hypothesis[b - 1]));
                    a--; b--; continue;
                }
            }
            if (b > 0 && d[a, b] == d[a, b - 1] + InsertionCost) { ops.Add(new AlignedWord(WerOp.Insertion, null, hypothesis[b - 1])); b--; continue; }
            ops.Add(new AlignedWord(WerOp.Deletion, reference[a - 1], null));
            a--;
        }
        ops.Reverse();
        return new SentenceAlignment(id, ops);
    }

    /// <summary>
    /// Scores a corpus after applying <paramref name="cleanup"/> to both sides (spec §8.3).
    /// Refuses (UserFacingException) an empty corpus, a corpus whose references hold no word, and duplicate ids.
    /// </summary>
    public static WerResult Score(IEnumerable<ScoringPair> pairs, GlossCleanup cleanup = GlossCleanup.None)
    {
        var list = pairs.ToList();
        if (list.Count == 0) throw new UserFacingException("cannot compute WER: the reference corpus is empty (no sentences). Check that the reference file has `ID<TAB>text` lines.");
        var dup = list.GroupBy(p => p.Id).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) throw new UserFacingException($"cannot compute WER: sentence id '{dup.Key}' appears {dup.Count()} times; every id must be unique.");
        var sentences = list.Select(p => Align(p.Id, CleanTokens(p.Id, "reference", p.Reference, cleanup), CleanTokens(p.Id, "hypothesis", p.Hypothesis, cleanup))).ToList();
        int n = sentences.Sum(s => s.N);
        if (n == 0) throw new UserFacingException($"cannot compute WER: the {list.Count} reference sentence(s) contain no words after clean-up '{GlossCleaner.Name(cleanup)}', so N = 0.");
        return new WerResult(sentences.Sum(s => s.S), sentences.Sum(s => s.D), sentences.Sum(s => s.I), n, sentences.Sum(s => s.C), sentences);
    }

    private static string[] CleanTokens(string id, string side, string text, GlossCleanup cleanup)
    {
        try { return Tokenize(GlossCleaner.Clean(text, cleanup)); }
        catch (UserFacingException e) { throw new UserFacingException($"sentence '{id}' ({side}): {e.Message}", e); }
    }
}
