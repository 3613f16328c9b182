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
                        [--data-root DIR] [--shard i/N] [--device cpu|cuda]
          Prints one WER line per head (video, keypoint, joint, ensembles, aux heads) and writes
          eval/<split>.csv and eval/<split>.<head>.tsv (decoded hypotheses) in the run folder.
          --data-root  a run (recognition or translation) trained on a real corpus: where its data is now (default: the folder it was trained on)
          --shard i/N  score only clips i, i+N, i+2N, … (0-based i, for job arrays); writes eval/<ckpt>-shard<i>of<N>/.
                       `signnb evaluate merge` joins the shard folders into the exact unsharded result
          --device     cpu, or cuda with a CUDA build (-p:TorchBackend=cuda); not testable on a CPU-only machine
          A translation run (train --stage g2t|s2t) prints BLEU-1..4 and ROUGE-L instead; RUN1,RUN2,RUN3
          (Sign2Text runs of one recognition model) decodes with the multi-source ensemble (spec §10.5).
        """;

    public int Run(CliArgs args)
    {
        var checkpoint = args.Require("checkpoint");
        var split = args.GetOr("split", "dev");
        int? beam = args.GetIntOrNull("beam", min: 1);
        var dataRoot = args.Get("data-root");
        var shard = args.GetShard();
        var device = args.GetOr("device", "cpu");
        args.EnsureAllUsed();
        if (TranslationStages.IsTranslationCheckpoint(checkpoint))
        {
            if (shard is not null || device != "cpu")
                throw new UserFacingException($"{checkpoint} is a translation run: --shard and --device apply to recognition runs only. Fix: drop them.");
            return TranslationStages.Evaluate(checkpoint, split, beam, dataRoot);
        }
        var result = RunEvaluation.Evaluate(checkpoint, split, beam, dataRoot, shard, device, log: Console.Out);
        foreach (var h in result.Evaluation.Heads)
            Console.WriteLine($"{h.Head,-16} WER {h.Wer,6:F2}%  (S={h.S}, D={h.D}, I={h.I}, N={h.N})");
        Console.WriteLine($"{split}{(shard is null ? "" : $" shard {shard}")}, beam {result.Evaluation.Beam}, checkpoint {result.CheckpointDir}; hypotheses in {result.OutputDir}");
        return 0;
    }
}
