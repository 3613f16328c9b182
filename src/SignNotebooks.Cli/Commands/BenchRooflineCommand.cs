using System.Globalization;
using SignNotebooks.Models;
using TorchSharp;

namespace SignNotebooks.Cli.Commands;

/// <summary>`signnb bench roofline`: the in-process GEMM rate, each distinct Conv3d shape against it, and the train step.</summary>
public sealed class BenchRooflineCommand : ICommand
{
    public string Name => "bench roofline";
    public string Summary => "GEMM rate, each Conv3d shape of a variant (forward, backward, GFLOP/s, % of GEMM) and the whole train step.";
    public string Usage => """
        signnb bench roofline [--variant standard|paper|tiny|<registered name>] [--frames N] [--repeats N] [--csv FILE]
          --variant   default standard (the CPU workbook's network); paper = twostream-paper (224²/112²)
          --frames    clip length T (multiple of 4), batch 1. Default 16.
          --repeats   timed runs per shape after one warm-up (best is kept). Default 3.
          --csv       also write the table as CSV (default artifacts/bench/roofline-<variant>.csv)
        FLOPs come from the layer shapes (2 per multiply-add; backward counted as 2 × forward). Transposed
        convolutions (pyramid, keypoint→video laterals) are not in the table but are in the train step.
        """;

    public int Run(CliArgs args)
    {
        var name = args.GetOr("variant", "standard");
        int frames = args.GetInt("frames", 16), repeats = args.GetInt("repeats", 3);
        var csv = args.GetOr("csv", "");
        args.EnsureAllUsed();
        if (frames % 4 != 0 || frames < 8) throw new UsageException($"--frames must be a multiple of 4 and ≥ 8 (got {frames})");
        if (repeats < 1) throw new UsageException($"--repeats must be ≥ 1 (got {repeats})");
        var variant = BenchCommon.Variant(name);
        var load = BenchCommon.LoadAverage();
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine($"variant {variant.Name}, T = {frames}, batch 1, {torch.get_num_threads()} torch threads, " +
                          $"{Environment.ProcessorCount} cores, load average (1 min) {load} at start");
        double gemm = Roofline.GemmGflops();
        Console.WriteLine(string.Create(inv, $"GEMM fp32 1024³ in-process: {gemm:F1} GFLOP/s"));
        var layers = Roofline.Conv3dLayers(variant, frames);
        var rows = Roofline.TimeShapes(layers, gemm, repeats);
        Console.WriteLine($"{"Conv3d shape",-58} {"n",3} {"GFLOP",8} {"fwd ms",8} {"bwd ms",8} {"GFLOP/s",8} {"% GEMM",7}");
        foreach (var r in rows.OrderByDescending(r => r.Count * (r.ForwardMs + r.BackwardMs)))
            Console.WriteLine(string.Create(inv, $"{r.Layer,-58} {r.Count,3} {r.Gflop,8:F3} {r.ForwardMs,8:F1} {r.BackwardMs,8:F1} {r.Gflops,8:F1} {r.PercentOfGemm,7:F1}"));
        double convFlops = layers.Sum(l => l.ForwardFlops);
        double convSeconds = rows.Sum(r => r.Count * (r.ForwardMs + r.BackwardMs)) / 1e3;
        var step = ModelBenchmark.Measure(variant, frames, repeats: 2);
        // The step's rate counts only the Conv3d FLOPs (the bulk of the work): a lower bound on what it computes.
        double stepRate = 3 * convFlops / step.ForwardBackwardSeconds / 1e9;
        Console.WriteLine(string.Create(inv, $"all Conv3d layers: {3 * convFlops / 1e9:F2} GFLOP forward+backward, {convSeconds:F3} s when timed one by one"));
        Console.WriteLine(string.Create(inv,
            $"train step (forward+backward, batch 1): {step.ForwardBackwardSeconds:F3} s, ≥ {stepRate:F1} GFLOP/s counting Conv3d FLOPs, {100 * stepRate / gemm:F1} % of GEMM"));
        var path = csv.Length > 0 ? csv : Path.Combine("artifacts", "bench", $"roofline-{variant.Name}.csv");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var lines = new List<string> { "layer,count,gflop_forward,forward_ms,backward_ms,gflops,percent_of_gemm" };
        lines.AddRange(rows.Select(r => string.Create(inv, $"\"{r.Layer}\",{r.Count},{r.Gflop:F4},{r.ForwardMs:F2},{r.BackwardMs:F2},{r.Gflops:F2},{r.PercentOfGemm:F2}")));
        lines.Add(string.Create(inv, $"\"train step\",1,{3 * convFlops / 1e9:F4},,{step.ForwardBackwardSeconds * 1e3:F2},{stepRate:F2},{100 * stepRate / gemm:F2}"));
        lines.Add(string.Create(inv, $"\"gemm 1024\",1,,,,{gemm:F2},100"));
        File.WriteAllLines(path, lines);
        Console.WriteLine($"table: {path}");
        return 0;
    }
}
