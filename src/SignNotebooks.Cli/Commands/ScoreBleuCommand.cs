using SignNotebooks.Evaluation;

namespace SignNotebooks.Cli.Commands;

public sealed class ScoreBleuCommand : ICommand
{
    public string Name => "score bleu";
    public string Summary => "Corpus BLEU-1..4 as SLRT reports it (sacrebleu 1.4.2 raw_corpus_bleu, spec §8.4).";
    public string Usage =>
        "signnb score bleu --hyp H --ref R [--level word|char]\n" +
        ScoreCommon.FileFormat + "\n" +
        "  --level  word (Phoenix-2014T, default) or char (CSL-Daily)";

    public int Run(CliArgs args)
    {
        var level = ScoreCommon.Level(args);
        var pairs = ScoreCommon.ReadPairs(args);
        var b = Bleu.Corpus(pairs.Select(p => p.Hypothesis).ToList(), pairs.Select(p => p.Reference).ToList(), level);
        Console.WriteLine($"{pairs.Count} sentences, {level.ToString().ToLowerInvariant()} level; precisions {string.Join(" / ", b.Precisions.Select(ScoreCommon.F))}, " +
                          $"BP {b.BrevityPenalty:F4}, hyp_len {b.HypothesisLength}, ref_len {b.ReferenceLength}");
        for (int n = 0; n < 4; n++) Console.WriteLine($"BLEU-{n + 1} {ScoreCommon.F(b.Scores[n])}");
        return 0;
    }
}
