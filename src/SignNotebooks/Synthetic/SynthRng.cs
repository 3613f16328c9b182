namespace SignNotebooks.Synthetic;

/// <summary>
/// SplitMix64: a tiny, fast, seedable generator whose whole state is one ulong. Every clip owns its own
/// instances derived from (seed, split, index, stream), so a clip never depends on which thread made it or on
/// what was generated before it: that is what makes SynthSign bit-identical across runs and thread counts.
/// </summary>
public struct SynthRng
{
    private ulong _state;

    public SynthRng(ulong seed) { _state = seed; }

    /// <summary>A generator for one purpose of one clip: mixing the parts keeps nearby ids uncorrelated.</summary>
    public static SynthRng For(ulong seed, params ulong[] parts)
    {
        ulong h = Mix(seed ^ 0x9E3779B97F4A7C15UL);
        foreach (var p in parts) h = Mix(h ^ Mix(p + 0x632BE59BD9B4E019UL));
        return new SynthRng(h);
    }

    /// <summary>Stable 64-bit hash of a string (FNV-1a), for folding names such as split names into seeds.</summary>
    public static ulong Hash(string s)
    {
        ulong h = 14695981039346656037UL;
        foreach (char c in s) { h ^= c; h *= 1099511628211UL; }
        return h;
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public ulong NextULong()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    /// <summary>Uniform in [0, 1) with 53 bits.</summary>
    public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));

    public double Uniform(double lo, double hi) => lo + (hi - lo) * NextDouble();

    /// <summary>Uniform integer in [lo, hi] inclusive.</summary>
    public int Int(int lo, int hi) => lo + (int)(NextULong() % (ulong)(hi - lo + 1));

    public bool Chance(double p) => NextDouble() < p;

    /// <summary>Standard normal by Box–Muller (one value per call; simple beats fast here).</summary>
    public double Gaussian()
    {
        double u1 = 1.0 - NextDouble(), u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Index drawn with the given non-negative weights.</summary>
    public int Weighted(IReadOnlyList<double> weights)
    {
        double total = 0;
        foreach (var w in weights) total += w;
        double r = NextDouble() * total;
        for (int i = 0; i < weights.Count; i++) { r -= weights[i]; if (r < 0) return i; }
        return weights.Count - 1;
    }

    public T Pick<T>(IReadOnlyList<T> items) => items[Int(0, items.Count - 1)];
}
