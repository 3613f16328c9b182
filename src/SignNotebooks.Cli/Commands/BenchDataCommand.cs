using System.Diagnostics;
using SignNotebooks.Data;
using SignNotebooks.Synthetic;
using SignNotebooks.Training;
using static TorchSharp.torch;

namespace SignNotebooks.Cli.Commands;

/// <summary>`signnb bench data`: the whole input side at a training profile, on SynthSign itself.</summary>
public sealed class BenchDataCommand : ICommand
{
    public string Name => "bench data";
    public string Summary => "Benchmark SynthSign generation, heatmaps and the batch loader at a training profile.";
    public string Usage => """
        signnb bench data [--profile standard] [--clips 64]
          On the first N training clips of the profile's SynthSign corpus, with the profile's input config:
          synthetic frames/s (render + keypoints), heatmap frames/s (keypoint stream input only),
          loader clips/s for both streams in train mode (built on the caller's thread, as the trainer does,
          and with background prefetch).
        """;

    public int Run(CliArgs args)
    {
        var profile = args.GetOr("profile", "standard");
        int clips = args.GetInt("clips", 64, min: 1);
        args.EnsureAllUsed();
        if (clips < 8) throw new UsageException("--clips must be ≥ 8");
        var config = TrainingProfiles.Get(profile, TrainingStage.Joint);
        var corpus = new SynthSignDataset(config.CorpusProfile, config.CorpusSeed);
        var vocab = Vocabulary.SynthSign(corpus.Glosses);
        Console.WriteLine($"bench data: profile {profile}, SynthSign {config.CorpusProfile}, {clips} train clips, " +
                          $"RGB {config.Input.RgbSize}², heatmaps {config.Input.HeatmapSize}², torch threads {get_num_threads()}");

        corpus.Generate("train", 0); // warm-up
        var sw = Stopwatch.StartNew();
        var generated = Enumerable.Range(0, clips).Select(i => corpus.Generate("train", i)).ToList();
        long frames = generated.Sum(c => (long)c.FrameCount);
        Console.WriteLine($"  synthetic frames/s (render + keypoints, 1 thread) : {frames / sw.Elapsed.TotalSeconds,10:F0}");

        var pipeline = new ClipPipeline(config.Input);
        sw.Restart();
        long heatFrames = 0;
        using (no_grad())
            foreach (var c in generated)
            {
                using var inputs = pipeline.Prepare(c.ToSignClip(), train: true, new Random(1), InputStreams.Heatmaps);
                heatFrames += inputs.Length;
            }
        Console.WriteLine($"  heatmap frames/s (79 channels, train sampling)    : {heatFrames / sw.Elapsed.TotalSeconds,10:F0}");

        var subset = new DatasetSubset(corpus, new Dictionary<string, int> { ["train"] = clips });
        foreach (var prefetch in new[] { 0, 2 })
        {
            var loader = new SignLoader(subset, "train", vocab, config.Input, new LoaderOptions(config.MicroBatch, Train: true, Seed: 1, Prefetch: prefetch));
            sw.Restart();
            int seen = 0;
            foreach (var b in loader.Epoch(0)) using (b) seen += b.Size;
            Console.WriteLine($"  loader clips/s, both streams, prefetch {prefetch}        : {seen / sw.Elapsed.TotalSeconds,10:F1}");
        }
        return 0;
    }
}
