using SignNotebooks.Evaluation;
using SignNotebooks.Util;

namespace SignNotebooks.Tests.Evaluation;

/// <summary>BLEU and ROUGE-L on cases worked out by hand (the arithmetic is in the comments).</summary>
public class TranslationMetricsTests
{
    [Fact]
    public void Bleu_of_one_sentence_by_hand()
    {
        // hyp "the cat sat on the mat" vs ref "the cat is on the mat":
        // p1 = 5/6, p2 = 3/5 (the cat, on the, the mat), p3 = 1/4 (on the mat), p4 = 0/3, BP = 1 (6 = 6).
        var b = Bleu.Corpus(["the cat sat on the mat"], ["the cat is on the mat"]);
        Assert.Equal([5L, 3, 1, 0], b.Correct);
        Assert.Equal([6L, 5, 4, 3], b.Total);
        Assert.Equal(100.0 * 5 / 6, b.Bleu1, 9);
        Assert.Equal(Math.Sqrt(100.0 * 5 / 6 * 60), b.Bleu2, 9);    // √5000 = 70.71
        Assert.Equal(50.0, b.Bleu3, 9);                              // ∛(83.3·60·25) = ∛125000
        Assert.Equal(0.0, b.Bleu4);                                  // floor smoothing 0: one zero precision zeroes the score
    }

    [Fact]
    public void Bleu_brevity_penalty_and_orders_without_ngrams()
    {
        // hyp "the cat" vs 6-word ref: p1 = p2 = 100, no 3-grams at all, BP = exp(1 − 6/2) = e^−2.
        var b = Bleu.Corpus(["the cat"], ["the cat sat on the mat"]);
        Assert.Equal(Math.Exp(-2), b.BrevityPenalty, 12);
        Assert.Equal(100 * Math.Exp(-2), b.Bleu1, 9);               // 13.53
        Assert.Equal(100 * Math.Exp(-2), b.Bleu2, 9);
        Assert.Equal(0.0, b.Bleu3);                                  // BLEU-n always averages n precisions (vendored sacrebleu)
        Assert.Equal(0.0, b.Bleu4);
    }

    [Fact]
    public void Bleu_is_corpus_level_not_a_sentence_mean()
    {
        // "a b"/"a b" and "c"/"d": p1 = 2/3, p2 = 1/1 → BLEU-2 = √(66.7·100) = 81.65 (the sentence-level mean would be 50).
        var b = Bleu.Corpus(["a b", "c"], ["a b", "d"]);
        Assert.Equal(200.0 / 3, b.Bleu1, 9);
        Assert.Equal(Math.Sqrt(200.0 / 3 * 100), b.Bleu2, 9);
    }

    [Fact]
    public void Bleu_clips_repeated_words()
    {
        // hyp "the the the" vs ref "the cat": "the" counts at most once → p1 = 1/3, BP = 1 (3 > 2).
        var b = Bleu.Corpus(["the the the"], ["the cat"]);
        Assert.Equal(100.0 / 3, b.Bleu1, 9);
    }

    [Fact]
    public void Bleu_at_character_level()
    {
        // 我们好 vs 我们的: p1 = 2/3, p2 = 1/2 (我们), p3 = 0/1.
        var b = Bleu.Corpus(["我们好"], ["我们的"], TextLevel.Char);
        Assert.Equal(200.0 / 3, b.Bleu1, 9);
        Assert.Equal(Math.Sqrt(200.0 / 3 * 50), b.Bleu2, 9);
        Assert.Equal(0.0, b.Bleu3);
        // Word level sees one token each, which differ.
        Assert.Equal(0.0, Bleu.Corpus(["我们好"], ["我们的"]).Bleu1);
    }

    [Fact]
    public void Rouge_L_by_hand()
    {
        // Same lengths, LCS 5 of 6: R = P = 5/6, β = 1, F = 5/6.
        Assert.Equal(5.0 / 6, Rouge.SentenceF("the cat sat on the mat", "the cat is on the mat"), 9);
        // hyp "a b", ref "a b c d": LCS 2, R = 1/2, P = 1, β = 2, F = 5·½·1 / (½ + 4) = 5/9.
        Assert.Equal(5.0 / 9, Rouge.SentenceF("a b", "a b c d"), 9);
        // Corpus value: mean of sentence F-scores, times 100.
        Assert.Equal(100 * (5.0 / 6 + 5.0 / 9) / 2, Rouge.RougeL(["the cat sat on the mat", "a b"], ["the cat is on the mat", "a b c d"]), 9);
    }

    [Fact]
    public void Rouge_L_keeps_the_python_split_quirks()
    {
        Assert.Equal(0.0, Rouge.SentenceF("", "a b"));
        // "a  b".split(" ") = ['a', '', 'b']: n = 3, LCS 2, R = 1, P = 2/3, β = 2/3, F = 26/35.
        Assert.Equal(26.0 / 35, Rouge.SentenceF("a  b", "a b"), 9);
        // Char level: 我们好 vs 我们的 → LCS 2 of 3 each, F = 2/3.
        Assert.Equal(2.0 / 3, Rouge.SentenceF("我们好", "我们的", TextLevel.Char), 9);
    }

    [Fact]
    public void Refuses_empty_or_mismatched_corpora()
    {
        Assert.Throws<UserFacingException>(() => Bleu.Corpus([], []));
        Assert.Contains("2 hypotheses but 1 references", Assert.Throws<UserFacingException>(() => Bleu.Corpus(["a", "b"], ["a"])).Message);
        Assert.Throws<UserFacingException>(() => Rouge.RougeL(["a"], []));
    }
}
