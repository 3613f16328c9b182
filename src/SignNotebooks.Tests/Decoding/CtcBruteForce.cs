namespace SignNotebooks.Tests.Decoding;

/// <summary>Enumerates every CTC path of a tiny problem: the ground truth the decoders are tested against.</summary>
internal static class CtcBruteForce
{
    public static float[] RandomLogProbs(Random rng, int frames, int vocab, double sharpness = 2.0)
    {
        var a = new float[frames * vocab];
        for (int t = 0; t < frames; t++)
        {
            var logits = Enumerable.Range(0, vocab).Select(_ => sharpness * (rng.NextDouble() * 2 - 1)).ToArray();
            double lse = Math.Log(logits.Sum(Math.Exp));
            for (int v = 0; v < vocab; v++) a[t * vocab + v] = (float)(logits[v] - lse);
        }
        return a;
    }

    public static IEnumerable<int[]> Paths(int frames, int vocab)
    {
        var p = new int[frames];
        long count = (long)Math.Pow(vocab, frames);
        for (long k = 0; k < count; k++)
        {
            long r = k;
            for (int t = 0; t < frames; t++) { p[t] = (int)(r % vocab); r /= vocab; }
            yield return p;
        }
    }

    public static int[] Collapse(int[] path, int blank)
    {
        var l = new List<int>();
        for (int t = 0; t < path.Length; t++)
            if (path[t] != blank && (t == 0 || path[t] != path[t - 1])) l.Add(path[t]);
        return l.ToArray();
    }

    public static double PathLogProb(float[] lp, int vocab, int[] path) => path.Select((v, t) => (double)lp[t * vocab + v]).Sum();

    public static string Key(IEnumerable<int> labels) => string.Join(',', labels);

    /// <summary>Total probability of every labelling (log), and the best single path of each labelling.</summary>
    public static (Dictionary<string, double> total, Dictionary<string, double> bestPath, int[] bestOverallPath) Enumerate(float[] lp, int frames, int vocab, int blank)
    {
        var total = new Dictionary<string, double>();
        var best = new Dictionary<string, double>();
        int[] bestPath = [];
        double bestScore = double.NegativeInfinity;
        foreach (var p in Paths(frames, vocab))
        {
            double s = PathLogProb(lp, vocab, p);
            var key = Key(Collapse(p, blank));
            total[key] = total.TryGetValue(key, out var prev) ? prev + Math.Exp(s) : Math.Exp(s);
            if (!best.TryGetValue(key, out var b) || s > b) best[key] = s;
            if (s > bestScore) { bestScore = s; bestPath = (int[])p.Clone(); }
        }
        return (total.ToDictionary(kv => kv.Key, kv => Math.Log(kv.Value)), best, bestPath);
    }
}
