using static TorchSharp.torch;

namespace SignNotebooks.Data;

/// <summary>
/// A padded batch, as the networks read it (spec §1.2, §1.3, §6, §7.3). Clips shorter than the longest one are
/// padded by repeating their last frame (and last keypoint set); <see cref="Lengths"/> holds the valid lengths.
/// The consumer owns the tensors: dispose the batch after the step.
/// </summary>
public sealed class SignBatch : IDisposable
{
    public required string[] Names { get; init; }
    /// <summary>The gloss sequences, as the corpus spells them.</summary>
    public required string[][] Glosses { get; init; }
    /// <summary>(B, 3, T, S, S) BGR in [−1, 1], or null when RGB was not requested.</summary>
    public Tensor? Video { get; init; }
    /// <summary>(B, K, T, s, s) in [−1, 1], or null when heatmaps were not requested.</summary>
    public Tensor? Heatmaps { get; init; }
    /// <summary>(B, T, K, 3) selected keypoints in raw-frame pixels, padded the same way.</summary>
    public required Tensor Keypoints { get; init; }
    /// <summary>Valid lengths per clip (sgn_lengths), each a multiple of 4.</summary>
    public required int[] Lengths { get; init; }
    /// <summary>(B) int64 copy of <see cref="Lengths"/>.</summary>
    public required Tensor LengthsTensor { get; init; }
    /// <summary>(B, Lmax) int64 gloss ids, padded with the vocabulary's pad id.</summary>
    public required Tensor Targets { get; init; }
    /// <summary>(B) int64 target lengths (gls_lengths).</summary>
    public required Tensor TargetLengths { get; init; }
    /// <summary>Frame indices each clip used (spec §7.3), before padding.</summary>
    public required int[][] FrameIndices { get; init; }
    /// <summary>Per-frame gloss targets, when the corpus annotates gloss boundaries (SynthSign); null otherwise.</summary>
    public FrameTargets? FrameTargets { get; init; }

    public int Size => Names.Length;
    /// <summary>Padded length T.</summary>
    public int MaxLength => Lengths.Max();

    public void Dispose()
    {
        Video?.Dispose(); Heatmaps?.Dispose(); Keypoints.Dispose();
        LengthsTensor.Dispose(); Targets.Dispose(); TargetLengths.Dispose();
    }
}
