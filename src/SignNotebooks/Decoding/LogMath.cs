namespace SignNotebooks.Decoding;

/// <summary>Log-domain helpers shared by the decoders.</summary>
internal static class LogMath
{
    public static double Add(double a, double b)
    {
        if (double.IsNegativeInfinity(a)) return b;
        if (double.IsNegativeInfinity(b)) return a;
        return a > b ? a + double.LogP1(Math.Exp(b - a)) : b + double.LogP1(Math.Exp(a - b));
    }

    /// <summary>Log-softmax of every frame of a (T, V) block, in place, in double precision.</summary>
    public static void LogSoftmaxRows(float[] data, int frames, int vocab)
    {
        for (int t = 0; t < frames; t++)
        {
            int o = t * vocab;
            double max = double.NegativeInfinity;
            for (int v = 0; v < vocab; v++) max = Math.Max(max, data[o + v]);
            double sum = 0;
            for (int v = 0; v < vocab; v++) sum += Math.Exp(data[o + v] - max);
            double lse = max + Math.Log(sum);
            for (int v = 0; v < vocab; v++) data[o + v] = (float)(data[o + v] - lse);
        }
    }

    public static void CheckShape(ReadOnlySpan<float> logProbs, int vocab, int length, int blank)
    {
        if (vocab <= 0) throw new ArgumentOutOfRangeException(nameof(vocab), "vocabulary size must be positive");
        if (blank < 0 || blank >= vocab) throw new ArgumentOutOfRangeException(nameof(blank), $"blank id {blank} is outside the vocabulary 0..{vocab - 1}");
        if (length < 0 || (long)length * vocab > logProbs.Length)
            throw new ArgumentOutOfRangeException(nameof(length), $"valid length {length} needs {(long)length * vocab} values; the (T, V) block has {logProbs.Length}");
    }
}
