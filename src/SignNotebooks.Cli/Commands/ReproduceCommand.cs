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
        signnb reproduce SLT-CARD --data-root DIR --checkpoint V.ckpt,K.ckpt,J.ckpt --mbart DIR (--features DIR | --recognition S2G.ckpt) [--out DIR]
        signnb reproduce --list
          CARD           a card id from data/cards/ (e.g. slr-phoenix-2014t-test) or the path of a card file
          --data-root    the corpus: the unpacked release (annotations/, features/ …) or SLRT's data/<dataset>/ folder;
                         gloss2ids.pkl and <dataset>-keypoints.pkl are taken from there
          --checkpoint   the released checkpoint (SLRT's .ckpt) or a state dict (our runs' model.pt)
          --device       cpu (default) or cuda (needs a CUDA build, -p:TorchBackend=cuda)
          --out          where hypotheses and result.json go (default artifacts/reproduce/<card>)
          --shard i/N    score only clips i, i+N, … of the split (0-based i; a job array task) into <out>/shard<i>of<N>/;
                         no verdict. Then `--merge` joins every shard under --out into the whole split's exact WER and verdict
          Translation cards (slt-*):
          --checkpoint   the released S2T checkpoints: video, keypoint and joint, comma-separated in that order (one for a
                         single-head card)
          --mbart        SLRT's pruned mBART folder (pretrained_models/mBart_de or mBart_zh: config.json,
                         sentencepiece.bpe.model, map_ids.pkl, gloss2ids.pkl)
          --features     SLRT's extract_feature/ folder (head_rgb_input/<split>.pkl, head_keypoint_input/<split>.pkl)
          --recognition  or the TwoStream-SLR (S2G) checkpoint: the features are extracted here (slow on a CPU)
          Prints the data check, the load report, every head's WER (or the BLEU/ROUGE line), then expected vs measured and PASS/FAIL.
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
            foreach (var h in result.Evaluation!.Heads)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{h.Head,-16} WER {h.Wer,6:F2}%  (S={h.S}, D={h.D}, I={h.I}, N={h.N})"));
        }
        else
        {
            string root = args.Require("data-root"), checkpoint = args.Require("checkpoint");
            var device = args.GetOr("device", "cpu");
            var shard = args.GetShard();
            string? mbart = args.Get("mbart"), features = args.Get("features"), recognition = args.Get("recognition");
            args.EnsureAllUsed();
            var card = ReproductionCards.Find(args.Positionals[0]);
            Console.WriteLine($"card {card.Id}: {card.Title}");
            Console.WriteLine($"  source: {card.Source}");
            if (card.Task == "translation")
            {
                if (shard is not null) throw new UsageException("--shard is for recognition cards; a translation card decodes its split in one run");
                if (features is not null && recognition is not null) throw new UsageException("give --features or --recognition, not both");
                var inputs = new TranslationInputs(ReproductionCard.SplitPaths(checkpoint),
                    mbart ?? throw new UsageException($"card {card.Id} needs --mbart DIR (SLRT's {card.LanguageModel ?? "pretrained_models/mBart_de"} folder)"), features, recognition);
                result = TranslationReproducer.Run(card, root, inputs, device, Console.Out, outDir);
            }
            else
            {
                if (mbart is not null || features is not null || recognition is not null)
                    throw new UsageException($"--mbart, --features and --recognition are for translation cards; {card.Id} is a recognition card");
                result = Reproducer.Run(card, root, checkpoint, device, Console.Out, outDir, shard);
            }
        }
        Console.WriteLine($"hypotheses and result.json in {result.OutputDir} ({result.Elapsed.TotalSeconds:F1} s)");
        Console.WriteLine(result.Verdict);
        return result.Passed || !result.Shard.IsAll ? 0 : 3;
    }
}
