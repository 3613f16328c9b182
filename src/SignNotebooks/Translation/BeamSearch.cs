using SignNotebooks.Util;
using static TorchSharp.torch;

namespace SignNotebooks.Translation;

/// <summary>Decoding settings (spec §10.5: beam 5, length penalty 1, max length 100 for Phoenix-2014T).</summary>
public sealed record DecodeOptions(int Beam = 5, double LengthPenalty = 1.0, int MaxLength = 100);

/// <summary>One decoded sentence: word ids (no language code, no &lt;/s&gt;) and the length-normalised score.</summary>
public sealed record Hypothesis(int[] Ids, double Score);

/// <summary>
/// Beam search over one sentence, as Hugging Face's generate with <c>num_beams</c>, <c>length_penalty</c> and
/// <c>max_length</c>: each step extends every live beam by every word, keeps the 2k best candidates, moves those that
/// end in &lt;/s&gt; to the finished list with score Σ log p / |y|^α (|y| counts the words and &lt;/s&gt;), and stops when k
/// hypotheses are finished and no live beam can beat the worst of them (or at the maximum length, where live beams
/// are finished as they are). Beam 1 is greedy decoding. The step function may be one network or an ensemble.
/// </summary>
public static class BeamSearch
{
    /// <param name="nextLogProbs">Prefixes (N, L) int64 → log-probabilities (N, V) of the next word.</param>
    /// <param name="startId">The decoder's first token (the target language code).</param>
    /// <param name="forbidden">Ids never generated (&lt;s&gt;, &lt;pad&gt;, language codes).</param>
    public static Hypothesis Search(Func<Tensor, Tensor> nextLogProbs, int startId, int eosId, DecodeOptions options, IReadOnlyCollection<int> forbidden)
    {
        if (options.Beam < 1 || options.MaxLength < 1)
            throw new UserFacingException($"beam {options.Beam} / max length {options.MaxLength}: both must be ≥ 1. Fix: pass --beam ≥ 1.");
        int k = options.Beam;
        var live = new List<(int[] Tokens, double Score)> { ([startId], 0.0) };
        var done = new List<Hypothesis>();
        for (int step = 0; step < options.MaxLength && live.Count > 0; step++)
        {
            float[] lp;
            long v;
            using (var scope = NewDisposeScope())
            {
                var prefixes = tensor(live.SelectMany(b => b.Tokens.Select(t => (long)t)).ToArray()).view(live.Count, live[0].Tokens.Length); // (N·L) -> (N, L)
                var logp = nextLogProbs(prefixes);
                v = logp.shape[1];
                lp = logp.to(ScalarType.Float32).cpu().data<float>().ToArray();
            }
            var candidates = new List<(int Beam, int Word, double Score)>(live.Count * (int)v);
            for (int b = 0; b < live.Count; b++)
                for (int w = 0; w < v; w++)
                    if (!forbidden.Contains(w) && float.IsFinite(lp[b * v + w]))
                        candidates.Add((b, w, live[b].Score + lp[b * v + w]));
            var next = new List<(int[] Tokens, double Score)>();
            bool last = step == options.MaxLength - 1;
            int rank = 0;
            foreach (var c in candidates.OrderByDescending(c => c.Score).Take(2 * k))
            {
                var tokens = live[c.Beam].Tokens.Append(c.Word).ToArray();
                // As Hugging Face: </s> finishes a hypothesis only when it ranks among the k best candidates.
                if (c.Word == eosId) { if (rank < k) done.Add(new Hypothesis(tokens[1..^1], c.Score / Math.Pow(tokens.Length - 1, options.LengthPenalty))); }
                else next.Add((tokens, c.Score));
                rank++;
                if (next.Count == k) break;
            }
            live = next;
            if (last)
                foreach (var (tokens, score) in live) done.Add(new Hypothesis(tokens[1..], score / Math.Pow(tokens.Length - 1, options.LengthPenalty)));
            if (done.Count >= k && live.Count > 0)
            {
                double worst = done.OrderByDescending(h => h.Score).Take(k).Min(h => h.Score);
                double bestLive = live.Max(b => b.Score) / Math.Pow(live[0].Tokens.Length, options.LengthPenalty);
                if (bestLive <= worst) break;
            }
        }
        return done.Count == 0 ? new Hypothesis([], double.NegativeInfinity) : done.OrderByDescending(h => h.Score).First();
    }
}
