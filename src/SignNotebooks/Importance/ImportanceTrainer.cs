using SignNotebooks.Data;
using SignNotebooks.Keypoints;
using SignNotebooks.Util;
using TorchSharp;
using static TorchSharp.torch;
using static SignNotebooks.Util.KeptScalars;

namespace SignNotebooks.Importance;

/// <summary>Settings of one estimator training run.</summary>
public sealed record ImportanceTrainingOptions
{
    public int Epochs { get; init; } = 8;
    public int BatchSize { get; init; } = 16;
    public double LearningRate { get; init; } = 3e-3;
    public int Hidden { get; init; } = 64;
    public int Seed { get; init; } = 7;
    public int? MaxTrainClips { get; init; }
}

/// <summary>A trained estimator with what evaluation needs: its keypoint selection and the train split's base rates.</summary>
public sealed record ImportanceModel(ImportanceEstimator Estimator, KeypointSelection Selection, double[] TrainPositiveRate,
    IReadOnlyList<double> EpochLosses, TargetSource Source);

/// <summary>One part's score on a split: frames where the estimator's (p &gt; 0.5) equals the target's (&gt; 0.5).</summary>
/// <param name="BaselineAccuracy">The same for the constant prediction of the part's majority label on train.</param>
public sealed record PartAccuracy(string Part, double Accuracy, double BaselineAccuracy, double MeanAbsError, double PositiveRate);

/// <param name="Source">What the estimator was scored against.</param>
/// <param name="TrainedOn">What the estimator was trained on.</param>
public sealed record ImportanceReport(string Split, TargetSource Source, int Clips, int Frames, IReadOnlyList<PartAccuracy> Parts, TargetSource TrainedOn);

/// <summary>
/// Trains and scores the <see cref="ImportanceEstimator"/>: sigmoid cross-entropy against soft frame × part targets
/// (<see cref="ImportanceTargets"/>), padded frames masked out. The targets come from a provider so the same loop
/// serves the ground-truth boundaries of SynthSign and CTC pseudo-alignments of a corpus without boundaries.
/// </summary>
public static class ImportanceTrainer
{
    /// <summary>Ground-truth targets: the clip's frame labels through the dictionary; a clear error when it has none.</summary>
    public static Func<SignClip, ImportanceTargets> GroundTruth(SignDictionary dictionary) => clip =>
        ImportanceTargets.FromFrameGloss(
            clip.FrameGlossIndex ?? throw new UserFacingException(
                $"clip {clip.Name} has no gloss boundaries (only SynthSign has them). Fix: build targets from CTC spans of a trained model (ImportanceTargets.FromSpans)."),
            clip.Glosses, dictionary);

    public static ImportanceModel Train(ISignDataset dataset, Func<SignClip, ImportanceTargets> targets, ImportanceTrainingOptions options,
        KeypointSelection? selection = null, TextWriter? log = null)
    {
        if (options.Epochs < 1 || options.BatchSize < 1 || options.Hidden < 1 || !(options.LearningRate > 0))
            throw new UserFacingException($"importance estimator options {options}: Epochs, BatchSize and Hidden must be ≥ 1 and LearningRate > 0. Fix those values.");
        selection ??= KeypointSelection.Paper79;
        var names = dataset.ClipNames("train");
        if (options.MaxTrainClips is { } max) names = names.Take(max).ToList();
        var clips = new List<(float[] X, float[,] Y, int T)>(names.Count);
        TargetSource? source = null;
        foreach (var n in names)
        {
            var clip = dataset.Load("train", n, withFrames: false);
            var y = targets(clip);
            source ??= y.Source;
            if (y.Frames != clip.FrameCount)
                throw new InvalidOperationException($"clip {clip.Name}: {y.Frames} target frames for {clip.FrameCount} frames");
            clips.Add((ImportanceFeatures.Of(clip, selection), y.Values, clip.FrameCount));
        }
        if (clips.Count == 0) throw new UserFacingException($"corpus '{dataset.Name}' has no train clips to fit the importance estimator on.");

        int parts = ArticulatorParts.Count, feat = selection.Count * ImportanceFeatures.PerKeypoint;
        var rate = new double[parts];
        long frames = 0;
        foreach (var c in clips)
            for (int t = 0; t < c.T; t++, frames++)
                for (int p = 0; p < parts; p++) if (c.Y[t, p] > 0.5f) rate[p]++;
        for (int p = 0; p < parts; p++) rate[p] /= frames;

        torch.manual_seed(options.Seed);
        var model = new ImportanceEstimator(selection.Count, options.Hidden);
        var optimizer = optim.Adam(model.parameters(), options.LearningRate);
        var losses = new List<double>();
        model.train();
        for (int epoch = 0; epoch < options.Epochs; epoch++)
        {
            var order = Enumerable.Range(0, clips.Count).ToArray();
            new Random(options.Seed * 1000 + epoch).Shuffle(order);
            double sum = 0;
            int batches = 0;
            foreach (var chunk in order.Chunk(options.BatchSize))
            {
                using var scope = NewDisposeScope();
                using var noGc = NoGcRegion.Enter();
                var batch = chunk.Select(i => clips[i]).ToList();
                var (x, y, mask) = Collate(batch, feat, parts);
                var logits = model.call(x);
                // Sigmoid cross-entropy with soft targets, written out: max(z, 0) − z·y + log(1 + e^−|z|).
                var perFrame = logits.relu().sub(logits.mul(y)).add(logits.abs().neg().exp().log1p(), F(1));
                var loss = perFrame.mul(mask).sum().div(mask.sum().mul(F(parts)));
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
                sum += loss.item<float>();
                batches++;
            }
            losses.Add(sum / batches);
            log?.WriteLine($"importance estimator epoch {epoch + 1}/{options.Epochs}: loss {sum / batches:F4}");
        }
        model.eval();
        return new ImportanceModel(model, selection, rate, losses, source ?? TargetSource.GroundTruthBoundaries);
    }

    /// <summary>(T, parts) importance in [0, 1] for one clip.</summary>
    public static float[,] Predict(ImportanceModel model, SignClip clip)
    {
        using var scope = NewDisposeScope();
        using var noGc = NoGcRegion.Enter();
        using var grad = torch.no_grad();
        var f = ImportanceFeatures.Of(clip, model.Selection);
        int feat = model.Selection.Count * ImportanceFeatures.PerKeypoint;
        var x = torch.tensor(f, [1, clip.FrameCount, feat]);
        var p = model.Estimator.call(x).sigmoid()[0].contiguous().data<float>().ToArray();
        var result = new float[clip.FrameCount, ArticulatorParts.Count];
        Buffer.BlockCopy(p, 0, result, 0, p.Length * sizeof(float));
        return result;
    }

    /// <summary>Per-part accuracy on a split against the targets, next to the majority-label baseline.</summary>
    public static ImportanceReport Evaluate(ImportanceModel model, ISignDataset dataset, string split, Func<SignClip, ImportanceTargets> targets, int? maxClips = null)
    {
        var names = dataset.ClipNames(split);
        if (maxClips is { } max) names = names.Take(max).ToList();
        int parts = ArticulatorParts.Count;
        var hit = new double[parts]; var baseHit = new double[parts]; var abs = new double[parts]; var pos = new double[parts];
        long frames = 0;
        TargetSource source = model.Source;
        foreach (var n in names)
        {
            var clip = dataset.Load(split, n, withFrames: false);
            var y = targets(clip);
            source = y.Source;
            var p = Predict(model, clip);
            for (int t = 0; t < clip.FrameCount; t++, frames++)
                for (int k = 0; k < parts; k++)
                {
                    bool truth = y.Values[t, k] > 0.5f;
                    if ((p[t, k] > 0.5f) == truth) hit[k]++;
                    if ((model.TrainPositiveRate[k] >= 0.5) == truth) baseHit[k]++;
                    if (truth) pos[k]++;
                    abs[k] += Math.Abs(p[t, k] - y.Values[t, k]);
                }
        }
        if (frames == 0) throw new UserFacingException($"split '{split}' has no frames to score the importance estimator on.");
        var rows = ArticulatorParts.Names.Select((name, k) =>
            new PartAccuracy(name, 100 * hit[k] / frames, 100 * baseHit[k] / frames, abs[k] / frames, 100 * pos[k] / frames)).ToList();
        return new ImportanceReport(split, source, names.Count, (int)frames, rows, model.Source);
    }

    private static (Tensor X, Tensor Y, Tensor Mask) Collate(IReadOnlyList<(float[] X, float[,] Y, int T)> batch, int feat, int parts)
    {
        int b = batch.Count, tMax = batch.Max(c => c.T);
        var x = new float[b * tMax * feat];
        var y = new float[b * tMax * parts];
        var m = new float[b * tMax];
        for (int i = 0; i < b; i++)
        {
            var c = batch[i];
            Array.Copy(c.X, 0, x, i * tMax * feat, c.T * feat);
            Buffer.BlockCopy(c.Y, 0, y, i * tMax * parts * sizeof(float), c.T * parts * sizeof(float));
            for (int t = 0; t < c.T; t++) m[i * tMax + t] = 1;
        }
        return (torch.tensor(x, [b, tMax, feat]), torch.tensor(y, [b, tMax, parts]), torch.tensor(m, [b, tMax, 1]));
    }
}
