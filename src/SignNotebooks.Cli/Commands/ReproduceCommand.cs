using System.Globalization;
using SignNotebooks.Data;
using SignNotebooks.Reproduction;

namespace SignNotebooks.Cli.Commands;

public sealed class ReproduceCommand : ICommand
{
    public string Name => "reproduce";
    public string Summary => "Run a paper-table row (a reproduction card): data check, checkpoint load, evaluation, expected vs measured, PASS/FAIL.";
    public string Usage => """
        signnb reproduce CARD --data-root DIR --checkpoint FILE [--device cpu|cuda] [--out DIR] [--shard i/N]
        signnb reproduce CARD --merge [--out DIR]
        signnb reproduce --list
          CARD           a card id from data/cards/ (e.g. slr-phoenix-2014t-test) or the path of a card file
          --data-root    the corpus: the unpacked release (annotations/, features/ …) or SLRT's data/<dataset>/ folder;
                         gloss2ids.pkl and <dataset>-keypoints.pkl are taken from there
          --checkpoint   the released checkpoint (SLRT's .ckpt) or a state dict (our runs' model.pt)
          --device       cpu (default) or cuda (needs a CUDA build, -p:TorchBackend=cuda)
          --out          where hypotheses and result.json go (default artifacts/reproduce/<card>)
          --shard i/N    score only clips i, i+N, … of the split (0-based i; a job array task) into <out>/shard<i>of<N>/;
                         no verdict. Then `--merge` joins every shard under --out into the whole split's exact WER and verdict
          Prints the data check, the load report, every head's WER, then expected vs measured and PASS/FAIL.
          Exit code 0 on PASS, 3 on FAIL, 1 when the card could not run (data, checkpoint or vocabulary problem).
        """;

    public int Run(CliArgs args)
    {
        if (args.Flag("list"))
        {
            args.EnsureAllUsed();
            foreach (var c in ReproductionCards.LoadAll())
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{c.Id,-34} {c.Metric,-7} {c.Expected,6:F2} ± {c.Tolerance:F2}  {c.Status,-20} {c.Title}"));
            return 0;
        }
        if (args.Positionals.Count != 1) throw new UsageException("give one card (an id from `signnb reproduce --list` or a card file)");
        var outDir = args.Get("out");
        ReproductionResult result;
        if (args.Flag("merge"))
        {
            args.EnsureAllUsed();
            var merged = ReproductionCards.Find(args.Positionals[0]);
            result = Reproducer.Merge(merged, outDir);
            foreach (var h in result.Evaluation.Heads)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{h.Head,-16} WER {h.Wer,6:F2}%  (S={h.S}, D={h.D}, I={h.I}, N={h.N})"));
        }
        else
        {
            string root = args.Require("data-root"), checkpoint = args.Require("checkpoint");
            var device = args.GetOr("device", "cpu");
            var shard = args.Get("shard") is { } sh ? Shard.Parse(sh) : null;
            args.EnsureAllUsed();
            var card = ReproductionCards.Find(args.Positionals[0]);
            Console.WriteLine($"card {card.Id}: {card.Title}");
            Console.WriteLine($"  source: {card.Source}");
            result = Reproducer.Run(card, root, checkpoint, device, Console.Out, outDir, shard);
        }
        Console.WriteLine($"hypotheses and result.json in {result.OutputDir} ({result.Elapsed.TotalSeconds:F1} s)");
        Console.WriteLine(result.Verdict);
        return result.Passed || !result.Shard.IsAll ? 0 : 3;
    }
}
