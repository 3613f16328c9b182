using System.Diagnostics;
using SignNotebooks.Synthetic;

namespace SignNotebooks.Cli.Commands;

public sealed class BenchSynthCommand : ICommand
{
    public string Name => "bench synth";
    public string Summary => "Measure SynthSign generation speed (frames/s with rendering, keypoints only, and PNG encoding).";
    public string Usage => """
        signnb bench synth [--profile standard] [--clips 200] [--threads N] [--split train] [--size WxH]
          Generates the first N clips of a split: once with keypoints only, once with RGB frames on one thread and
          on N threads (default: all cores), and prints frames per second for each.
        """;

    public int Run(CliArgs args)
    {
        var profile = SynthProfile.Get(args.GetOr("profile", "standard"));
        string? size = args.Get("size");
        var ds = new SynthSignDataset(size is null ? profile : profile.WithSize(size));
        int clips = args.GetInt("clips", 200, min: 1), threads = args.GetInt("threads", Environment.ProcessorCount, min: 1);
        string split = args.GetOr("split", "train");
        args.EnsureAllUsed();
        if (clips < 1 || threads < 1) throw new UsageException("--clips and --threads must be at least 1");
        var p = ds.Profile;
        clips = Math.Min(clips, p.ClipCount(split));
        Console.WriteLine($"SynthSign bench: profile {p.Name}, {p.Width}x{p.Height} frames, {clips} clips of {split}, {Environment.ProcessorCount} cores");
        ds.GenerateMany(split, Math.Min(30, clips), true, 1);   // warm-up: let tiered JIT reach optimised code

        var (kpFrames, kpSec) = Time(() => ds.GenerateMany(split, clips, false, 1));
        Console.WriteLine($"  keypoints only (clean + detected), 1 thread : {kpFrames / kpSec,9:F0} frames/s  ({kpFrames} frames, {kpSec:F2} s)");
        var (f1, s1) = Time(() => ds.GenerateMany(split, clips, true, 1));
        Console.WriteLine($"  render + keypoints, 1 thread               : {f1 / s1,9:F0} frames/s  ({f1} frames, {s1:F2} s)");
        var (fn, sn) = Time(() => ds.GenerateMany(split, clips, true, threads));
        Console.WriteLine($"  render + keypoints, {threads} threads              : {fn / sn,9:F0} frames/s  ({fn} frames, {sn:F2} s)");
        var clip = ds.Generate(split, 0);
        int fb = clip.Width * clip.Height * 3, reps = Math.Max(1, 2000 / clip.FrameCount);
        var sw = Stopwatch.StartNew();
        for (int r = 0; r < reps; r++)
            for (int t = 0; t < clip.FrameCount; t++) PngEncoder.Encode(clip.Frames!, t * fb, clip.Width, clip.Height);
        double ps = sw.Elapsed.TotalSeconds;
        Console.WriteLine($"  PNG encoding (export), 1 thread            : {reps * clip.FrameCount / ps,9:F0} frames/s");
        Console.WriteLine($"  mean clip length: {fn / (double)clips:F1} frames");
        return 0;
    }

    private static (long Frames, double Seconds) Time(Func<SynthClip[]> run)
    {
        var sw = Stopwatch.StartNew();
        var clips = run();
        return (clips.Sum(c => (long)c.FrameCount), sw.Elapsed.TotalSeconds);
    }
}
