using SignNotebooks.Data;
using SignNotebooks.Util;

namespace SignNotebooks.Tests.Data;

public class VocabularyTests
{
    [Fact]
    public void SynthSign_has_blank_pad_unk_then_glosses_and_round_trips()
    {
        var v = Vocabulary.SynthSign(["HOUSE", "GO", "HOUSE", "RAIN"]);
        Assert.Equal(6, v.Count);
        Assert.Equal((0, 1, 2), (v.BlankId, v.PadId, v.UnkId));
        Assert.Equal("<blank>", v.BlankToken);
        Assert.Equal([3, 4, 5, 3], v.Encode(["HOUSE", "GO", "RAIN", "HOUSE"]));
        Assert.Equal(["GO", "RAIN"], v.Decode([4, 5]));
        Assert.Equal(2, v.Encode("SNOW"));          // unknown -> <unk>
        Assert.Equal(2, v.Encode("house"));         // case kept
        Assert.True(v.IsSpecial(2));
        Assert.False(v.IsSpecial(3));
    }

    [Fact]
    public void Phoenix2014_shares_id_4_between_mask_and_regen()
    {
        var v = Vocabulary.Phoenix2014(["__OFF__", "__ON__", "IX", "REGEN", "SONNE"]);
        Assert.Equal(0, v.Encode("<s>"));
        Assert.Equal(1, v.PadId);
        Assert.Equal(3, v.UnkId);
        Assert.Equal(4, v.Encode("<mask>"));
        Assert.Equal(4, v.Encode("REGEN"));
        Assert.Equal("REGEN", v.Decode(4));
        Assert.Equal(5, v.Encode("__OFF__"));
        Assert.Equal(7, v.Encode("IX"));
        Assert.Equal(9, v.Count);                   // 10 keys, 9 classes
        Assert.Equal(10, v.GlossToId.Count);
        Assert.Equal(3, v.Encode("regen"));         // Phoenix-2014 is case-sensitive
    }

    [Fact]
    public void Phoenix2014T_lowercases_and_has_the_mbart_specials()
    {
        var v = Vocabulary.Phoenix2014T(["JETZT", "WETTER"]);
        Assert.Equal(["<s>", "<pad>", "</s>", "<unk>", "<mask>", "zh_CN", "de_DE", "zh_CSL", "de_DGS", "jetzt", "wetter"],
            v.Decode(Enumerable.Range(0, v.Count)));
        Assert.Equal(9, v.Encode("JETZT"));
        Assert.Equal(10, v.Encode("wetter"));
        Assert.Equal(3, v.Encode("MORGEN"));
    }

    [Fact]
    public void CslDaily_blank_is_si_and_unk_is_1()
    {
        var v = Vocabulary.CslDaily(["我", "APP"]);
        Assert.Equal("<si>", v.BlankToken);
        Assert.Equal((1, 2), (v.UnkId, v.PadId));
        Assert.Equal(3, v.Encode("</s>"));
        Assert.Equal(4, v.Encode("我"));
        Assert.Equal(5, v.Encode("APP"));
        Assert.Equal("app", v.Decode(5));
    }

    [Fact]
    public void A_map_with_a_gap_is_a_user_error()
    {
        var bad = new Dictionary<string, int> { ["<s>"] = 0, ["<pad>"] = 1, ["<unk>"] = 3 };
        var e = Assert.Throws<UserFacingException>(() => new Vocabulary(bad, "<pad>", "<unk>", false, 3, "gloss2ids.pkl"));
        Assert.Contains("gloss2ids.pkl", e.Message);
        Assert.Contains("id 2", e.Message);
    }
}
