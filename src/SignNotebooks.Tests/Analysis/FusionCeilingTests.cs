using SignNotebooks.Analysis;
using SignNotebooks.Evaluation;
using SignNotebooks.Synthetic;
using SignNotebooks.Util;

namespace SignNotebooks.Tests.Analysis;

/// <summary>
/// The fusion ceiling counts, per reference word, whether either stream's hypothesis got it, through the same
/// alignment as WER; hand-built hypotheses whose right and wrong words are known pin every number.
/// </summary>
public sealed class FusionCeilingTests
{
    private static List<ScoringPair> Pairs(params (string Id, string Ref, string Hyp)[] p) => p.Select(x => new ScoringPair(x.Id, x.Ref, x.Hyp)).ToList();

    [Fact]
    public void Words_missed_by_both_streams_are_the_word_oracle_and_each_sentence_keeps_its_better_stream()
    {
        // s1: A misses B (substitution), B misses C (deletion): every word is got by one stream, none by both.
        // s2: both miss TWO; A also inserts a word. Per utterance: A has 2 errors, B 1.
        var a = Pairs(("s1", "A B C", "A X C"), ("s2", "ONE TWO THREE", "ONE FIVE THREE MAYBE"));
        var b = Pairs(("s1", "A B C", "A B"), ("s2", "ONE TWO THREE", "ONE ONE THREE"));
        var row = FusionCeiling.Compute("dev", a, b);
        Assert.Equal(6, row.Words);
        Assert.Equal(100.0 * 3 / 6, row.WerA, 9);        // 1 + 2
        Assert.Equal(100.0 * 2 / 6, row.WerB, 9);        // 1 + 1
        Assert.Equal(100.0 * (1 + 1) / 6, row.UtteranceOracleWer, 9);
        Assert.Equal(1, row.MissedByBoth);
        Assert.Equal(100.0 / 6, row.WordOracleWer, 9);
        Assert.Equal(1, row.MissedByBothByKind[FusionCeiling.Other]);
    }

    [Fact]
    public void Identical_perfect_streams_leave_nothing_and_a_word_right_in_one_stream_is_not_missed()
    {
        var perfect = Pairs(("s1", "RAIN TODAY", "RAIN TODAY"));
        var row = FusionCeiling.Compute("test", perfect, perfect);
        Assert.Equal(0, row.MissedByBoth);
        Assert.Equal(0, row.UtteranceOracleWer);
        var wrong = Pairs(("s1", "RAIN TODAY", "SUN SNOW"));
        Assert.Equal(0, FusionCeiling.Compute("test", wrong, perfect).MissedByBoth);
        Assert.Equal(2, FusionCeiling.Compute("test", wrong, wrong).MissedByBoth);
    }

    [Fact]
    public void SynthSign_gloss_kinds_name_the_handshape_and_face_minimal_pairs()
    {
        var kind = FusionCeiling.MinimalPairKinds(Lexicon.Default);
        Assert.Equal(FusionCeiling.HandshapePair, kind("THREE"));
        Assert.Equal(FusionCeiling.FacePair, kind("MAYBE"));
        Assert.Equal(FusionCeiling.FacePair, kind("SURE"));
        Assert.Equal(FusionCeiling.Other, kind("RAIN"));
        var both = Pairs(("s1", "THREE SURE RAIN", "ONE MAYBE SUN"));
        var row = FusionCeiling.Compute("dev", both, both, kind);
        Assert.Equal(1, row.MissedByBothByKind[FusionCeiling.HandshapePair]);
        Assert.Equal(1, row.MissedByBothByKind[FusionCeiling.FacePair]);
        Assert.Equal(1, row.MissedByBothByKind[FusionCeiling.Other]);
        var table = FusionCeiling.Table([row, row with { Split = "test" }], fused: [10.0, 20.0]);
        Assert.Equal(["dev", "test"], table.Rows.Select(r => r[0]));
        Assert.Equal("10.0", table.Rows[0][3]);
        Assert.Equal("33.3", table.Rows[0][^1]);        // a third of the missed words are "other"
    }

    [Fact]
    public void Streams_scored_on_different_sentences_are_refused_with_the_sentence_named()
    {
        var a = Pairs(("s1", "A", "A"), ("s2", "B", "B"));
        var b = Pairs(("s1", "A", "A"), ("s3", "B", "B"));
        var e = Assert.Throws<UserFacingException>(() => FusionCeiling.Compute("dev", a, b));
        Assert.Contains("'s2'", e.Message);
        Assert.Contains("MaxEvalClips", e.Message);
        var c = Pairs(("s1", "A", "A"), ("s2", "C", "C"));
        Assert.Contains("different references", Assert.Throws<UserFacingException>(() => FusionCeiling.Compute("dev", a, c)).Message);
    }
}
