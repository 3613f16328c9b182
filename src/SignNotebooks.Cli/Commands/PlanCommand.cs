using System.Globalization;
using SignNotebooks.Corpora;
using SignNotebooks.Training;

namespace SignNotebooks.Cli.Commands;

public sealed class PlanCommand : ICommand
{
    public string Name => "plan";
    public string Summary => "Before a long run: probe a few passes on the longest clips, predict time per epoch and peak memory, warn if it won't fit.";
    public string Usage => """
        signnb plan [--stage video|keypoint|joint] [--profile tiny|standard|paper] [--config FILE.json]
                    [--dataset NAME --data-root DIR] [--device cpu|cuda] [--steps 3] [--memory GB]
          Takes the same options as `signnb train` and resolves the same config; then trains --steps passes (plus a
          warm-up) on one micro-batch of the longest training clips, times a pass with and without gradients, and
          measures the peak resident memory. Prints the time per epoch and for the whole run (time scaled by
          mean/longest clip length; decoding not included) and the memory peak scaled to the longest train-time
          sampling (1.5 × T, spec §7.3) against --memory (default: this machine's available memory).
          Exit code 0 when it fits, 3 when it probably will not.
        """;

    public int Run(CliArgs args)
    {
        var stage = TrainCommand.ParseStage(args.GetOr("stage", "joint"));
        var profile = args.GetOr("profile", "standard");
        var configFile = args.Get("config");
        string? dataset = args.Get("dataset"), dataRoot = args.Get("data-root");
        var device = args.GetOr("device", "cpu");
        int steps = args.GetInt("steps", 3, min: 1);
        double? memoryGb = args.GetDoubleOrNull("memory", min: 0, exclusiveMin: true);
        args.EnsureAllUsed();
        var config = TrainingProfiles.ForCorpus(TrainingProfiles.Get(profile, stage), dataset, dataRoot);
        if (configFile is not null) config = ConfigJson.Load(config, configFile);
        config.Validate(configFile ?? "config");
        var (corpus, vocabulary, description) = CorpusSource.ForRun(dataset ?? config.Corpus, config.DataRoot, config.CorpusProfile, config.CorpusSeed);
        Console.WriteLine($"corpus: {description}");
        var plan = RunPlanner.Probe(config, corpus, vocabulary, device, steps, memoryGb is { } gb ? (long)(gb * 1073741824.0) : null);
        foreach (var line in plan.Describe()) Console.WriteLine(line);
        return plan.Fits ? 0 : 3;
    }
}
