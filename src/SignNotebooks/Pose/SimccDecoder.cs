namespace SignNotebooks.Pose;

/// <summary>
/// SimCC decoding as mmpose's <c>get_simcc_maximum</c>: the argmax of each axis vector divided by the split ratio
/// gives the input-pixel location; the score is the smaller of the two maxima.
/// </summary>
public static class SimccDecoder
{
    /// <summary>Decodes x vectors (K, Wx) and y vectors (K, Hy) into K × (x, y, score) in input pixels.</summary>
    public static float[] Decode(ReadOnlySpan<float> simccX, ReadOnlySpan<float> simccY, int k, int wx, int hy, double splitRatio)
    {
        if (simccX.Length != k * wx || simccY.Length != k * hy)
            throw new ArgumentException($"SimCC vectors of {simccX.Length} and {simccY.Length} values do not make ({k}, {wx}) and ({k}, {hy})");
        var result = new float[k * 3];
        for (int c = 0; c < k; c++)
        {
            var (ix, vx) = ArgMax(simccX.Slice(c * wx, wx));
            var (iy, vy) = ArgMax(simccY.Slice(c * hy, hy));
            result[c * 3] = (float)(ix / splitRatio);
            result[c * 3 + 1] = (float)(iy / splitRatio);
            result[c * 3 + 2] = Math.Min(vx, vy);
        }
        return result;
    }

    private static (int Index, float Value) ArgMax(ReadOnlySpan<float> v)
    {
        int best = 0;
        for (int i = 1; i < v.Length; i++) if (v[i] > v[best]) best = i;
        return (best, v[best]);
    }
}
