using SignNotebooks.Util;

namespace SignNotebooks.Evaluation;

/// <summary>Unit of BLEU/ROUGE tokens: words (Phoenix-2014T) or characters (CSL-Daily, spec §8.4).</summary>
public enum TextLevel { Word, Char }

/// <summary>Corpus BLEU-1..4 (0–100) with the statistics they came from.</summary>
public sealed record BleuResult(double Bleu1, double Bleu2, double Bleu3, double Bleu4,
    IReadOnlyList<double> Precisions, IReadOnlyList<long> Correct, IReadOnlyList<long> Total, double BrevityPenalty, long HypothesisLength, long ReferenceLength)
{
    public IReadOnlyList<double> Scores => [Bleu1, Bleu2, Bleu3, Bleu4];
}

/// <summary>Shared input checks and the character-level split of spec §8.4.</summary>
internal static class MetricInput
{
    public static void Check(IReadOnlyList<string> hypotheses, IReadOnlyList<string> references, string metric)
    {
        if (references.Count == 0) throw new UserFacingException($"cannot compute {metric}: the reference corpus is empty.");
        if (hypotheses.Count != references.Count)
            throw new UserFacingException($"cannot compute {metric}: {hypotheses.Count} hypotheses but {references.Count} references; every reference needs exactly one hypothesis.");
    }

    /// <summary>SLRT's char level: <c>' '.join(list(s))</c>, so every character (spaces included) becomes a token.</summary>
    public static string Chars(string s) => string.Join(' ', s.EnumerateRunes().Select(r => r.ToString()));
}

/// <summary>
/// BLEU as SLRT reports it (spec §8.4): the vendored sacrebleu 1.4.2 <c>raw_corpus_bleu</c>, i.e. corpus-level
/// clipped n-gram counts, no tokenisation (whitespace split), <c>floor</c> smoothing with value 0, one reference.
/// BLEU-n = BP · exp(mean of log p₁..pₙ) from a single pass, where a zero precision counts as log = −9999999999
/// (so BLEU-n is 0 when no n-gram matches, or when the hypotheses have no n-grams at all: the vendored copy's
/// per-order scores always average exactly n precisions, so <c>use_effective_order</c> changes nothing there).
/// </summary>
public static class Bleu
{
    public const int MaxOrder = 4;

    public static BleuResult Corpus(IReadOnlyList<string> hypotheses, IReadOnlyList<string> references, TextLevel level = TextLevel.Word)
    {
        MetricInput.Check(hypotheses, references, "BLEU");
        var correct = new long[MaxOrder];
        var total = new long[MaxOrder];
        long sysLen = 0, refLen = 0;
        for (int s = 0; s < hypotheses.Count; s++)
        {
            var hyp = Tokens(hypotheses[s], level);
            var refTokens = Tokens(references[s], level);
            sysLen += hyp.Length;
            refLen += refTokens.Length;
            for (int n = 1; n <= MaxOrder; n++)
            {
                var refCounts = NGrams(refTokens, n);
                foreach (var (gram, count) in NGrams(hyp, n))
                {
                    correct[n - 1] += Math.Min(count, refCounts.GetValueOrDefault(gram));
                    total[n - 1] += count;
                }
            }
        }
        var precisions = new double[MaxOrder];
        for (int n = 0; n < MaxOrder; n++)
        {
            if (total[n] == 0) break; // the later precisions stay 0
            // floor smoothing with value 0.0: a zero count stays a zero precision
            precisions[n] = correct[n] == 0 ? 100.0 * 0.0 / total[n] : 100.0 * correct[n] / total[n];
        }
        double bp = sysLen < refLen ? (sysLen > 0 ? Math.Exp(1 - (double)refLen / sysLen) : 0.0) : 1.0;
        var scores = new double[MaxOrder];
        for (int n = 1; n <= MaxOrder; n++)
            scores[n - 1] = bp * Math.Exp(precisions.Take(n).Sum(FlooredLog) / n);
        return new BleuResult(scores[0], scores[1], scores[2], scores[3], precisions, correct, total, bp, sysLen, refLen);
    }

    private static double FlooredLog(double x) => x == 0.0 ? -9999999999.0 : Math.Log(x);

    // sacrebleu with tokenize='none' splits on any whitespace after rstrip.
    private static string[] Tokens(string s, TextLevel level) => WordErrorRate.Tokenize(level == TextLevel.Char ? MetricInput.Chars(s) : s);

    private static Dictionary<string, int> NGrams(string[] tokens, int n)
    {
        var d = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i + n <= tokens.Length; i++)
        {
            var key = string.Join(' ', tokens, i, n);
            d[key] = d.GetValueOrDefault(key) + 1;
        }
        return d;
    }
}
