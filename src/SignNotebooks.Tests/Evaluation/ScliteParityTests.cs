using SignNotebooks.Evaluation;

namespace SignNotebooks.Tests.Evaluation;

/// <summary>
/// Our WER against Debian's <c>sctk sclite</c> on generated corpora. CI installs sctk; when it is missing these
/// tests fail with the install command rather than pass silently.
/// </summary>
public class ScliteParityTests
{
    private static readonly string[] Words = ["haus", "regen", "morgen", "nord", "sued", "wolke", "sonne", "wind", "ix", "__on__"];

    /// <summary>Sentence pairs with substitutions, deletions, insertions, empty hypotheses and repeated words.</summary>
    internal static List<ScoringPair> Generate(int seed, int count, bool mixedCase = false, int unrelatedPercent = 30)
    {
        var rng = new Random(seed);
        string Word() { var w = Words[rng.Next(Words.Length)]; return mixedCase && rng.Next(3) == 0 ? w.ToUpperInvariant() : w; }
        var pairs = new List<ScoringPair>();
        for (int k = 0; k < count; k++)
        {
            var reference = Enumerable.Range(0, rng.Next(0, 13)).Select(_ => Word()).ToList();
            if (reference.Count > 1 && rng.Next(4) == 0) reference.Insert(rng.Next(reference.Count), reference[rng.Next(reference.Count)]); // a repeated word
            var hyp = new List<string>();
            foreach (var w in reference)
            {
                int r = rng.Next(100);
                if (r < 12) continue;                                       // deletion
                if (r < 24) hyp.Add(Word());                                // substitution (sometimes correct by chance)
                else if (r < 32) { hyp.Add(w); hyp.Add(w); }                // repeated word: an insertion
                else hyp.Add(w);
                if (rng.Next(100) < 10) hyp.Add(Word());                    // insertion
            }
            if (rng.Next(100) < 8) hyp.Clear();                             // empty hypothesis
            // Unrelated sentences over a few words: these produce equal-cost alignments whose S/D/I split
            // depends on the backtrace order, which must be sclite's.
            if (rng.Next(100) < unrelatedPercent)
            {
                reference = Enumerable.Range(0, rng.Next(0, 11)).Select(_ => Words[rng.Next(4)]).ToList();
                hyp = Enumerable.Range(0, rng.Next(0, 11)).Select(_ => Words[rng.Next(4)]).ToList();
            }
            pairs.Add(new ScoringPair($"spk{k % 7}_utt{k:D4}", string.Join(' ', reference), string.Join(' ', hyp)));
        }
        return pairs;
    }

    private static string TempDir() => Directory.CreateTempSubdirectory("signnb-sclite-").FullName;

    [Theory]
    [InlineData(1, 300, 30)]
    [InlineData(2, 300, 30)]
    [InlineData(3, 400, 100)]
    [InlineData(4, 400, 100)]
    public void Corpus_totals_equal_sclite(int seed, int count, int unrelatedPercent)
    {
        var pairs = Generate(seed, count, unrelatedPercent: unrelatedPercent);
        Assert.Contains(pairs, p => p.Hypothesis.Length == 0);
        var dir = TempDir();
        try
        {
            var files = ScliteFiles.Export(pairs, dir);
            var sclite = Sclite.ScoreTrn(files[0], files[1]);
            var ours = WordErrorRate.Score(pairs);
            Assert.Equal(count, sclite.Sentences);
            Assert.Equal((sclite.Words, sclite.Correct, sclite.Substitutions, sclite.Deletions, sclite.Insertions),
                (ours.N, ours.C, ours.S, ours.D, ours.I));
            Assert.Equal(sclite.Errors, ours.S + ours.D + ours.I);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Case_sensitive_scoring_equals_sclite_with_dash_s()
    {
        var pairs = Generate(4, 200, mixedCase: true);
        var dir = TempDir();
        try
        {
            var files = ScliteFiles.Export(pairs, dir);
            var sclite = Sclite.ScoreTrn(files[0], files[1], caseSensitive: true);
            var ours = WordErrorRate.Score(pairs);
            Assert.Equal((sclite.Words, sclite.Correct, sclite.Substitutions, sclite.Deletions, sclite.Insertions), (ours.N, ours.C, ours.S, ours.D, ours.I));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Exported_stm_and_ctm_score_the_same_in_sclite()
    {
        var pairs = Generate(5, 150);
        var dir = TempDir();
        try
        {
            var files = ScliteFiles.Export(pairs, dir);
            var sclite = Sclite.ScoreStmCtm(files[2], files[3], caseSensitive: true);
            var ours = WordErrorRate.Score(pairs);
            Assert.Equal((sclite.Words, sclite.Substitutions, sclite.Deletions, sclite.Insertions), (ours.N, ours.S, ours.D, ours.I));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Export_refuses_what_sclite_would_misread()
    {
        var dir = TempDir();
        try
        {
            Assert.Contains("differ only in case", Assert.Throws<SignNotebooks.Util.UserFacingException>(
                () => ScliteFiles.Export([new("A_1", "x", "x"), new("a_1", "y", "y")], dir)).Message);
            Assert.Contains("parenthesis", Assert.Throws<SignNotebooks.Util.UserFacingException>(
                () => ScliteFiles.Export([new("a_1", "x (y)", "x")], dir)).Message);
            Assert.Equal(["spk_s1", "spk_t_2"], ScliteFiles.ExportIds([new("s1", "", ""), new("t_2", "", "")]));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Sum_row_is_parsed_from_rsum_output()
    {
        const string rsum = """
                    | SPKR | # Snt # Wrd | Corr    Sub    Del    Ins    Err  S.Err |
                    |------+-------------+-----------------------------------------|
                    | Sum  |    3      5 |    2      1      2      2      5      3 |
            """;
        Assert.Equal(new ScliteTotals(3, 5, 2, 1, 2, 2, 5), Sclite.ParseSumRow(rsum));
        Assert.Null(Sclite.ParseSumRow("no table"));
    }
}
