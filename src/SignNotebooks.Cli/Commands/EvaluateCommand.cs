using SignNotebooks.Data;
using SignNotebooks.Evaluation;
using SignNotebooks.Synthetic;
using SignNotebooks.Training;
using SignNotebooks.Util;

namespace SignNotebooks.Cli.Commands;

public sealed class EvaluateCommand : ICommand
{
    public string Name => "evaluate";
    public string Summary => "Score every head of a run's checkpoint on dev, test or test-shift (WER per head; BLEU/ROUGE for translation runs).";
    public string Usage => """
        signnb evaluate --checkpoint RUN[/checkpoints/best] [--split dev|test|test-shift] [--beam 5]
          Prints one WER line per head (video, keypoint, joint, ensembles, aux heads) and writes
          eval/<split>.csv and eval/<split>.<head>.tsv (decoded hypotheses) in the run folder.
          A translation run (train --stage g2t|s2t) prints BLEU-1..4 and ROUGE-L instead; RUN1,RUN2,RUN3
          (Sign2Text runs of one recognition model) decodes with the multi-source ensemble (spec §10.5).
        """;

    public int Run(CliArgs args)
    {
        var checkpoint = args.Require("checkpoint");
        var split = args.GetOr("split", "dev");
        int? beam = args.Has("beam") ? args.GetInt("beam", 5) : null;
        args.EnsureAllUsed();
        if (TranslationStages.IsTranslationCheckpoint(checkpoint)) return TranslationStages.Evaluate(checkpoint, split, beam);
        var result = RunEvaluation.Evaluate(checkpoint, split, beam);
        foreach (var h in result.Evaluation.Heads)
            Console.WriteLine($"{h.Head,-16} WER {h.Wer,6:F2}%  (S={h.S}, D={h.D}, I={h.I}, N={h.N})");
        Console.WriteLine($"{split}, beam {result.Evaluation.Beam}, checkpoint {result.CheckpointDir}; hypotheses in {result.OutputDir}");
        return 0;
    }
}
