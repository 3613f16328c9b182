using SignNotebooks.Data;
using SignNotebooks.Models;
using SignNotebooks.Models.Backbones;
using TorchSharp;
using static TorchSharp.torch;

namespace SignNotebooks.Training;

/// <summary>Settings of the isolated-sign phase of stage 0.</summary>
/// <param name="Steps">Adam steps of window classification.</param>
/// <param name="BatchSize">Windows per step, each drawn from a uniformly drawn gloss (class-balanced).</param>
/// <param name="WindowFrames">Input frames per window, a multiple of 4 (the backbone's temporal stride).</param>
/// <param name="LearningRate">Adam's rate at the first step.</param>
/// <param name="MaxClips">Train clips the windows are cut from (null: the whole train split).</param>
/// <param name="Seed">Draws and classifier init.</param>
/// <param name="FinalLearningRate">Null: the rate stays constant. Otherwise it follows a cosine from
/// <paramref name="LearningRate"/> at step 1 to this rate at the last step (never 0: every step moves the weights).
/// Why: at a constant 1e-3 the eval-mode window accuracy swings by 20–40 points between evaluations, so where the
/// phase stops decides what the stream stage inherits.</param>
/// <param name="Emphasis">How glosses are drawn: every gloss equally often, or in proportion to how often the classifier
/// still gets it wrong (<see cref="ErrorWeightedDraw"/>).</param>
public sealed record IsolatedSignConfig(int Steps = 600, int BatchSize = 32, int WindowFrames = 8, double LearningRate = 1e-3,
    int? MaxClips = null, int Seed = 0, double? FinalLearningRate = null, DrawEmphasis Emphasis = DrawEmphasis.Balanced)
{
    /// <summary>Adam's rate at a 1-based step.</summary>
    public double RateAt(int step)
    {
        if (FinalLearningRate is not { } floor || Steps <= 1) return LearningRate;
        double progress = (step - 1) / (double)(Steps - 1);
        return floor + 0.5 * (LearningRate - floor) * (1 + Math.Cos(Math.PI * progress));
    }
}

/// <summary>How the isolated-sign phase draws its windows' glosses.</summary>
public enum DrawEmphasis
{
    /// <summary>Every gloss equally often.</summary>
    Balanced,
    /// <summary>Glosses the classifier still gets wrong more often (<see cref="ErrorWeightedDraw"/>).</summary>
    Errors,
}

/// <summary>
/// Windows of a stream's input centred on each sign of SynthSign's clips, one per sign occurrence, with its gloss id.
/// Stored as float16 (79 heatmaps × 8 × 24² per window: 1.3 GB for the standard train split instead of 2.6).
/// </summary>
public sealed class IsolatedWindows : IDisposable
{
    /// <summary>(N, C, W, H, W') float16 inputs.</summary>
    public Tensor Inputs { get; }
    /// <summary>Gloss id of each window.</summary>
    public long[] Labels { get; }
    /// <summary>Where each window comes from: the clip's position in the loader's split and its first input frame.</summary>
    public (int Clip, long From)[] Origins { get; }
    public int Count => Labels.Length;

    private IsolatedWindows(Tensor inputs, long[] labels, (int, long)[] origins) { Inputs = inputs; Labels = labels; Origins = origins; }

    /// <summary>
    /// Cuts the windows from the first <paramref name="maxClips"/> clips of <paramref name="loader"/> (evaluation
    /// preprocessing; the loader's streams decide video or heatmaps): for each run of output steps (stride 4) that
    /// the true frame labels give one gloss, the window of <paramref name="frames"/> input frames around the run's
    /// middle step, moved inside the clip when it would cross an end. Clips shorter than a window are skipped.
    /// </summary>
    public static IsolatedWindows Cut(SignLoader loader, int blankId, int frames, int? maxClips = null)
    {
        if (frames < 4 || frames % 4 != 0) throw new ArgumentOutOfRangeException(nameof(frames), frames, "a window is a positive multiple of 4 frames");
        var inputs = new List<Tensor>();
        var labels = new List<long>();
        var origins = new List<(int, long)>();
        int first = 0;   // split position of the batch's first clip
        foreach (var built in loader.Leading(maxClips ?? int.MaxValue))
        {
            using var batch = built;
            // Every temporary of the batch is freed here, none left to the finalizer: a window cut of the standard video
            // split once died in libc10 (SIGSEGV) with them left to it.
            using var scope = NewDisposeScope();
            if (batch.FrameTargets is null)
                throw new Util.UserFacingException($"split '{loader.Split}' has no per-frame gloss labels; isolated-sign windows need SynthSign's. Fix: pretrain on SynthSign.");
            var x = batch.Heatmaps ?? batch.Video!;   // (B, C, T, H, W)
            long steps = x.shape[2] / 4;
            var truth = batch.FrameTargets.At(4, steps).data<long>().ToArray();   // (B, T/4) flattened
            for (int b = 0; b < batch.Size; b++)
                foreach (var (runStart, runEnd) in Runs(truth, b * steps, steps))
                {
                    long label = truth[b * steps + runStart];
                    if (label == blankId || batch.Lengths[b] < frames) continue;
                    long middle = (runStart + runEnd) / 2;
                    // Step t reads input frames [4t, 4t + 4): centre the window on them.
                    long from = Math.Clamp(4 * middle + 2 - frames / 2, 0, batch.Lengths[b] - frames);
                    inputs.Add(x[b].narrow(1, from, frames).to(float16).clone().DetachFromDisposeScope());   // (C, T, H, W) -> (C, frames, H, W)
                    labels.Add(label);
                    origins.Add((first + b, from));
                }
            first += batch.Size;
        }
        if (labels.Count == 0) throw new Util.UserFacingException($"no sign of split '{loader.Split}' lies in a clip of at least {frames} frames. Fix: use shorter windows.");
        var stacked = stack(inputs);
        foreach (var t in inputs) t.Dispose();
        return new IsolatedWindows(stacked, labels.ToArray(), origins.ToArray());
    }

    /// <summary>Maximal runs [first, last] of equal labels among the valid steps of one clip (padding ends a run).</summary>
    internal static IEnumerable<(long First, long Last)> Runs(long[] truth, long offset, long steps)
    {
        long t = 0;
        while (t < steps && truth[offset + t] != FrameTargets.Ignore)
        {
            long first = t;
            while (t + 1 < steps && truth[offset + t + 1] == truth[offset + first]) t++;
            yield return (first, t);
            t++;
        }
    }

    public void Dispose() => Inputs.Dispose();
}

/// <summary>
/// The isolated-sign phase of stage 0, SynthSign's stand-in for the WLASL gloss-classification checkpoint that the
/// official SingleStream configs start from (`s3ds_glosscls`, K400 + WLASL; spec §15): the stream's S3D backbone, mean
/// pooled, with a linear classifier over the glosses, trained on <see cref="IsolatedWindows"/> drawn class-balanced.
/// Why: the continuous stages see a rare gloss's fine cue (the numbers' handshapes) in a few % of their steps and learn
/// it last, if at all (issue 15: no stream ever wrote TWO…FIVE, even on its training clips); drawing every gloss equally
/// often puts it in every batch. Only the backbone is kept: the classifier is dropped, the heads stay as stage 0 left them.
/// </summary>
public static class IsolatedSignPretraining
{
    /// <summary>Progress every 100 steps and after the last: running loss, rate, eval-mode window accuracy in % (train: its
    /// first 2,000 windows), and the dev accuracy of each gloss id (NaN: no dev window of it; null: no dev windows).</summary>
    public sealed record Progress(int Step, double Loss, double? TrainAccuracy, double? DevAccuracy, double LearningRate = double.NaN,
        double[]? DevClassAccuracy = null);

    /// <summary>Trains the backbone of <paramref name="model"/> (a single-stream model) in place.</summary>
    /// <param name="dev">Windows to report accuracy on (null: none).</param>
    /// <param name="report">Called every 100 steps and after the last.</param>
    public static void Run(RecognitionModel model, IsolatedWindows train, IsolatedWindows? dev, int classes, IsolatedSignConfig config,
        Action<Progress>? report = null)
    {
        var backbones = model.modules().OfType<S3DBackbone>().ToList();
        if (backbones.Count != 1)
            throw new ArgumentException($"isolated-sign pretraining trains one stream's backbone; this model has {backbones.Count}.");
        var backbone = backbones[0];
        manual_seed(config.Seed);
        using var classifier = nn.Linear(backbone.Channels[3], classes);
        var optimizer = optim.Adam(backbone.parameters().Concat(classifier.parameters()), config.LearningRate);
        var draw = new ErrorWeightedDraw(train.Labels, config.Seed);
        double running = double.NaN;
        Tensor Logits(Tensor x) => classifier.forward(backbone.forward(x.to(float32)).mean([2, 3, 4]));   // (B, C4, T', H', W') -> (B, C4) -> (B, V)
        try
        {
            for (int step = 1; step <= config.Steps; step++)
            {
                using (var scope = NewDisposeScope())
                {
                    backbone.train();
                    var picks = config.Emphasis == DrawEmphasis.Errors ? draw.Next(config.BatchSize) : draw.NextBalanced(config.BatchSize);
                    var idx = tensor(picks, new long[] { picks.Length });
                    var labels = picks.Select(i => train.Labels[i]).ToArray();
                    var target = tensor(labels, new long[] { picks.Length });
                    foreach (var group in optimizer.ParamGroups) group.LearningRate = config.RateAt(step);
                    optimizer.zero_grad();
                    var logits = Logits(train.Inputs.index_select(0, idx));
                    var loss = nn.functional.cross_entropy(logits, target);
                    loss.backward();
                    optimizer.step();
                    draw.Observe(labels, logits.argmax(1).data<long>().ToArray());
                    double l = loss.item<float>();
                    running = double.IsNaN(running) ? l : 0.9 * running + 0.1 * l;
                }
                if (report is not null && (step % 100 == 0 || step == config.Steps))
                {
                    backbone.eval();   // accuracy with the running statistics, as the stream stages will read them
                    // One pass over dev serves both its overall and its per-gloss accuracy.
                    var devPred = dev is null ? null : Predict(dev, Logits, dev.Count);
                    report(new Progress(step, running, Accuracy(train, Predict(train, Logits, AccuracyWindows)),
                        dev is null ? null : Accuracy(dev, devPred!), config.RateAt(step), dev is null ? null : ClassAccuracy(dev, devPred!, classes)));
                }
            }
        }
        finally { model.eval(); }
    }

    /// <summary>Windows an accuracy is reported on (the first ones of a split).</summary>
    private const int AccuracyWindows = 2000;

    /// <summary>Accuracy in % of predictions for the first <see cref="AccuracyWindows"/> windows.</summary>
    private static double Accuracy(IsolatedWindows windows, long[] predicted)
    {
        int count = Math.Min(AccuracyWindows, predicted.Length);
        return 100.0 * predicted.Take(count).Where((p, i) => p == windows.Labels[i]).Count() / count;
    }

    /// <summary>Accuracy of each class id in %, NaN for a class without windows.</summary>
    private static double[] ClassAccuracy(IsolatedWindows windows, long[] pred, int classes)
    {
        var right = new int[classes];
        var seen = new int[classes];
        for (int i = 0; i < pred.Length; i++)
        {
            seen[windows.Labels[i]]++;
            if (pred[i] == windows.Labels[i]) right[windows.Labels[i]]++;
        }
        return Enumerable.Range(0, classes).Select(c => seen[c] == 0 ? double.NaN : 100.0 * right[c] / seen[c]).ToArray();
    }

    /// <summary>Eval-mode predictions for the first <paramref name="max"/> windows.</summary>
    private static long[] Predict(IsolatedWindows windows, Func<Tensor, Tensor> logits, int max)
    {
        using var noGrad = no_grad();
        long count = Math.Min(max, windows.Count);
        var pred = new long[count];
        for (long s = 0; s < count; s += 32)
        {
            using var scope = NewDisposeScope();
            long n = Math.Min(32, count - s);
            logits(windows.Inputs.narrow(0, s, n)).argmax(1).data<long>().ToArray().CopyTo(pred, s);
        }
        return pred;
    }
}

/// <summary>
/// Window indices drawn by gloss: a class first, then one of its items uniformly. <see cref="NextBalanced"/> draws every
/// class equally often; <see cref="Next"/> draws a class in proportion to <see cref="Floor"/> plus its error rate among
/// the draws <see cref="Observe"/> was told about (a running average, starting at 1: balanced until the classifier has
/// been seen at work). Why: class balance alone left the numbers at 40 % of their dev windows after 600 steps while
/// the other glosses reached 90 % (issue 15); the glosses a classifier still confuses are the ones worth the steps.
/// </summary>
public sealed class ErrorWeightedDraw(IReadOnlyList<long> labels, int seed)
{
    /// <summary>Weight a class keeps however well it is classified, so no learned gloss is starved.</summary>
    public const double Floor = 0.1;
    private const double Decay = 0.95;   // per draw of the class: about the last 20 of its windows

    private readonly (long Label, long[] Items)[] _byClass = labels.Select((l, i) => (l, i)).GroupBy(x => x.l).OrderBy(g => g.Key)
        .Select(g => (g.Key, g.Select(x => (long)x.i).ToArray())).ToArray();
    private readonly Random _rng = new(seed);
    private double[]? _error;

    /// <summary>Distinct classes present.</summary>
    public int Classes => _byClass.Length;

    /// <summary>The running error rate of each class present, in ascending label order.</summary>
    public IReadOnlyList<double> ErrorRates => _error ??= Enumerable.Repeat(1.0, Classes).ToArray();

    public long[] NextBalanced(int count) => Enumerable.Range(0, count).Select(_ => Pick(_rng.Next(Classes))).ToArray();

    public long[] Next(int count)
    {
        var weights = ErrorRates.Select(e => Floor + e).ToArray();
        double total = weights.Sum();
        return Enumerable.Range(0, count).Select(_ =>
        {
            double u = _rng.NextDouble() * total;
            int c = 0;
            while (c < Classes - 1 && (u -= weights[c]) >= 0) c++;
            return Pick(c);
        }).ToArray();
    }

    /// <summary>Updates each drawn class's running error rate from what the classifier predicted for it.</summary>
    public void Observe(IReadOnlyList<long> truth, IReadOnlyList<long> predicted)
    {
        var error = (double[])ErrorRates;
        for (int i = 0; i < truth.Count; i++)
        {
            int c = Array.FindIndex(_byClass, g => g.Label == truth[i]);
            if (c < 0) throw new ArgumentException($"label {truth[i]} is not among the drawn classes");
            error[c] = Decay * error[c] + (1 - Decay) * (predicted[i] == truth[i] ? 0 : 1);
        }
    }

    private long Pick(int c) => _byClass[c].Items[_rng.Next(_byClass[c].Items.Length)];
}
