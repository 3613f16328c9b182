using System.Diagnostics;
using System.Globalization;
using SignNotebooks.Data;
using SignNotebooks.Evaluation;
using SignNotebooks.Models;
using SignNotebooks.Models.Losses;
using SignNotebooks.Util;
using TorchSharp;
using static TorchSharp.torch;

namespace SignNotebooks.Training;

/// <summary>What a short probe of a training config predicts for the full run.</summary>
/// <param name="ProbedLength">Frames per clip in the probed batch (the longest clips, eval sampling).</param>
/// <param name="SecondsPerPass">Building one micro-batch of the longest clips, then forward + loss + backward + optimiser step (mean after a warm-up pass).</param>
/// <param name="EvalSecondsPerPass">Building the same batch and a forward without gradients.</param>
/// <param name="PeakRssBytes">Peak resident memory of the process during the probe.</param>
/// <param name="ProjectedPeakBytes">The peak scaled to the longest train-time clip (spec §7.3: up to 1.5 T, at most 400).</param>
/// <param name="AvailableBytes">Memory this process may use (MemAvailable plus what it holds now, or the --memory given).</param>
public sealed record RunPlan(TrainingConfig Config, string Device, int TrainClips, double MeanTrainFrames, int MaxTrainFrames, int DevClips,
    double MeanDevFrames, int ProbedLength, int Passes, double SecondsPerPass, double EvalSecondsPerPass, long PeakRssBytes,
    long ProjectedPeakBytes, long AvailableBytes)
{
    public int PassesPerEpoch => (TrainClips + Config.MicroBatch - 1) / Config.MicroBatch;
    /// <summary>Time scales about linearly with clip length, so the longest-batch time is scaled by mean/longest.</summary>
    public double TrainSecondsPerEpoch => SecondsPerPass * PassesPerEpoch * MeanTrainFrames / Math.Max(1, ProbedLength);
    public double ValidationSeconds => EvalSecondsPerPass * Math.Ceiling(DevClips / (double)Config.MicroBatch) * MeanDevFrames / Math.Max(1, ProbedLength);
    public double EpochSeconds => TrainSecondsPerEpoch + ValidationSeconds / Config.ValidateEvery;
    public double TotalSeconds => EpochSeconds * Config.Epochs;
    /// <summary>
    /// Headroom on the projection for what a probe does not do (validation, decoding, metric logs, a managed heap
    /// that grows over thousands of passes): a one-epoch standard keypoint run peaked at 1.23× the projection.
    /// </summary>
    public const double Margin = 1.25;
    public long NeededBytes => (long)(ProjectedPeakBytes * Margin);
    public bool Fits => NeededBytes <= AvailableBytes;

    /// <summary>The lines `signnb plan` prints.</summary>
    public IEnumerable<string> Describe()
    {
        static string G(long b) => (b / 1073741824.0).ToString("F2", CultureInfo.InvariantCulture) + " GB";
        static string T(double s) => s < 120 ? $"{s:F0} s" : s < 7200 ? $"{s / 60:F1} min" : $"{s / 3600:F1} h";
        var c = Config;
        yield return string.Create(CultureInfo.InvariantCulture,
            $"plan: stage {c.Stage}, profile {c.Profile}, {c.Epochs} epochs, batch {c.EffectiveBatch} = {c.EffectiveBatch / c.MicroBatch} × {c.MicroBatch} per pass, device {Device}");
        yield return string.Create(CultureInfo.InvariantCulture,
            $"data: {TrainClips} train clips (mean {MeanTrainFrames:F1} frames, longest {MaxTrainFrames}), {DevClips} dev clips (mean {MeanDevFrames:F1})");
        yield return string.Create(CultureInfo.InvariantCulture,
            $"probe: {Passes} passes on the {c.MicroBatch} longest train clips (L = {ProbedLength}): {SecondsPerPass:F2} s per pass (batch + forward + backward), {EvalSecondsPerPass:F2} s per eval pass; peak RSS {G(PeakRssBytes)}");
        yield return string.Create(CultureInfo.InvariantCulture,
            $"estimate: {PassesPerEpoch} passes per epoch ≈ {T(TrainSecondsPerEpoch)} training + {T(ValidationSeconds)} validation ≈ {T(EpochSeconds)} per epoch, {T(TotalSeconds)} for {c.Epochs} epochs (decoding not included)");
        yield return $"memory: peak {G(PeakRssBytes)} measured, up to {G(ProjectedPeakBytes)} with the longest train-time sampling (1.5 × T), " +
                     $"{G(NeededBytes)} with a {Margin - 1:P0} margin; available {G(AvailableBytes)} → {(Fits ? "fits" : "does NOT fit")}";
        if (!Fits)
            yield return $"warning: the run will probably run out of memory. Fix: lower MicroBatch (keep EffectiveBatch {c.EffectiveBatch}: more accumulation, same gradient), " +
                         "lower Input.MaxFrames, or use a machine with more memory.";
        if (Device != "cpu")
            yield return "note: GPU memory is not measured by this probe (only host RSS); watch nvidia-smi during the first steps.";
    }
}

/// <summary>
/// `signnb plan`: before a long run, trains a few passes on the longest clips of the config's corpus (the worst case
/// for memory), times a pass with and without gradients, and extrapolates to an epoch and the whole run.
/// </summary>
public static class RunPlanner
{
    /// <param name="memoryBytes">Memory the real run will have (null: this machine's available memory).</param>
    public static RunPlan Probe(TrainingConfig config, ISignDataset dataset, Vocabulary vocabulary, string device = "cpu", int passes = 3, long? memoryBytes = null)
    {
        if (passes < 2) throw new UserFacingException($"--steps {passes}: the probe needs at least 2 passes (the first one warms up). Fix: pass --steps 2 or more.");
        var torchDevice = ComputeDevice.Resolve(device);
        config = Trainer.Resolve(config, vocabulary);
        var data = Trainer.Subset(dataset, config);
        var train = Lengths(data, "train");
        var dev = data.Splits.Contains("dev") ? Lengths(data, "dev") : [];
        if (train.Count == 0) throw new UserFacingException($"{dataset.Name} has no training clips. Fix: check the corpus (signnb data check).");
        var longest = train.OrderByDescending(t => t.Frames).ThenBy(t => t.Name, StringComparer.Ordinal).Take(config.MicroBatch).Select(t => t.Name).ToList();
        var probeSet = new NamedClips(data, "train", longest);
        // Eval sampling (all frames, truncated to a multiple of 4): the same batch every pass, so passes are comparable.
        var loader = new SignLoader(probeSet, "train", vocabulary, config.Input,
            new LoaderOptions(config.MicroBatch, Train: false, Shuffle: false, Seed: config.Seed, Streams: config.Streams, Prefetch: 0));
        long baseline = CurrentRss();
        long available = memoryBytes ?? (MemAvailable() + baseline);
        ResetPeakRss();

        torch.manual_seed(config.Seed);
        using var model = ModelRegistry.Create(config.Model);
        bool gpu = torchDevice.type != DeviceType.CPU;
        if (gpu) model.to(torchDevice);
        var optimizer = optim.Adam(model.parameters().Where(p => p.requires_grad), config.LearningRate, config.Beta1, config.Beta2, config.Epsilon, config.WeightDecay);
        var lossFn = new RecognitionLoss(config.Model, config.Loss);
        var times = new List<double>();
        int length = 0;
        double evalSeconds = 0;
        for (int p = 0; p < passes + 1; p++)
        {
            // The clock includes building the batch: training builds batches on its own thread (Prefetch 0), and
            // decoding frames and rendering heatmaps can cost more than the network's step.
            var sw = Stopwatch.StartNew();
            foreach (var batch in loader.Epoch(0))
            {
                using var owned = batch;
                using var gcOff = NoGcRegion.Enter();
                using var scope = NewDisposeScope();
                length = batch.MaxLength;
                var (video, heat, lens) = gpu ? (batch.Video?.to(torchDevice), batch.Heatmaps?.to(torchDevice), batch.LengthsTensor.to(torchDevice))
                                              : (batch.Video, batch.Heatmaps, batch.LengthsTensor);
                if (p < passes)
                {
                    model.train();
                    var outputs = model.Forward(video, heat, lens);
                    var loss = lossFn.Compute(outputs, gpu ? batch.Targets.to(torchDevice) : batch.Targets, gpu ? batch.TargetLengths.to(torchDevice) : batch.TargetLengths);
                    loss.Total.backward();
                    optimizer.step();
                    optimizer.zero_grad();
                    _ = loss.Total.item<float>();   // waits for the device
                    times.Add(sw.Elapsed.TotalSeconds);
                }
                else
                {
                    model.eval();
                    using var noGrad = no_grad();
                    var outputs = model.Forward(video, heat, lens);
                    _ = outputs.Heads.First().Value.LogProbs.sum().item<float>();
                    evalSeconds = sw.Elapsed.TotalSeconds;
                }
            }
        }
        long peak = PeakRss();
        int maxT = train.Max(t => t.Frames);
        // Train-time sampling draws up to min(400, 1.5 T) frames (spec §7.3); activations grow about linearly with L.
        int trainMax = Math.Min(config.Input.MaxFrames, (int)Math.Ceiling(1.5 * maxT));
        double factor = Math.Max(1.0, trainMax / (double)Math.Max(1, length));
        long projected = baseline + (long)((peak - baseline) * factor);
        return new RunPlan(config, device, train.Count, train.Average(t => t.Frames), maxT, dev.Count, dev.Count == 0 ? 0 : dev.Average(t => t.Frames),
            length, passes, times.Skip(1).Average(), evalSeconds, peak, projected, available);
    }

    private static List<(string Name, int Frames)> Lengths(ISignDataset data, string split) =>
        data.ClipNames(split).Select(n => (n, data.Load(split, n, withFrames: false).FrameCount)).ToList();

    /// <summary>Only the named clips of one split (the probe's worst-case batch).</summary>
    private sealed class NamedClips(ISignDataset inner, string split, IReadOnlyList<string> names) : ISignDataset
    {
        public string Name => inner.Name;
        public IReadOnlyList<string> Splits => [split];
        public IReadOnlyList<string> Glosses => inner.Glosses;
        public IReadOnlyList<string> ClipNames(string s) => s == split ? names : [];
        public SignClip Load(string s, string name, bool withFrames = true) => inner.Load(s, name, withFrames);
        public bool CanRestage => inner.CanRestage;
        public SignClip LoadRestaged(string s, string name, int variant) => inner.LoadRestaged(s, name, variant);
    }

    // Linux: writing 5 to clear_refs resets VmHWM, so the probe's own peak is measured, not the process's history.
    private static void ResetPeakRss()
    {
        try { File.WriteAllText("/proc/self/clear_refs", "5"); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    private static long PeakRss() => (long)(ModelBenchmark.PeakRssMb() * 1048576.0);

    private static long CurrentRss() { using var p = Process.GetCurrentProcess(); return p.WorkingSet64; }

    private static long MemAvailable()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/meminfo"))
                if (line.StartsWith("MemAvailable:", StringComparison.Ordinal))
                    return long.Parse(line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException) { }
        return GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
    }
}
