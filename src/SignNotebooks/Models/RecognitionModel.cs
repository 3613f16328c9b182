using TorchSharp;
using static TorchSharp.torch;

namespace SignNotebooks.Models;

/// <summary>
/// Base of every recognition network. The module tree mirrors the official `recognition_network` module, so
/// state-dict keys equal spec §12 **without** the `recognition_network.` prefix; the checkpoint loader and exporter
/// (SignNotebooks.Checkpoints) strip and add that prefix.
/// </summary>
public abstract class RecognitionModel : nn.Module
{
    protected RecognitionModel(string name, ModelConfig config) : base(name) { Config = config; }

    /// <summary>The resolved config the model was built from.</summary>
    public ModelConfig Config { get; }

    /// <summary>
    /// Runs the network. Inputs whose stream the model lacks must be null.
    /// </summary>
    /// <param name="rgb">(B, 3, T, H, W) BGR in [−1, 1] (spec §1.3), T a multiple of 4; null for keypoint-only.</param>
    /// <param name="heatmaps">(B, K, T, H/2, W/2) in [−1, 1] (spec §1.2); null for video-only.</param>
    /// <param name="lengths">(B) int64 valid input frames per clip.</param>
    public abstract RecognitionOutputs Forward(Tensor? rgb, Tensor? heatmaps, Tensor lengths);

    /// <summary>spec §1.1: spatial mean, (B, C, T', H', W') -> (B, T', C).</summary>
    protected static Tensor Pool(Tensor c4) => c4.mean(new long[] { 3, 4 }).transpose(1, 2);

    protected static void CheckInput(Tensor? x, string name, bool needed, int channels)
    {
        if (needed && x is null) throw new ArgumentException($"this model needs {name} input; it was null.");
        if (!needed && x is not null) throw new ArgumentException($"this model has no {name} stream; pass null for {name}.");
        if (x is not null && (x.dim() != 5 || x.shape[1] != channels))
            throw new ArgumentException($"{name} must be (B, {channels}, T, H, W); got ({string.Join(", ", x.shape)}).");
        if (x is not null && x.shape[2] % 4 != 0)
            throw new ArgumentException($"{name} has T = {x.shape[2]} frames; the network needs a multiple of 4 (spec §7.3).");
    }
}
