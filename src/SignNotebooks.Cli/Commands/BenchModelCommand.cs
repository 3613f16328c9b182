using System.Globalization;
using SignNotebooks.Models;
using TorchSharp;

namespace SignNotebooks.Cli.Commands;

/// <summary>`signnb bench model`: per-clip forward and train-step time and peak memory, ours vs Debian PyTorch.</summary>
public sealed class BenchModelCommand : ICommand
{
    public string Name => "bench model";
    public string Summary => "Time forward and forward+backward per clip of a two-stream variant; compare with PyTorch.";
    public string Usage => """
        signnb bench model [--variant paper|standard|tiny|<registered name>] [--frames N] [--repeats N]
                           [--long-frames N] [--no-reference]
          --variant       paper = twostream-paper (224²/112²), standard = twostream-standard (112²/56²). Default standard.
          --frames        clip length T (multiple of 4). Default 16.
          --repeats       timed runs after one warm-up. Default 2.
          --long-frames   also run one eval forward of an N-frame clip (e.g. 400) and print its peak RSS.
          --no-reference  skip the PyTorch timing (twostream_ref.py with /usr/bin/python3).
        Batch 1, CPU, torch threads as configured. Peak RSS is the process high-water mark (VmHWM).
        """;

    public int Run(CliArgs args)
    {
        var name = args.GetOr("variant", "standard");
        int frames = args.GetInt("frames", 16, min: 1), repeats = args.GetInt("repeats", 2, min: 1), longFrames = args.GetInt("long-frames", 0, min: 0);
        bool noRef = args.Flag("no-reference");
        args.EnsureAllUsed();
        if (frames % 4 != 0 || frames < 8) throw new UsageException($"--frames must be a multiple of 4 and ≥ 8 (got {frames})");
        if (repeats < 1) throw new UsageException("--repeats must be ≥ 1");
        if (longFrames != 0 && longFrames % 4 != 0) throw new UsageException("--long-frames must be a multiple of 4");
        var variant = BenchCommon.Variant(name);
        if (variant.Config.Streams != StreamKind.TwoStream) throw new UsageException("bench model times two-stream variants");

        long parameters;
        using (var probe = ModelRegistry.Create(variant.Config)) parameters = ModelSummary.ParameterCount(probe);
        Console.WriteLine($"variant {variant.Name}: RGB {variant.RgbSize}², heatmaps {variant.HeatmapSize}², T = {frames}, batch 1, " +
                          $"{torch.get_num_threads()} torch threads, {parameters / 1e6:F2} M parameters");
        // Shared machines: the load average says how much the numbers below can be trusted.
        var load = BenchCommon.LoadAverage();
        Console.WriteLine($"machine    : {Environment.ProcessorCount} cores, load average (1 min) {load} at start");
        // The long clip runs first, so the process high-water mark is the inference's own.
        if (longFrames > 0)
        {
            var (sec, rss) = ModelBenchmark.LongClipInference(variant, longFrames);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"long clip  : {longFrames}-frame eval forward {sec:F1} s, process peak RSS {rss:F0} MB (before any training step)"));
        }
        var ours = ModelBenchmark.Measure(variant, frames, repeats);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"TorchSharp : forward {ours.ForwardSeconds:F3} s/clip, forward+backward {ours.ForwardBackwardSeconds:F3} s/clip, peak RSS {ours.PeakRssMb:F0} MB"));
        if (!noRef)
        {
            var (theirs, error) = ModelBenchmark.Reference(variant, frames, repeats);
            if (theirs is null) Console.WriteLine($"PyTorch    : {error}");
            else
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"PyTorch    : forward {theirs.ForwardSeconds:F3} s/clip, forward+backward {theirs.ForwardBackwardSeconds:F3} s/clip, peak RSS {theirs.PeakRssMb:F0} MB"));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"ratio (TorchSharp time / PyTorch time): forward {ours.ForwardSeconds / theirs.ForwardSeconds:F2}, forward+backward {ours.ForwardBackwardSeconds / theirs.ForwardBackwardSeconds:F2}"));
            }
        }
        return 0;
    }
}
