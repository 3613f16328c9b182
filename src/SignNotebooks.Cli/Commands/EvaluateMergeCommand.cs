using SignNotebooks.Training;

namespace SignNotebooks.Cli.Commands;

public sealed class EvaluateMergeCommand : ICommand
{
    public string Name => "evaluate merge";
    public string Summary => "Join the shard folders of `evaluate --shard i/N` (a job array) into the unsharded result.";
    public string Usage => """
        signnb evaluate merge --checkpoint RUN[/checkpoints/best] --split dev|test|test-shift
          Reads eval/<checkpoint>-shard<i>of<N>/ for every i, concatenates each head's hypotheses and rescores them:
          the WER equals an unsharded run's (corpus WER sums S, D, I, N). Writes eval/<checkpoint>/ as `evaluate` does.
          Fails, naming them, when shards are missing or were decoded with different beams.
        """;

    public int Run(CliArgs args)
    {
        var checkpoint = args.Require("checkpoint");
        var split = args.GetOr("split", "dev");
        args.EnsureAllUsed();
        var result = RunEvaluation.MergeShards(checkpoint, split);
        foreach (var h in result.Evaluation.Heads)
            Console.WriteLine($"{h.Head,-16} WER {h.Wer,6:F2}%  (S={h.S}, D={h.D}, I={h.I}, N={h.N})");
        Console.WriteLine($"{split}, beam {result.Evaluation.Beam}, merged into {result.OutputDir}");
        return 0;
    }
}
