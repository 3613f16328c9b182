using System.Text;
using SignNotebooks.Evaluation;

namespace SignNotebooks.Translation;

/// <summary>One system's translations of a split, scored with BLEU-1..4 and ROUGE-L (spec §8.4, word level).</summary>
public sealed record TranslationEvaluation(string Split, string System, IReadOnlyList<string> Names, IReadOnlyList<string> Hypotheses,
    IReadOnlyList<string> References, BleuResult Bleu, double RougeL)
{
    public static TranslationEvaluation Score(string split, string system, IReadOnlyList<string> names, IReadOnlyList<string> hypotheses, IReadOnlyList<string> references) =>
        new(split, system, names, hypotheses, references, Evaluation.Bleu.Corpus(hypotheses, references), Rouge.RougeL(hypotheses, references));

    /// <summary>A one-line summary: ROUGE-L and BLEU-1..4.</summary>
    public override string ToString() =>
        $"{System,-10} {Split,-10} ROUGE-L {RougeL,6:F2}  BLEU-1 {Bleu.Bleu1,6:F2}  BLEU-2 {Bleu.Bleu2,6:F2}  BLEU-3 {Bleu.Bleu3,6:F2}  BLEU-4 {Bleu.Bleu4,6:F2}";

    /// <summary>Writes <c>&lt;split&gt;.&lt;system&gt;.tsv</c> (name, reference, hypothesis) into a folder.</summary>
    public void Save(string folder)
    {
        Directory.CreateDirectory(folder);
        var sb = new StringBuilder("name\treference\thypothesis\n");
        for (int i = 0; i < Names.Count; i++) sb.Append(Names[i]).Append('\t').Append(References[i]).Append('\t').Append(Hypotheses[i]).Append('\n');
        File.WriteAllText(Path.Combine(folder, $"{Split}.{System}.tsv"), sb.ToString());
    }
}
