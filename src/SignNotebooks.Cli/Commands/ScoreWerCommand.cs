using SignNotebooks.Evaluation;

namespace SignNotebooks.Cli.Commands;

public sealed class ScoreWerCommand : ICommand
{
    public string Name => "score wer";
    public string Summary => "Word error rate with sclite's costs and the Phoenix clean-ups (spec §8.2–8.3).";
    public string Usage =>
        "signnb score wer --hyp H --ref R [--cleanup phoenix-2014|phoenix-2014t|csl-daily|none] [--per-sentence] [--sclite]\n" +
        ScoreCommon.FileFormat + "\n" +
        "  --cleanup       applied to both sides before scoring (default none; csl-daily only upper-cases)\n" +
        "  --per-sentence  print every sentence's alignment (REF/HYP/Eval)\n" +
        "  --sclite        also score with `sctk sclite` (case-sensitive) and print its totals\n" +
        "  The last line is `WER 23.45% (S=…, D=…, I=…, N=…)`: corpus-level (S+D+I)/N.";

    public int Run(CliArgs args)
    {
        var cleanup = ScoreCommon.Cleanup(args);
        bool perSentence = args.Flag("per-sentence");
        bool sclite = args.Flag("sclite");
        var pairs = ScoreCommon.ReadPairs(args);
        var result = WordErrorRate.Score(pairs, cleanup);
        Console.WriteLine($"{pairs.Count} sentences, clean-up {GlossCleaner.Name(cleanup)}, costs sub {WordErrorRate.SubstitutionCost} / ins {WordErrorRate.InsertionCost} / del {WordErrorRate.DeletionCost}");
        if (perSentence)
            foreach (var s in result.Sentences) { Console.WriteLine(s.Format()); Console.WriteLine(); }
        if (sclite)
        {
            var dir = Directory.CreateTempSubdirectory("signnb-sclite-").FullName;
            try
            {
                var files = ScliteFiles.Export(pairs, dir, cleanup);
                var t = Sclite.ScoreTrn(files[0], files[1], caseSensitive: true);
                var agree = (t.Words, t.Substitutions, t.Deletions, t.Insertions) == (result.N, result.S, result.D, result.I);
                Console.WriteLine($"sclite: S={t.Substitutions}, D={t.Deletions}, I={t.Insertions}, N={t.Words} ({(agree ? "agrees" : "DIFFERS")})");
            }
            finally { Directory.Delete(dir, true); }
        }
        Console.WriteLine(result.Summary);
        return 0;
    }
}
