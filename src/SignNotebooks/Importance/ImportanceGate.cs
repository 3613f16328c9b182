using System.Collections.Concurrent;
using SignNotebooks.Data;
using SignNotebooks.Keypoints;
using SignNotebooks.Util;
using static TorchSharp.torch;

namespace SignNotebooks.Importance;

/// <summary>Settings of the importance-gated keypoint stream (<see cref="InputConfig.ImportanceGate"/>).</summary>
public sealed record ImportanceGateConfig
{
    /// <summary>Folder of a saved estimator (<see cref="ImportanceModelFile"/>); a relative path starts at the repository root.</summary>
    public string Estimator { get; init; } = "";
    /// <summary>
    /// Gate = Floor + (1 − Floor) · importance. A floor above 0 keeps every channel visible, so an estimator that is
    /// wrong on a frame dims the evidence instead of deleting it; 0.5 halves what the dictionary says does not matter.
    /// </summary>
    public double Floor { get; init; } = 0.5;
}

/// <summary>
/// The importance-gated keypoint stream: each heatmap channel of each sampled frame is scaled by its articulator's
/// predicted importance. Gating the input rather than adding an auxiliary loss keeps the backbone, its checkpoint
/// keys and the loss unchanged (a gated run loads and merges like any other), works the same at train and test time
/// without labels, and is inspectable: the gate is a (K, L) table one can plot. Maps are in [−1, 1] with −1 = empty,
/// so the gate scales the map's height above empty: h' = g · (h + 1) − 1.
/// </summary>
public sealed class ImportanceGate
{
    private static readonly ConcurrentDictionary<string, ImportanceModel> Loaded = new(StringComparer.Ordinal);
    private readonly ImportanceModel _model;
    private readonly object _lock = new();

    public ImportanceGateConfig Config { get; }

    private ImportanceGate(ImportanceGateConfig config, ImportanceModel model) { Config = config; _model = model; }

    /// <summary>The gate of a config; estimators are loaded once per process and folder.</summary>
    public static ImportanceGate Open(ImportanceGateConfig config)
    {
        var dir = Path.IsPathRooted(config.Estimator) ? config.Estimator : Path.Combine(RepoPaths.Root, config.Estimator);
        return new ImportanceGate(config, Loaded.GetOrAdd(Path.GetFullPath(dir), ImportanceModelFile.Load));
    }

    /// <summary>(K, L) row-major gate factors for the sampled frames of a clip, over the channels of <paramref name="selection"/>.</summary>
    public float[] Factors(SignClip clip, IReadOnlyList<int> frameIndices, KeypointSelection selection)
    {
        float[,] importance;
        lock (_lock) importance = ImportanceTrainer.Predict(_model, clip);   // one module, possibly two loader threads
        var part = ArticulatorParts.PartOfChannels(selection);
        float floor = (float)Config.Floor;
        var g = new float[part.Length * frameIndices.Count];
        for (int k = 0; k < part.Length; k++)
            for (int l = 0; l < frameIndices.Count; l++)
                g[k * frameIndices.Count + l] = floor + (1 - floor) * importance[frameIndices[l], part[k]];
        return g;
    }

    /// <summary>Gated heatmaps (K, L, s, s); the input is disposed.</summary>
    public Tensor Apply(Tensor heatmaps, SignClip clip, IReadOnlyList<int> frameIndices, KeypointSelection selection)
    {
        using var scope = NewDisposeScope();
        int k = (int)heatmaps.shape[0], l = (int)heatmaps.shape[1];
        if (k != selection.Count || l != frameIndices.Count)
            throw new InvalidOperationException($"heatmaps {string.Join('×', heatmaps.shape)} do not match {selection.Count} channels × {frameIndices.Count} frames");
        // (K·L) -> (K, L, 1, 1): one factor per channel and frame, broadcast over the map.
        var g = tensor(Factors(clip, frameIndices, selection), [k, l, 1, 1]);
        var one = KeptScalars.F(1);
        var gated = heatmaps.add(one).mul(g).sub(one);
        heatmaps.Dispose();
        return gated.MoveToOuterDisposeScope();
    }
}
