using SignNotebooks.Evaluation;
using SignNotebooks.Util;

namespace SignNotebooks.Tests.Evaluation;

/// <summary>One example per rule of spec §8.3 (expected values were also checked with Python's <c>re</c> on the same patterns).</summary>
public class GlossCleanupTests
{
    [Theory]
    [InlineData("1 prefixes deleted anywhere", "loc-HIER cl-KOMMEN qu-WAS poss-MEIN lh-DA ABcl-D", "HIER KOMMEN WAS MEIN DA ABD")]
    [InlineData("1 strip", "  REGEN  ", "REGEN")]
    [InlineData("2 S0NNE and HABEN2", "S0NNE HABEN2", "SONNE HABEN")]
    [InlineData("3 markers deleted", "__EMOTION__ REGEN __PU__ __LEFTHAND__ WIND", "REGEN WIND")]
    [InlineData("3 __ON__/__OFF__ kept", "__ON__ REGEN __OFF__", "__ON__ REGEN __OFF__")]
    [InlineData("4 WIE AUSSEHEN", "WIE AUSSEHEN", "WIE-AUSSEHEN")]
    [InlineData("4 ZEIGEN before a word", "ZEIGEN WETTER", "ZEIGEN-BILDSCHIRM WETTER")]
    [InlineData("4 ZEIGEN at the end", "WETTER ZEIGEN", "WETTER ZEIGEN-BILDSCHIRM")]
    [InlineData("5 letters at the start", "A B C", "A+B+C")]
    [InlineData("5 letters inside, applied 3x", "WETTER A B C D E MORGEN", "WETTER A+B+C+D+E MORGEN")]
    [InlineData("5 SCH + letter", "WETTER SCH M MORGEN", "WETTER SCH+M MORGEN")]
    [InlineData("5 NN + letter", "WETTER NN X MORGEN", "WETTER NN+X MORGEN")]
    [InlineData("5 letter + NN", "WETTER X NN MORGEN", "WETTER X+NN MORGEN")]
    [InlineData("5 letters at the end", "WETTER A B", "WETTER A+B")]
    [InlineData("6 RAUM after two capitals only", "WOHNRAUM ARAUM", "WOHN ARAUM")]
    [InlineData("6 -PLUSPLUS", "GEHEN-PLUSPLUS", "GEHEN")]
    [InlineData("7 spaces collapsed", "REGEN   WIND", "REGEN WIND")]
    [InlineData("7 repeated stand-alone word", "REGEN REGEN REGEN WIND", "REGEN WIND")]
    [InlineData("7 compound is not a repeat", "WIND REGEN REGEN-X", "WIND REGEN REGEN-X")]
    [InlineData("9 groupby of compounds", "HAUS HAUS-X HAUS-X", "HAUS HAUS-X")]
    public void Phoenix2014(string rule, string input, string expected)
    {
        Assert.True(expected == GlossCleaner.Clean(input, GlossCleanup.Phoenix2014), rule);
    }

    [Fact]
    public void Phoenix2014_refuses_a_marker_SLRT_asserts_away()
    {
        var e = Assert.Throws<UserFacingException>(() => GlossCleaner.Clean("__EPENTHESIS__ REGEN", GlossCleanup.Phoenix2014));
        Assert.Contains("__EPENTHESIS__", e.Message);
        var inCorpus = Assert.Throws<UserFacingException>(() => WordErrorRate.Score([new ScoringPair("s1", "REGEN", "__EPENTHESIS__ REGEN")], GlossCleanup.Phoenix2014));
        Assert.Contains("'s1' (hypothesis)", inCorpus.Message);
    }

    [Theory]
    [InlineData("upper-cased first", "regen wind", "REGEN WIND")]
    [InlineData("upper-cased like Python (ß -> SS)", "straße", "STRASSE")]
    [InlineData("every __X__ token deleted, __ON__/__OFF__ too", "__ON__ regen __OFF__ __LEFTHAND__ wind __EMOTION__ __EPENTHESIS__", "REGEN WIND")]
    [InlineData("quirk: loc-/cl- never fire after upper-casing", "loc-hier cl-kommen", "LOC-HIER CL-KOMMEN")]
    [InlineData("X-PLUSPLUS -> X", "gehen-plusplus", "GEHEN")]
    [InlineData("X-PLUSPLUS then the repeat goes", "x-plusplus x", "X")]
    [InlineData("RAUM after one capital, whole words only", "araum wohnraum wohnraumschiff", "A WOHN WOHNRAUMSCHIFF")]
    [InlineData("WIE AUSSEHEN", "wie aussehen", "WIE-AUSSEHEN")]
    [InlineData("no 2014-only rules", "s0nne haben2 zeigen poss-mein neg-haben", "S0NNE HABEN2 ZEIGEN POSS-MEIN NEG-HABEN")]
    [InlineData("letters joined", "a b c", "A+B+C")]
    [InlineData("letters joined at the end", "wetter a b", "WETTER A+B")]
    [InlineData("repeats removed", "regen regen wind", "REGEN WIND")]
    public void Phoenix2014T(string rule, string input, string expected)
    {
        Assert.True(expected == GlossCleaner.Clean(input, GlossCleanup.Phoenix2014T), $"{rule}: got \"{GlossCleaner.Clean(input, GlossCleanup.Phoenix2014T)}\"");
    }

    [Fact]
    public void CslDaily_is_only_upper_cased_and_none_changes_nothing()
    {
        Assert.Equal("APP 我 们 A B", GlossCleaner.Clean("app 我 们 a b", GlossCleanup.CslDaily));
        Assert.Equal("loc-x  a b", GlossCleaner.Clean("loc-x  a b", GlossCleanup.None));
    }

    [Fact]
    public void Cleanup_applies_to_both_sides_before_WER()
    {
        var r = WordErrorRate.Score([new ScoringPair("s", "regen __ON__ wind", "REGEN WIND")], GlossCleanup.Phoenix2014T);
        Assert.Equal((0, 0, 0, 2), (r.S, r.D, r.I, r.N));
        var raw = WordErrorRate.Score([new ScoringPair("s", "regen __ON__ wind", "REGEN WIND")]);
        Assert.Equal(3, raw.N);
    }

    [Theory]
    [InlineData("phoenix-2014", GlossCleanup.Phoenix2014)]
    [InlineData("phoenix-2014t", GlossCleanup.Phoenix2014T)]
    [InlineData("none", GlossCleanup.None)]
    [InlineData("csl-daily", GlossCleanup.CslDaily)]
    public void Names_round_trip(string name, GlossCleanup c)
    {
        Assert.Equal(c, GlossCleaner.Parse(name));
        Assert.Equal(name, GlossCleaner.Name(c));
    }
}
