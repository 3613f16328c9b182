using static TorchSharp.torch;

namespace SignNotebooks.Data;

/// <summary>
/// Per-frame class targets of a batch, from a corpus that annotates gloss boundaries (SynthSign; no real corpus does):
/// for every sampled input frame, the vocabulary id of the gloss it shows, or the blank id for rest and transitions.
/// A head at stride s (T/4 main heads: s = 4) reads one target per output step: the majority of its s input frames.
/// Used by the stage-0 pretraining (<see cref="Training.TrainingStage.PretrainVideo"/>), not by the paper's stages.
/// </summary>
public sealed class FrameTargets
{
    /// <summary>Ignore index of the padded steps (PyTorch's cross-entropy default).</summary>
    public const long Ignore = -100;

    private readonly int[][] _frames;

    /// <param name="frames">Per clip, one id per sampled (valid) frame.</param>
    public FrameTargets(int[][] frames) => _frames = frames;

    /// <summary>The padded input length T of the batch (its longest clip).</summary>
    public int MaxLength => _frames.Max(f => f.Length);

    /// <summary>Per clip, the id of every sampled frame.</summary>
    public IReadOnlyList<int[]> Frames => _frames;

    /// <summary>
    /// The targets of one clip: <paramref name="frameGlossIndex"/>[i] is the index into <paramref name="glossIds"/> of
    /// raw frame i (−1 for rest), <paramref name="indices"/> the sampled raw frames (spec §7.3: the same indices
    /// select frames, keypoints and therefore labels).
    /// </summary>
    public static int[] ForClip(int[] frameGlossIndex, int[] glossIds, int[] indices, int blankId)
    {
        var ids = new int[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            int g = frameGlossIndex[indices[i]];
            ids[i] = g < 0 ? blankId : glossIds[g];
        }
        return ids;
    }

    /// <summary>
    /// (B, <paramref name="steps"/>) int64 targets at a head's rate: step t reads input frames [s·t, s·t + s) with
    /// s = <paramref name="stride"/>, and takes the id most of them show (ties: the one nearest the window's centre,
    /// which is where the backbone's symmetric temporal kernels centre step t). Steps past a clip's valid frames are
    /// <see cref="Ignore"/>.
    /// </summary>
    public Tensor At(int stride, long steps)
    {
        if (stride < 1) throw new ArgumentOutOfRangeException(nameof(stride), stride, "a head's stride is at least 1 frame per step");
        var flat = new long[_frames.Length * steps];
        Array.Fill(flat, Ignore);
        var counts = new Dictionary<int, int>();
        for (int b = 0; b < _frames.Length; b++)
        {
            var f = _frames[b];
            long valid = Math.Min(steps, f.Length / stride);
            for (long t = 0; t < valid; t++)
            {
                counts.Clear();
                int start = (int)(t * stride);
                for (int i = start; i < start + stride; i++) counts[f[i]] = counts.GetValueOrDefault(f[i]) + 1;
                int best = f[start + stride / 2], bestCount = counts[best];
                foreach (var (id, n) in counts) if (n > bestCount) (best, bestCount) = (id, n);
                flat[b * steps + t] = best;
            }
        }
        return tensor(flat, [_frames.Length, steps]);
    }
}
