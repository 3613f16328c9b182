
namespace SignNotebooks.Tests.Evaluation;

/// <summary>The <c>signnb score</c> and <c>bench decode</c> commands in-process. Console capture is global, hence the collection.</summary>
[Collection("Console")]
public sealed class ScoreCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("signnb-score-").FullName;
    public void Dispose() => Directory.Delete(_dir, true);

    private string Write(string name, string content) { var p = Path.Combine(_dir, name); File.WriteAllText(p, content); return p; }

    private static (int code, string stdout, string stderr) Run(params string[] args) => CliCapture.Run(args);

    private static string LastLine(string s) => s.TrimEnd().Split('\n')[^1].TrimEnd('\r');

    [Fact]
    public void Wer_prints_the_summary_last()
    {
        var r = Write("ref.txt", "s1\tA B C\ns2\tX Y\ns3\tQ\n");
        var h = Write("hyp.txt", "s3\tQ\ns1\tA C C D\ns2\t\n"); // order differs; s2 is an empty hypothesis
        var (code, stdout, _) = Run("score", "wer", "--hyp", h, "--ref", r);
        Assert.Equal(0, code);
        Assert.Equal("WER 66.67% (S=1, D=2, I=1, N=6)", LastLine(stdout));
        var (_, perSentence, _) = Run("score", "wer", "--hyp", h, "--ref", r, "--per-sentence");
        Assert.Contains("REF:  A B C ***", perSentence);
        Assert.StartsWith("WER 66.67%", LastLine(perSentence));
    }

    [Fact]
    public void Wer_applies_the_chosen_cleanup()
    {
        var r = Write("ref.txt", "s1\tregen __ON__ wind\n");
        var h = Write("hyp.txt", "s1\tREGEN WIND\n");
        Assert.Equal("WER 0.00% (S=0, D=0, I=0, N=2)", LastLine(Run("score", "wer", "--hyp", h, "--ref", r, "--cleanup", "phoenix-2014t").stdout));
        Assert.Equal("WER 100.00% (S=2, D=1, I=0, N=3)", LastLine(Run("score", "wer", "--hyp", h, "--ref", r).stdout));
        Assert.Equal(2, Run("score", "wer", "--hyp", h, "--ref", r, "--cleanup", "phoenix").code);
    }

    [Fact]
    public void Wer_cross_checks_with_sclite()
    {
        var r = Write("ref.txt", "a_1\ta b c\na_2\tx y\n");
        var h = Write("hyp.txt", "a_1\ta c c d\na_2\t\n");
        var (code, stdout, stderr) = Run("score", "wer", "--hyp", h, "--ref", r, "--sclite");
        Assert.True(code == 0, stderr);
        Assert.Contains("sclite: S=1, D=2, I=1, N=5 (agrees)", stdout);
    }

    [Theory]
    [InlineData("s1\tA\ns9\tB\n", "s1\tA\ns2\tB\n", "no hypothesis: s2")]
    [InlineData("s1\tA\n", "", "has no sentences")]
    [InlineData("s1 A\n", "s1\tA\n", "hyp.txt:1: no TAB")]
    public void Wer_refuses_bad_input_without_printing_a_number(string hyp, string reference, string expected)
    {
        var (code, stdout, stderr) = Run("score", "wer", "--hyp", Write("hyp.txt", hyp), "--ref", Write("ref.txt", reference));
        Assert.Equal(1, code);
        Assert.Contains(expected, stderr);
        Assert.DoesNotContain("WER", stdout);
    }

    [Fact]
    public void Unreadable_file_is_named()
    {
        var missing = Path.Combine(_dir, "missing.txt");
        var (code, stdout, stderr) = Run("score", "bleu", "--hyp", missing, "--ref", Write("ref.txt", "s1\ta\n"));
        Assert.Equal(1, code);
        Assert.Contains(missing, stderr);
        Assert.DoesNotContain("BLEU-", stdout);
    }

    [Fact]
    public void Bleu_and_rouge_print_their_scores()
    {
        var r = Write("ref.txt", "s1\tthe cat is on the mat\n");
        var h = Write("hyp.txt", "s1\tthe cat sat on the mat\n");
        var (code, stdout, _) = Run("score", "bleu", "--hyp", h, "--ref", r);
        Assert.Equal(0, code);
        Assert.Contains("BLEU-1 83.33", stdout);
        Assert.Contains("BLEU-2 70.71", stdout);
        Assert.Contains("BLEU-3 50.00", stdout);
        Assert.Equal("BLEU-4 0.00", LastLine(stdout));
        Assert.Equal("ROUGE-L 83.33", LastLine(Run("score", "rouge", "--hyp", h, "--ref", r).stdout));
        var c = Run("score", "bleu", "--hyp", Write("h2.txt", "s1\t我们好\n"), "--ref", Write("r2.txt", "s1\t我们的\n"), "--level", "char");
        Assert.Contains("BLEU-1 66.67", c.stdout);
        Assert.Equal(2, Run("score", "bleu", "--hyp", h, "--ref", r, "--level", "syllable").code);
    }

    [Fact]
    public void Export_sclite_writes_trn_stm_ctm()
    {
        var r = Write("ref.txt", "a_1\ta b c\na_2\tx y\n");
        var h = Write("hyp.txt", "a_2\t\na_1\ta c c d\n");
        var outDir = Path.Combine(_dir, "out");
        var (code, stdout, _) = Run("score", "export-sclite", "--hyp", h, "--ref", r, "--out", outDir);
        Assert.Equal(0, code);
        Assert.Equal("a b c (a_1)\nx y (a_2)\n", File.ReadAllText(Path.Combine(outDir, "ref.trn")));
        Assert.Equal("a c c d (a_1)\n (a_2)\n", File.ReadAllText(Path.Combine(outDir, "hyp.trn")));
        Assert.StartsWith("a_1 1 a_1 0.000 5.000 a b c\n", File.ReadAllText(Path.Combine(outDir, "ref.stm")));
        Assert.Equal(4, File.ReadAllLines(Path.Combine(outDir, "hyp.ctm")).Length);
        Assert.Contains("sctk sclite -s -r", stdout);
    }

    [Fact]
    public void Bench_decode_prints_time_per_utterance()
    {
        var (code, stdout, _) = Run("bench", "decode", "--utterances", "2", "--frames", "20", "--vocab", "50");
        Assert.Equal(0, code);
        Assert.Matches(@"greedy\s+[\d.]+ ms/utterance", stdout);
        Assert.Matches(@"beam 5\s+[\d.]+ ms/utterance", stdout);
    }
}
