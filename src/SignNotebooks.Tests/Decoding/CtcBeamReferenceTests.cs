using System.Globalization;
using System.Text;
using SignNotebooks.Decoding;
using SignNotebooks.Tests.Corpora;

namespace SignNotebooks.Tests.Decoding;

/// <summary>
/// The beam search at the widths the workbook uses (1–10), against an independent prefix beam search written in
/// Python from the published algorithm (Hannun et al. 2014, "First-Pass Large Vocabulary Continuous Speech
/// Recognition using Bi-Directional Recurrent DNNs", Algorithm 1, in log space): a dictionary from labelling to
/// (log p_blank, log p_nonblank), every frame's next dictionary pruned to the top k by total. It shares no code and
/// no data structure with ours (a trie with an in-beam set). The brute-force test in CtcDecoderTests checks exactness
/// without pruning; this one checks that pruning keeps the same prefixes with the same scores.
/// </summary>
public class CtcBeamReferenceTests
{
    private const string Reference = """
import sys, json, math

def logadd(a, b):
    if a == -math.inf: return b
    if b == -math.inf: return a
    m = max(a, b)
    return m + math.log(math.exp(a - m) + math.exp(b - m))

def prefix_beam_search(lp, k, blank):
    # lp: T rows of V log-probabilities. Algorithm 1 of Hannun et al. (2014) with the language model left out.
    beam = {(): (0.0, -math.inf)}
    for row in lp:
        nxt = {}
        def add(l, b, nb):
            ob, onb = nxt.get(l, (-math.inf, -math.inf))
            nxt[l] = (logadd(ob, b), logadd(onb, nb))
        for l, (pb, pnb) in beam.items():
            total = logadd(pb, pnb)
            add(l, total + row[blank], -math.inf)
            for c, p in enumerate(row):
                if c == blank: continue
                if l and c == l[-1]:
                    add(l + (c,), -math.inf, pb + p)   # a repeat needs a blank in between
                    add(l, -math.inf, pnb + p)         # or it stays the same gloss
                else:
                    add(l + (c,), -math.inf, total + p)
        # A labelling no alignment reaches (probability 0) is not a hypothesis.
        live = [kv for kv in nxt.items() if logadd(*kv[1]) > -math.inf]
        ranked = sorted(live, key=lambda kv: logadd(*kv[1]), reverse=True)
        beam = dict(ranked[:k])
    return sorted(((list(l), logadd(*s)) for l, s in beam.items()), key=lambda x: x[1], reverse=True)

out = []
for line in open(sys.argv[1]):
    p = json.loads(line)
    out.append(prefix_beam_search(p["lp"], p["k"], p["blank"]))
json.dump(out, sys.stdout)
""";

    [NumpyFact]
    public void Pruned_beams_equal_an_independent_prefix_beam_search()
    {
        var rng = new Random(2022);
        var problems = new List<(float[] lp, int V, int T, int k, int blank)>();
        for (int i = 0; i < 400; i++)
        {
            int V = rng.Next(2, 9), T = rng.Next(1, 31), k = new[] { 1, 2, 3, 5, 5, 5, 10 }[rng.Next(7)], blank = rng.Next(V);
            // Peaked rows (temperatures up to 6) make pruning decide; flat ones make many prefixes compete.
            double temp = 0.5 + 5.5 * rng.NextDouble();
            var lp = new float[T * V];
            for (int t = 0; t < T; t++)
            {
                var z = Enumerable.Range(0, V).Select(_ => temp * NextGaussian(rng)).ToArray();
                double m = z.Max(), lse = m + Math.Log(z.Sum(v => Math.Exp(v - m)));
                for (int v = 0; v < V; v++) lp[t * V + v] = (float)(z[v] - lse);
            }
            problems.Add((lp, V, T, k, blank));
        }
        var file = Path.Combine(Path.GetTempPath(), $"signnb-beam-{Guid.NewGuid():N}.jsonl");
        try
        {
            var sb = new StringBuilder();
            foreach (var (lp, V, T, k, blank) in problems)
            {
                // float → double exactly, so both sides read the same numbers.
                var rows = Enumerable.Range(0, T).Select(t => "[" + string.Join(",", Enumerable.Range(0, V)
                    .Select(v => ((double)lp[t * V + v]).ToString("R", CultureInfo.InvariantCulture))) + "]");
                sb.Append($"{{\"k\":{k},\"blank\":{blank},\"lp\":[{string.Join(",", rows)}]}}\n");
            }
            File.WriteAllText(file, sb.ToString());
            using var doc = System.Text.Json.JsonDocument.Parse(DebianPython.RunScript(Reference, file));
            var expected = doc.RootElement.EnumerateArray().ToList();
            Assert.Equal(problems.Count, expected.Count);
            int compared = 0;
            for (int i = 0; i < problems.Count; i++)
            {
                var (lp, V, T, k, blank) = problems[i];
                var ours = CtcPrefixBeamSearch.Decode(lp, V, T, beamWidth: k, blank: blank, nBest: k);
                var theirs = expected[i].EnumerateArray().Select(e => (labels: e[0].EnumerateArray().Select(x => x.GetInt32()).ToArray(),
                    score: e[1].GetDouble())).ToList();
                string where = $"problem {i} (T={T}, V={V}, beam {k}, blank {blank})";
                Assert.True(ours.Length == theirs.Count, $"{where}: {ours.Length} hypotheses, reference {theirs.Count}");
                for (int r = 0; r < ours.Length; r++)
                {
                    // Equal scores may rank either way; a rank is compared only where the reference's scores differ.
                    bool tie = (r > 0 && Math.Abs(theirs[r].score - theirs[r - 1].score) < 1e-9)
                        || (r + 1 < theirs.Count && Math.Abs(theirs[r].score - theirs[r + 1].score) < 1e-9);
                    Assert.True(Math.Abs(ours[r].LogProb - theirs[r].score) < 1e-9 * Math.Max(1, Math.Abs(theirs[r].score)),
                        $"{where}, rank {r}: score {ours[r].LogProb:R}, reference {theirs[r].score:R}");
                    if (!tie)
                    {
                        Assert.True(ours[r].Glosses.SequenceEqual(theirs[r].labels),
                            $"{where}, rank {r}: [{string.Join(' ', ours[r].Glosses)}], reference [{string.Join(' ', theirs[r].labels)}]");
                        compared++;
                    }
                }
            }
            Assert.True(compared > 1000, $"only {compared} ranks were free of ties");
        }
        finally { File.Delete(file); }
    }

    private static double NextGaussian(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
