using System.Diagnostics;
using System.Globalization;
using SignNotebooks.Corpora;
using SignNotebooks.Evaluation;
using SignNotebooks.Models;
using SignNotebooks.Training;
using TorchSharp;

namespace SignNotebooks.Cli.Commands;

/// <summary>`signnb bench evaluate`: evaluation of one split, every head, at a profile's model shape (load, forward, decoding).</summary>
public sealed class BenchEvaluateCommand : ICommand
{
    public string Name => "bench evaluate";
    public string Summary => "Time the evaluation of one split (every head, beam search) at a profile's model shape: load, forward and decoding.";
    public string Usage => """
        signnb bench evaluate [--profile standard|tiny|paper] [--split dev] [--clips N] [--beam 5] [--seed 0]
          A random two-stream joint-stage model of the profile's shape (timing only: the committed stage-0 weights
          are single-stream) evaluated on the first --clips clips of a SynthSign split (default: the profile's
          MaxEvalClips, 100 at standard), every head, beam --beam (default: the profile's test beam, 5).
          One run evaluates the split once per row: before (padded batches of the micro-batch, no_grad, the process's
          torch threads, 1 decoding thread), then each change added in turn, ending at the default settings, and last the
          default settings with 1 torch thread (for a machine shared with other busy processes). Prints per
          row wall-clock and process CPU seconds of loading, forward passes and decoding, clips/s, the speed-up over
          the first row and the load average (on a shared machine the CPU seconds are the steadier numbers).
        """;

    public int Run(CliArgs args)
    {
        var profile = args.GetOr("profile", "standard");
        var split = args.GetOr("split", "dev");
        int? clips = args.GetIntOrNull("clips", min: 1);
        int? beam = args.GetIntOrNull("beam", min: 1);
        int seed = args.GetInt("seed", 0);
        args.EnsureAllUsed();
        var config = TrainingProfiles.Get(profile, TrainingStage.Joint);
        var (dataset, vocabulary, _) = CorpusSource.ForRun(config.Corpus, config.DataRoot, config.CorpusProfile, config.CorpusSeed);
        config = Trainer.Resolve(config, vocabulary) with { MaxEvalClips = clips ?? config.MaxEvalClips };
        int b = beam ?? config.TestBeam;
        torch.manual_seed(seed);
        using var model = ModelRegistry.Create(config.Model);
        var loader = Trainer.EvalLoader(config, dataset, vocabulary, split);
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine($"profile {profile}: random {config.Model.Streams} model ({ModelSummary.ParameterCount(model) / 1e6:F2} M parameters), " +
                          $"{split} split, {loader.ClipCount} clips, beam {b}, micro-batch {config.MicroBatch}");
        Console.WriteLine($"machine : {Environment.ProcessorCount} cores, {torch.get_num_threads()} torch threads, load average (1 min) {BenchCommon.LoadAverage()} at start");
        var groups = EvaluationForward.Groups(loader, EvaluationBatching.ExactLength);
        Console.WriteLine(string.Create(inv, $"batches : {loader.BatchCount} padded batches of {config.MicroBatch} ({100 * loader.PaddingFraction(0):F0} % padding frames) " +
                                             $"or {groups.Count} exact-length batches (mean {(double)loader.ClipCount / groups.Count:F1} clips)"));
        // Warm-up outside the timing (JIT, libtorch's first calls).
        RecognitionEvaluator.Evaluate(model, Trainer.EvalLoader(config with { MaxEvalClips = 2 }, dataset, vocabulary, split), vocabulary, b);
        var rows = new (string Label, EvaluationSettings Settings)[]
        {
            ($"before: padded, no_grad, {torch.get_num_threads()} torch threads", EvaluationSettings.Previous),
            ("+ exact-length batches", EvaluationSettings.Default with { InferenceMode = false, TorchThreads = null, DecodeThreads = 1 }),
            ("+ inference mode", EvaluationSettings.Default with { TorchThreads = null, DecodeThreads = 1 }),
            ($"+ decoding on {EvaluationSettings.Default.DecodeThreads} threads (after)", EvaluationSettings.Default),
            // One torch thread is the better setting on a machine that other busy processes share (EvaluationSettings).
            ("  (after, but 1 torch thread)", EvaluationSettings.Default with { TorchThreads = 1 }),
        };
        Console.WriteLine($"{"settings",-52} {"total s",8} {"load s",7} {"ld cpu",7} {"fwd s",7} {"fwd cpu",7} {"dec s",7} {"dec cpu",7} {"clips/s",7} {"speed-up",8} {"load avg",8}");
        SplitEvaluation? reference = null;
        double? before = null;
        foreach (var (label, settings) in rows)
        {
            var timings = new EvaluationTimings();
            var total = Stopwatch.StartNew();
            var eval = RecognitionEvaluator.Evaluate(model, loader, vocabulary, b, settings: settings, timings: timings);
            double s = total.Elapsed.TotalSeconds;
            before ??= s;
            Console.WriteLine(string.Create(inv,
                $"{label,-52} {s,8:F2} {timings.Load.Seconds,7:F2} {timings.Load.CpuSeconds,7:F2} {timings.Forward.Seconds,7:F2} {timings.Forward.CpuSeconds,7:F2} " +
                $"{timings.Decode.Seconds,7:F2} {timings.Decode.CpuSeconds,7:F2} {timings.Clips / s,7:F1} {before / s,7:F2}× {BenchCommon.LoadAverage(),8}"));
            // Every exact row must decode exactly what the first exact row decoded.
            if (settings.Batching == EvaluationBatching.ExactLength)
            {
                if (reference is null) reference = eval;
                else if (!SameHypotheses(reference, eval)) Console.WriteLine($"  ! hypotheses differ from the first exact-length row");
            }
        }
        return 0;
    }

    private static bool SameHypotheses(SplitEvaluation a, SplitEvaluation b) =>
        a.Pairs.Count == b.Pairs.Count && a.Pairs.All(p => b.Pairs.TryGetValue(p.Key, out var q) && p.Value.SequenceEqual(q));
}
