using System.Diagnostics;
using SignNotebooks.Data;
using SignNotebooks.Keypoints;
using static TorchSharp.torch;

namespace SignNotebooks.Cli.Commands;

/// <summary>`signnb bench pipeline`: heatmap frames/s and loader clips/s at CPU-profile and paper sizes.</summary>
public sealed class BenchPipelineCommand : ICommand
{
    public string Name => "bench pipeline";
    public string Summary => "Benchmark heatmap rendering (frames/s) and the batch loader (clips/s).";
    public string Usage =>
        """
        signnb bench pipeline [--sizes cpu,paper] [--frames 64] [--clips 8] [--batch 2] [--threads N] [--chunk 16]
          Random-walk keypoints (79 channels) and noise frames, generated in memory first (not timed).
          cpu:   RGB 64, heatmap 32, raw frames 128x128 (--cpu-raw WxH)
          paper: RGB 224, heatmap 112, raw frames 210x260 (Phoenix, --paper-raw WxH)
          Prints: heatmap frames/s (separable path and the full-map reference), loader clips/s in train mode
          for both streams, RGB only and heatmaps only (with background prefetch). Each rate is the median of
          at least 3 timed runs after a warm-up.
        """;

    public int Run(CliArgs args)
    {
        var sizes = args.GetOr("sizes", "cpu,paper").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        int frames = args.GetInt("frames", 64, min: 1), clips = args.GetInt("clips", 8, min: 1), batch = args.GetInt("batch", 2, min: 1);
        int threads = args.GetInt("threads", 0, min: 0), chunk = args.GetInt("chunk", 16, min: 1);
        var cpuRaw = ParseSize(args.GetOr("cpu-raw", "128x128"), "cpu-raw");
        var paperRaw = ParseSize(args.GetOr("paper-raw", "210x260"), "paper-raw");
        args.EnsureAllUsed();
        if (frames < 4 || clips < 1 || batch < 1 || chunk < 1) throw new UsageException("--frames must be ≥ 4, --clips, --batch and --chunk ≥ 1");
        if (threads > 0) set_num_threads(threads);
        Console.WriteLine($"bench pipeline: torch threads {get_num_threads()}, {frames} frames/clip, {clips} clips, batch {batch}");
        foreach (var s in sizes)
        {
            var (config, raw) = s switch
            {
                "cpu" => (InputConfig.Cpu, cpuRaw),
                "paper" => (InputConfig.Paper, paperRaw),
                _ => throw new UsageException($"unknown size '{s}'; use cpu, paper or cpu,paper"),
            };
            Bench(s, config with { ChunkFrames = chunk }, raw, frames, clips, batch);
        }
        return 0;
    }

    private static void Bench(string label, InputConfig config, (int W, int H) raw, int frames, int clips, int batch)
    {
        Console.WriteLine($"[{label}] RGB {config.RgbSize}², heatmap {config.HeatmapSize}², raw {raw.W}x{raw.H}, σ {config.Sigma}, {config.Selection.Count} keypoints");
        var data = new RandomWalkDataset(clips, frames, raw.W, raw.H, seed: 1);
        var pipeline = new ClipPipeline(config);
        var clip = data.Load("train", data.ClipNames("train")[0]);
        var box = new CropBox(raw.H / 10, raw.W / 12, raw.H * 8 / 10, raw.W * 9 / 12);
        using (no_grad())
        {
            using var kp = pipeline.SelectKeypoints(clip, Enumerable.Range(0, frames).ToArray());
            double fast = Rate(frames, () =>
            {
                for (int f = 0; f < frames; f += config.ChunkFrames)
                {
                    using var scope = NewDisposeScope();
                    Heatmaps.StreamInput(kp.narrow(0, f, Math.Min(config.ChunkFrames, frames - f)), (raw.H, raw.W), (raw.H, raw.W), box,
                        config.HeatmapSize, config.HeatmapSize, config.HeatmapOptions);
                }
            });
            int refFrames = Math.Min(frames, 16);
            double reference = Rate(refFrames, () =>
            {
                for (int f = 0; f < refFrames; f += 4)
                {
                    using var scope = NewDisposeScope();
                    var full = Heatmaps.Render(kp.narrow(0, f, Math.Min(4, refFrames - f)), (raw.H, raw.W), (raw.H, raw.W), config.HeatmapOptions);
                    _ = nn.functional.interpolate(full.narrow(2, box.Top, box.Height).narrow(3, box.Left, box.Width),
                        size: [config.HeatmapSize, config.HeatmapSize], mode: InterpolationMode.Bilinear, align_corners: false).mul(SignNotebooks.Util.KeptScalars.F(2)).sub(SignNotebooks.Util.KeptScalars.F(1));
                }
            });
            Console.WriteLine($"  heatmaps, separable crop+resize : {fast,10:F1} frames/s");
            Console.WriteLine($"  heatmaps, full maps (reference) : {reference,10:F1} frames/s");
        }
        var vocab = Vocabulary.SynthSign(data.Glosses);
        foreach (var streams in new[] { InputStreams.Both, InputStreams.Rgb, InputStreams.Heatmaps })
        {
            var loader = new SignLoader(data, "train", vocab, config, new LoaderOptions(BatchSize: batch, Seed: 3, Streams: streams));
            int seen = 0;
            double rate = Rate(clips, () =>
            {
                using (no_grad())
                    foreach (var b in loader.Epoch(0)) using (b) seen += b.Size;
            });
            Console.WriteLine($"  loader, train, {streams,-8}       : {rate,10:F2} clips/s  ({rate * frames,8:F0} source frames/s)");
        }
    }

    /// <summary>Items per second: the median over repetitions (at least 3, or ≥ 2 s in all) after one warm-up,
    /// because other processes on a shared machine make single timings jumpy.</summary>
    private static double Rate(int items, Action work)
    {
        work();   // warm-up: first-call allocations and thread-pool start
        var times = new List<double>();
        var total = Stopwatch.StartNew();
        while (times.Count < 3 || total.Elapsed.TotalSeconds < 2)
        {
            var sw = Stopwatch.StartNew();
            work();
            times.Add(sw.Elapsed.TotalSeconds);
            if (total.Elapsed.TotalSeconds > 60) break;
        }
        times.Sort();
        return items / times[times.Count / 2];
    }

    private static (int W, int H) ParseSize(string s, string key)
    {
        var p = s.ToLowerInvariant().Split('x');
        if (p.Length == 2 && int.TryParse(p[0], out var w) && int.TryParse(p[1], out var h) && w > 0 && h > 0) return (w, h);
        throw new UsageException($"--{key} takes WIDTHxHEIGHT, e.g. 210x260 (got '{s}')");
    }
}
