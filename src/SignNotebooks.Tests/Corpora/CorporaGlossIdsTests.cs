using SignNotebooks.Corpora;
using SignNotebooks.Data;
using SignNotebooks.Util;

namespace SignNotebooks.Tests.Corpora;

/// <summary>Official gloss2ids.pkl ↔ our <see cref="Vocabulary"/> (spec §6), with files written and read by Debian's Python.</summary>
public sealed class CorporaGlossIdsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("signnb-gloss2ids-").FullName;
    public void Dispose() => Directory.Delete(_dir, true);

    private string PythonDict(string name, string dict)
    {
        var path = Path.Combine(_dir, name);
        DebianPython.RunScript($"import pickle, sys\npickle.dump({dict}, open(sys.argv[1], 'wb'))\n", path);
        return path;
    }

    [NumpyFact]
    public void Phoenix2014_keeps_the_shared_id_4_and_equals_our_builder()
    {
        var path = PythonDict("p14.pkl", "{'<s>': 0, '<pad>': 1, '</s>': 2, '<unk>': 3, '<mask>': 4, 'REGEN': 4, '__OFF__': 5, '__ON__': 6, 'IX': 7, 'WIND': 8}");
        var v = GlossIdsFile.Read(path, "phoenix-2014");
        Assert.Equal(9, v.Count);                  // 10 keys, 9 classes
        Assert.Equal("REGEN", v.Decode(4));        // SLRT's inverse map resolves the shared id to REGEN
        Assert.Equal(4, v.Encode("<mask>"));
        Assert.Equal(v.UnkId, v.Encode("wind"));   // upper case kept
        Assert.Empty(GlossIdsFile.Differences(v, Vocabulary.Phoenix2014(["__OFF__", "__ON__", "IX", "WIND"])));
    }

    [NumpyFact]
    public void Phoenix2014T_lower_cases_and_a_pruned_vocabulary_is_explained()
    {
        var path = PythonDict("p14t.pkl", "{'<s>': 0, '<pad>': 1, '</s>': 2, '<unk>': 3, '<mask>': 4, 'zh_CN': 5, 'de_DE': 6, 'zh_CSL': 7, 'de_DGS': 8, 'jetzt': 9, 'regen': 10, 'wind': 11}");
        var v = GlossIdsFile.Read(path, "phoenix-2014t");
        Assert.Equal(10, v.Encode("REGEN"));
        Assert.Empty(GlossIdsFile.Differences(v, Vocabulary.Phoenix2014T(["JETZT", "REGEN", "WIND"])));
        Assert.Equal([
                "12 classes in the official vocabulary, 11 in ours: a checkpoint's classifier (gloss_output_layer) will not load",
                "1 glosses have other ids (wind 11→10): predictions would decode to wrong glosses",
                "1 official glosses are not in ours (regen)",
            ], GlossIdsFile.Differences(v, Vocabulary.Phoenix2014T(["JETZT", "WIND"])));
    }

    [NumpyFact]
    public void Our_vocabulary_written_as_gloss2ids_reads_back_in_python_and_in_csharp()
    {
        var ours = Vocabulary.CslDaily(["我", "APP", "你"]);
        var path = Path.Combine(_dir, "gloss2ids.pkl");
        GlossIdsFile.Write(ours, path);
        var printed = DebianPython.RunScript("import pickle, sys, json\nd = pickle.load(open(sys.argv[1], 'rb'))\nprint(json.dumps(sorted(d.items(), key=lambda p: p[1]), ensure_ascii=False))\n", path);
        Assert.Equal("""[["<si>", 0], ["<unk>", 1], ["<pad>", 2], ["</s>", 3], ["我", 4], ["app", 5], ["你", 6]]""", printed.Trim());
        Assert.Empty(GlossIdsFile.Differences(GlossIdsFile.Read(path, "csl-daily"), ours));
    }

    [NumpyFact]
    public void A_file_without_the_blank_at_id_0_is_refused()
    {
        var path = PythonDict("tokens.pkl", "{'<pad>': 0, '<unk>': 1, 'a': 2}");
        var e = Assert.Throws<UserFacingException>(() => GlossIdsFile.Read(path, "phoenix-2014t"));
        Assert.Equal($"{path}: id 0 is '<pad>', but the CTC blank must be id 0 (<s> for Phoenix, <si> for CSL-Daily; spec §6). " +
                     "Fix: this is not a recognition vocabulary (gloss2ids_old.pkl or a tokenizer file?).", e.Message);
    }
}
