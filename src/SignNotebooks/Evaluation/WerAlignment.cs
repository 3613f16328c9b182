using System.Text;

namespace SignNotebooks.Evaluation;

/// <summary>What happened to one aligned position.</summary>
public enum WerOp { Correct, Substitution, Deletion, Insertion }

/// <summary>One aligned position: a reference word, a hypothesis word, or both.</summary>
public readonly record struct AlignedWord(WerOp Op, string? Ref, string? Hyp);

/// <summary>The word alignment of one sentence with its counts (N = number of reference words).</summary>
public sealed record SentenceAlignment(string Id, IReadOnlyList<AlignedWord> Words)
{
    public int C => Words.Count(w => w.Op == WerOp.Correct);
    public int S => Words.Count(w => w.Op == WerOp.Substitution);
    public int D => Words.Count(w => w.Op == WerOp.Deletion);
    public int I => Words.Count(w => w.Op == WerOp.Insertion);
    public int N => C + S + D;
    public int Errors => S + D + I;

    /// <summary>Three aligned lines in sclite's <c>pralign</c> manner: REF, HYP (gaps as <c>***</c>) and the S/D/I marks.</summary>
    public string Format()
    {
        var r = new StringBuilder("REF:  ");
        var h = new StringBuilder("HYP:  ");
        var e = new StringBuilder("Eval: ");
        foreach (var w in Words)
        {
            string rw = w.Ref ?? "***", hw = w.Hyp ?? "***";
            string mark = w.Op switch { WerOp.Substitution => "S", WerOp.Deletion => "D", WerOp.Insertion => "I", _ => "" };
            int width = Math.Max(Math.Max(rw.Length, hw.Length), mark.Length);
            r.Append(rw.PadRight(width + 1));
            h.Append(hw.PadRight(width + 1));
            e.Append(mark.PadRight(width + 1));
        }
        return $"id: {Id}  (C={C}, S={S}, D={D}, I={I}, N={N})\n{r.ToString().TrimEnd()}\n{h.ToString().TrimEnd()}\n{e.ToString().TrimEnd()}";
    }
}

/// <summary>Corpus-level WER: (S + D + I) / N · 100 summed over all sentences (spec §8.2), never a per-sentence mean.</summary>
public sealed record WerResult(int S, int D, int I, int N, int C, IReadOnlyList<SentenceAlignment> Sentences)
{
    /// <summary>WER in percent.</summary>
    public double Wer => 100.0 * (S + D + I) / N;

    /// <summary>The one-line summary the CLI prints last: <c>WER 23.45% (S=…, D=…, I=…, N=…)</c>.</summary>
    public string Summary => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"WER {Wer:F2}% (S={S}, D={D}, I={I}, N={N})");
}
