namespace SignNotebooks.Data;

/// <summary>
/// Which frames of a T-frame clip go into the network (spec §7.3). The same indices select frames and keypoints.
/// </summary>
public static class TemporalSampling
{
    /// <summary>
    /// Train: L uniform over the integers [⌊tmin·T⌋, min(cap, ⌊tmax·T⌋)], rounded up to a multiple of 4. If L ≤ T,
    /// L distinct random frames (a random subset, not a stride), sorted; else all T frames plus L − T random
    /// duplicates, sorted (speed augmentation by random dropping / repetition).
    /// </summary>
    public static int[] Train(int frameCount, Random rng, InputConfig? config = null)
    {
        config ??= InputConfig.Paper;
        int len = TrainLength(frameCount, rng, config);
        int[] picked;
        if (len <= frameCount)
        {
            // Partial Fisher–Yates: the first len entries are a uniform random subset.
            var all = Enumerable.Range(0, frameCount).ToArray();
            for (int i = 0; i < len; i++)
            {
                int j = rng.Next(i, frameCount);
                (all[i], all[j]) = (all[j], all[i]);
            }
            picked = all[..len];
        }
        else
        {
            picked = new int[len];
            for (int i = 0; i < frameCount; i++) picked[i] = i;
            for (int i = frameCount; i < len; i++) picked[i] = rng.Next(frameCount);
        }
        Array.Sort(picked);
        return picked;
    }

    /// <summary>
    /// The length L that <see cref="Train"/> samples: its first draw from <paramref name="rng"/>. A generator seeded
    /// the same way therefore tells a batcher the exact length of a clip before the clip is built (length buckets).
    /// </summary>
    public static int TrainLength(int frameCount, Random rng, InputConfig? config = null)
    {
        config ??= InputConfig.Paper;
        CheckCount(frameCount);
        int min = (int)Math.Floor(config.TMin * frameCount);
        int max = Math.Min(config.MaxFrames, (int)Math.Floor(config.TMax * frameCount));
        // Deviation: for T > 800 the range is empty (⌊0.5T⌋ > 400) and SLRT would raise; keep the cap instead.
        if (min > max) min = max;
        int len = rng.Next(min, max + 1);
        int m = config.LengthMultiple;
        if (len % m != 0) len += m - len % m;
        // Deviation: SLRT can draw L = 0 for a 1-frame clip; an empty input cannot reach the network.
        if (len == 0) len = m;
        return len;
    }

    /// <summary>
    /// Eval: every frame, or the centred <c>cap</c> frames when T exceeds it, then truncated down to a multiple
    /// of 4 (the tail frames are dropped).
    /// </summary>
    public static int[] Eval(int frameCount, InputConfig? config = null)
    {
        config ??= InputConfig.Paper;
        CheckCount(frameCount);
        int start = 0, len = frameCount;
        if (frameCount > config.MaxFrames)
        {
            start = (frameCount - config.MaxFrames) / 2;
            len = config.MaxFrames;
        }
        int m = config.LengthMultiple;
        int kept = len - len % m;
        // Deviation: SLRT would produce an empty input for T < 4; repeat the last frame up to 4 instead.
        if (kept == 0) return Enumerable.Range(0, m).Select(i => start + Math.Min(i, len - 1)).ToArray();
        return Enumerable.Range(start, kept).ToArray();
    }

    private static void CheckCount(int frameCount)
    {
        if (frameCount <= 0) throw new ArgumentOutOfRangeException(nameof(frameCount), frameCount, "a clip needs at least one frame");
    }
}
