using SignNotebooks.Evaluation;
using SignNotebooks.Util;

namespace SignNotebooks.Tests.Evaluation;

public class WordErrorRateTests
{
    private static SentenceAlignment A(string r, string h) => WordErrorRate.Align("x", WordErrorRate.Tokenize(r), WordErrorRate.Tokenize(h));

    [Fact]
    public void Substitution_and_insertion_counted_like_sclite()
    {
        var a = A("a b c", "a c c d");
        Assert.Equal((2, 1, 0, 1, 3), (a.C, a.S, a.D, a.I, a.N));
    }

    [Fact]
    public void Equal_cost_alignments_split_like_sclite()
    {
        // Three substitutions (cost 12) tie with two deletions + two insertions (12): sclite reports 3 S.
        var a = A("a b c", "c x y");
        Assert.Equal((0, 3, 0, 0), (a.C, a.S, a.D, a.I));
        // Swapped words: sclite aligns D, C, I (cost 6) rather than two substitutions (8).
        var b = A("a b", "b a");
        Assert.Equal([WerOp.Deletion, WerOp.Correct, WerOp.Insertion], b.Words.Select(w => w.Op));
    }

    [Fact]
    public void Costs_are_4_3_3()
    {
        // One substitution (4) beats a deletion + insertion (6); so "a" vs "b" is S=1, not D=1 I=1.
        var a = A("a", "b");
        Assert.Equal((1, 0, 0), (a.S, a.D, a.I));
        Assert.Equal((0, 2, 0), (A("a b", "").S, A("a b", "").D, A("a b", "").I));
        Assert.Equal(2, A("", "a b").I);
    }

    [Fact]
    public void Corpus_WER_is_summed_not_averaged()
    {
        var r = WordErrorRate.Score([new("s1", "a", "b"), new("s2", "a b c d e f g h i", "a b c d e f g h i")]);
        Assert.Equal(10.0, r.Wer, 9); // a per-sentence mean would give 50%
        Assert.Equal("WER 10.00% (S=1, D=0, I=0, N=10)", r.Summary);
        Assert.Equal(2, r.Sentences.Count);
    }

    [Fact]
    public void Long_sentences_do_not_overflow()
    {
        // SLRT's uint8 matrix wraps past 255 (spec §8.2); 100 substitutions cost 400.
        var r = string.Join(' ', Enumerable.Range(0, 100).Select(i => $"r{i}"));
        var h = string.Join(' ', Enumerable.Range(0, 100).Select(i => $"h{i}"));
        Assert.Equal(100, A(r, h).S);
    }

    [Fact]
    public void Alignment_display_marks_errors()
    {
        var text = A("a b c", "a c c d").Format();
        Assert.Contains("REF:  a b c ***", text);
        Assert.Contains("HYP:  a c c d", text);
        Assert.Contains("Eval:   S   I", text);
    }

    [Fact]
    public void Refuses_empty_corpus_empty_references_and_duplicate_ids()
    {
        Assert.Contains("empty", Assert.Throws<UserFacingException>(() => WordErrorRate.Score([])).Message);
        Assert.Contains("N = 0", Assert.Throws<UserFacingException>(() => WordErrorRate.Score([new("s1", "  ", "a")])).Message);
        Assert.Contains("'s1'", Assert.Throws<UserFacingException>(() => WordErrorRate.Score([new("s1", "a", "a"), new("s1", "b", "b")])).Message);
    }
}
