using SignNotebooks.Data;
using SignNotebooks.Translation;
using SignNotebooks.Util;

namespace SignNotebooks.Tests.Translation;

public class TranslationVocabularyTests
{
    private static readonly Vocabulary Recognition = Vocabulary.SynthSign(["NORTH", "RAIN", "STRONG"]);

    [Fact]
    public void Text_side_has_mbart_specials_first_and_round_trips_words()
    {
        var v = TranslationVocabulary.Build(Recognition, ["there will be strong rain in the north .", "rain, then sun ."]);
        Assert.Equal(["<s>", "<pad>", "</s>", "<unk>", "en_XX", "there"], v.TextTokens.Take(6));
        var ids = v.EncodeText("there will be strong rain in the north .");
        Assert.DoesNotContain(TranslationVocabulary.UnkId, ids);
        Assert.Equal("there will be strong rain in the north .", v.DecodeText(ids.Append(TranslationVocabulary.EosId)));
        Assert.Equal(TranslationVocabulary.UnkId, v.EncodeText("hail")[0]);
        Assert.Contains("rain,", v.TextTokens); // whitespace tokens, as BLEU's tokenize='none' counts them
    }

    [Fact]
    public void Gloss_side_keeps_recognition_ids_and_appends_eos_and_language()
    {
        var v = TranslationVocabulary.Build(Recognition, ["a ."]);
        Assert.Equal(Recognition.Count, v.RecognitionSize);
        Assert.Equal(Recognition.Encode(["NORTH", "RAIN"]), v.EncodeGlosses(["NORTH", "RAIN"]));
        Assert.Equal(Recognition.Count, v.GlossEosId);
        Assert.Equal(Recognition.Count + 1, v.SourceLanguageId);
        Assert.Equal(Recognition.UnkId, v.EncodeGlosses(["HAIL"])[0]);
    }

    [Fact]
    public void Saved_vocabulary_loads_back_and_a_broken_file_is_a_clear_error()
    {
        var dir = Directory.CreateTempSubdirectory("signnb-vocab").FullName;
        try
        {
            var v = TranslationVocabulary.Build(Recognition, ["there will be rain ."]);
            var path = Path.Combine(dir, "vocab.json");
            v.Save(path);
            var back = TranslationVocabulary.Load(path);
            Assert.Equal(v.TextTokens, back.TextTokens);
            Assert.Equal(v.GlossTokens, back.GlossTokens);
            File.WriteAllText(path, "{ not json");
            var e = Assert.Throws<UserFacingException>(() => TranslationVocabulary.Load(path));
            Assert.Contains(path, e.Message);
            Assert.Contains("Fix:", e.Message);
        }
        finally { Directory.Delete(dir, true); }
    }
}
