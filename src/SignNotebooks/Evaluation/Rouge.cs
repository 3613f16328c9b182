namespace SignNotebooks.Evaluation;

/// <summary>
/// ROUGE-L as SLRT reports it (spec §8.4): tf_seq2seq's sentence-level LCS F-score, averaged over sentences,
/// times 100. With R = LCS/|ref| and P = LCS/|hyp|: β = P/(R + 1e-12), F = (1+β²)RP / (R + β²P + 1e-12).
/// Words come from Python's <c>s.split(" ")</c>: a double space yields an empty token and an empty sentence
/// counts as one empty token (kept, as in SLRT).
/// </summary>
public static class Rouge
{
    public static double RougeL(IReadOnlyList<string> hypotheses, IReadOnlyList<string> references, TextLevel level = TextLevel.Word)
    {
        MetricInput.Check(hypotheses, references, "ROUGE-L");
        double sum = 0;
        for (int s = 0; s < hypotheses.Count; s++) sum += SentenceF(hypotheses[s], references[s], level);
        return 100.0 * sum / hypotheses.Count;
    }

    /// <summary>Sentence-level LCS F-score in [0, 1].</summary>
    public static double SentenceF(string hypothesis, string reference, TextLevel level = TextLevel.Word)
    {
        var h = Split(hypothesis, level);
        var r = Split(reference, level);
        int lcs = Lcs(h, r);
        double rl = (double)lcs / r.Length, pl = (double)lcs / h.Length;
        double beta = pl / (rl + 1e-12);
        return (1 + beta * beta) * rl * pl / (rl + beta * beta * pl + 1e-12);
    }

    private static string[] Split(string s, TextLevel level) => (level == TextLevel.Char ? MetricInput.Chars(s) : s).Split(' ');

    private static int Lcs(string[] a, string[] b)
    {
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
                cur[j] = a[i - 1] == b[j - 1] ? prev[j - 1] + 1 : Math.Max(prev[j], cur[j - 1]);
            (prev, cur) = (cur, prev);
        }
        return prev[b.Length];
    }
}
