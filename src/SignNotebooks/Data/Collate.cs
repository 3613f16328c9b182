using static TorchSharp.torch;

namespace SignNotebooks.Data;

/// <summary>Clips → one padded <see cref="SignBatch"/> (spec §7.3: pad by replicating the last frame).</summary>
public static class Collate
{
    /// <summary>
    /// Stacks the clips' inputs along a new batch dimension. Every clip must carry the same streams.
    /// The clips keep their own tensors (dispose them separately); the batch gets new ones.
    /// </summary>
    /// <param name="frameGlossIndex">Per clip, the corpus's per-frame gloss index (−1 rest), when every clip has one:
    /// the batch then carries <see cref="SignBatch.FrameTargets"/>.</param>
    public static SignBatch Batch(IReadOnlyList<ClipInputs> clips, IReadOnlyList<string[]> glosses, Vocabulary vocabulary,
        IReadOnlyList<int[]?>? frameGlossIndex = null)
    {
        if (clips.Count == 0) throw new ArgumentException("a batch needs at least one clip");
        if (glosses.Count != clips.Count) throw new ArgumentException("one gloss sequence per clip");
        bool rgb = clips[0].Video is not null, heat = clips[0].Heatmaps is not null;
        if (clips.Any(c => (c.Video is not null) != rgb || (c.Heatmaps is not null) != heat))
            throw new ArgumentException("every clip of a batch must carry the same streams");
        int maxLen = clips.Max(c => c.Length);
        var lengths = clips.Select(c => c.Length).ToArray();
        // (C, L, H, W) per clip -> (B, C, T, H, W); time is dim 1 of each clip.
        var video = rgb ? PadStack(clips.Select(c => c.Video!).ToList(), timeDim: 1, maxLen) : null;
        var heatmaps = heat ? PadStack(clips.Select(c => c.Heatmaps!).ToList(), timeDim: 1, maxLen) : null;
        // (L, K, 3) per clip -> (B, T, K, 3).
        var keypoints = PadStack(clips.Select(c => c.Keypoints).ToList(), timeDim: 0, maxLen);

        var ids = glosses.Select(g => vocabulary.Encode(g)).ToList();
        int maxTarget = Math.Max(1, ids.Max(i => i.Length));
        var flat = new long[ids.Count * maxTarget];
        Array.Fill(flat, vocabulary.PadId);
        for (int b = 0; b < ids.Count; b++)
            for (int i = 0; i < ids[b].Length; i++) flat[b * maxTarget + i] = ids[b][i];

        FrameTargets? frameTargets = null;
        if (frameGlossIndex is not null && frameGlossIndex.Count == clips.Count && frameGlossIndex.All(f => f is not null))
            frameTargets = new FrameTargets(clips.Select((c, b) => FrameTargets.ForClip(frameGlossIndex[b]!, ids[b], c.FrameIndices, vocabulary.BlankId)).ToArray());

        return new SignBatch
        {
            Names = clips.Select(c => c.Name).ToArray(),
            Glosses = glosses.Select(g => g.ToArray()).ToArray(),
            Video = video,
            Heatmaps = heatmaps,
            Keypoints = keypoints,
            Lengths = lengths,
            LengthsTensor = tensor(lengths.Select(l => (long)l).ToArray()),
            Targets = tensor(flat, [ids.Count, maxTarget]),
            TargetLengths = tensor(ids.Select(i => (long)i.Length).ToArray()),
            FrameIndices = clips.Select(c => c.FrameIndices).ToArray(),
            FrameTargets = frameTargets,
        };
    }

    /// <summary>Stacks tensors along a new dim 0 after padding <paramref name="timeDim"/> to maxLen with the last slice.</summary>
    private static Tensor PadStack(IReadOnlyList<Tensor> xs, int timeDim, int maxLen)
    {
        // Batch of one (the paper's per-GPU batch): a view, no copy. The view keeps the storage alive after the
        // clip's own handle is disposed.
        if (xs.Count == 1 && xs[0].shape[timeDim] == maxLen) return xs[0].unsqueeze(0);
        var shape = xs[0].shape.ToArray();
        shape[timeDim] = maxLen;
        var output = empty([xs.Count, .. shape], dtype: xs[0].dtype);
        for (int b = 0; b < xs.Count; b++)
        {
            using var scope = NewDisposeScope();
            var x = xs[b];
            long len = x.shape[timeDim];
            var slot = output[b];
            slot.narrow(timeDim, 0, len).copy_(x);
            if (len < maxLen)
                slot.narrow(timeDim, len, maxLen - len).copy_(x.narrow(timeDim, len - 1, 1));   // broadcast the last frame
        }
        return output;
    }
}
