using SignNotebooks.Analysis;
using SignNotebooks.Synthetic;
using SignNotebooks.Training;
using SignNotebooks.Util;

namespace SignNotebooks.Cli.Commands;

public sealed class EvaluateFramesCommand : ICommand
{
    public string Name => "evaluate frames";
    public string Summary => "What a head reads at each step of SynthSign's minimal pairs, against the true frame labels (a confusion table).";
    public string Usage => """
        signnb evaluate frames --checkpoint RUN[/checkpoints/best] [--split train|dev|test|test-shift] [--head NAME]
                               [--clips 400] [--glosses ONE,TWO,...] [--batch-statistics]
          For every watched gloss (default: SynthSign's minimal-pair members), how many of its output steps the head's
          argmax gives to each watched gloss, to blank or to another gloss, with the step accuracy over all labelled
          steps. --split train shows whether a confusion is learned at all, not only a generalisation gap.
          --head              default: the run's selection head (keypoint, video or ensemble_last)
          --clips             the first N clips of the split (evaluation preprocessing)
          --batch-statistics  BatchNorm uses each batch's statistics instead of the running ones
          SynthSign runs only: real corpora have no gloss boundaries. Writes nothing.
        """;

    public int Run(CliArgs args)
    {
        var checkpoint = args.Require("checkpoint");
        var split = args.GetOr("split", "dev");
        var head = args.Get("head");
        int clips = args.GetIntOrNull("clips", min: 1) ?? 400;
        var glossList = args.Get("glosses");
        bool batchStats = args.Flag("batch-statistics");
        args.EnsureAllUsed();

        var (dir, _, config, dataset, vocabulary) = RunEvaluation.Open(checkpoint);
        if (dataset is not SynthSignDataset synth)
            throw new UserFacingException($"{checkpoint}: evaluate frames needs per-frame gloss labels, which only SynthSign has. Fix: measure a SynthSign run.");
        if (!dataset.Splits.Contains(split) && split != "train")
            throw new UserFacingException($"unknown split '{split}'. Fix: use train, {string.Join(", ", dataset.Splits.Where(s => s != "train"))}.");
        var glosses = glossList is null
            ? FrameConfusion.MinimalPairMembers(synth.Corpus.Lexicon)
            : glossList.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        head ??= config.ResolvedSelectionHead;
        var model = Trainer.LoadModel(config, Path.Combine(dir, "model.pt"));
        var loader = Trainer.EvalLoader(config with { MaxEvalClips = null, MaxTrainClips = null }, dataset, vocabulary, split);
        var confusion = FrameConfusion.Measure(model, loader, vocabulary, glosses, head, clips, batchStats);
        Console.Write(confusion.Table(
            $"{head} head of {dir}, {split}, first {Math.Min(clips, loader.ClipCount)} clips, " +
            $"{(batchStats ? "batch" : "running")} BatchNorm statistics: output steps of each watched gloss by what the head's argmax reads").ToMarkdown());
        Console.WriteLine($"step accuracy over all {confusion.Steps} labelled steps (every gloss and blank): {confusion.StepAccuracy:F1}%");
        return 0;
    }
}
