using SignNotebooks.Evaluation;

namespace SignNotebooks.Cli.Commands;

public sealed class ScoreRougeCommand : ICommand
{
    public string Name => "score rouge";
    public string Summary => "ROUGE-L F (mean of sentence-level LCS F-scores, spec §8.4).";
    public string Usage =>
        "signnb score rouge --hyp H --ref R [--level word|char]\n" +
        ScoreCommon.FileFormat + "\n" +
        "  --level  word (Phoenix-2014T, default) or char (CSL-Daily)";

    public int Run(CliArgs args)
    {
        var level = ScoreCommon.Level(args);
        var pairs = ScoreCommon.ReadPairs(args);
        var r = Rouge.RougeL(pairs.Select(p => p.Hypothesis).ToList(), pairs.Select(p => p.Reference).ToList(), level);
        Console.WriteLine($"{pairs.Count} sentences, {level.ToString().ToLowerInvariant()} level");
        Console.WriteLine($"ROUGE-L {ScoreCommon.F(r)}");
        return 0;
    }
}
