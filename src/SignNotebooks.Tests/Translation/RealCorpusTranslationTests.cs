using System.Text.Json;
using SignNotebooks.Tests.Corpora;
using SignNotebooks.Training;
using SignNotebooks.Translation;
using SignNotebooks.Util;

namespace SignNotebooks.Tests.Translation;

/// <summary>
/// Translation by the one corpus parameter: Gloss2Text trains and evaluates on a Phoenix-2014T fixture tree (the
/// SynthSign export, which writes the translation column), Phoenix-2014 (no translations) is refused with the fix,
/// and SynthSign configs keep their JSON (so existing runs' hashes stay valid).
/// </summary>
[Collection("Console")]
public sealed class RealCorpusTranslationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("signnb-realslt-").FullName;
    public void Dispose() => Directory.Delete(_dir, true);
    private string Root => Path.Combine(_dir, "corpus");

    [Fact]
    public void Gloss2Text_trains_and_evaluates_on_a_Phoenix_2014T_folder()
    {
        CorpusFixtures.ExportPhoenix2014T(Root);
        var cfg = Path.Combine(_dir, "one-epoch.json");
        File.WriteAllText(cfg, "{ \"Epochs\": 1 }");
        var run = Path.Combine(_dir, "g2t");
        var (code, stdout, stderr) = CliCapture.Run("train", "--stage", "g2t", "--profile", "tiny", "--config", cfg, "--out", run,
            "--dataset", "phoenix-2014t", "--data-root", Root);
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("done: best dev BLEU-4", stdout);
        var saved = File.ReadAllText(Path.Combine(run, "config.json"));
        Assert.Contains("\"Corpus\": \"phoenix-2014t\"", saved);
        Assert.Contains($"\"DataRoot\": \"{Root}\"", saved);

        // The text vocabulary comes from the corpus's translation column: every word of the exported sentences is in it.
        var vocab = TranslationVocabulary.Load(Path.Combine(run, "vocab.json"));
        var words = File.ReadAllLines(Path.Combine(Root, "annotations", "manual", "PHOENIX-2014-T.train.corpus.csv")).Skip(1)
            .SelectMany(l => l.Split('|')[^1].Split(' ', StringSplitOptions.RemoveEmptyEntries)).Distinct().ToList();
        Assert.NotEmpty(words);
        Assert.All(words, w => Assert.Contains(w, vocab.TextTokens));

        (code, stdout, stderr) = CliCapture.Run("evaluate", "--checkpoint", run, "--split", "test");
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("BLEU", stdout);
        var tsv = File.ReadAllLines(Directory.GetFiles(Path.Combine(run, "eval"), "test.g2t.tsv", SearchOption.AllDirectories).Single());
        var testNames = File.ReadAllLines(Path.Combine(Root, "annotations", "manual", "PHOENIX-2014-T.test.corpus.csv")).Skip(1).Select(l => l.Split('|')[0]).ToList();
        Assert.Equal(testNames.Count, tsv.Length - 1);
        Assert.All(testNames, n => Assert.Contains(tsv, l => l.StartsWith(n + "\t", StringComparison.Ordinal)));

        // The data moved: --data-root points evaluation at the new place, as for recognition runs.
        Directory.Move(Root, Root + "-moved");
        (code, _, stderr) = CliCapture.Run("evaluate", "--checkpoint", run, "--split", "test");
        Assert.Equal(1, code);
        Assert.Contains($"{Root}: the Phoenix-2014T data folder does not exist.", stderr);
        var before = stdout.Split('\n').First(l => l.StartsWith("g2t ", StringComparison.Ordinal));
        (code, stdout, stderr) = CliCapture.Run("evaluate", "--checkpoint", run, "--split", "test", "--data-root", Root + "-moved");
        Assert.True(code == 0, stdout + stderr);
        Assert.Equal(before, stdout.Split('\n').First(l => l.StartsWith("g2t ", StringComparison.Ordinal)));
    }

    [Fact]
    public void Phoenix_2014_has_no_translations_and_is_refused_with_the_fix()
    {
        CorpusFixtures.WritePhoenix2014(Root);
        var (code, _, stderr) = CliCapture.Run("train", "--stage", "g2t", "--profile", "tiny", "--out", Path.Combine(_dir, "x"),
            "--dataset", "phoenix-2014", "--data-root", Root);
        Assert.Equal(1, code);
        Assert.Contains("phoenix-2014 cannot train or score translation: its annotations have glosses only, no translation column. Fix: use --dataset phoenix-2014t", stderr);
        Assert.False(Directory.Exists(Path.Combine(_dir, "x")));
        // A library caller reading the corpus directly gets the same refusal from the clips themselves.
        var opened = SignNotebooks.Corpora.CorpusSource.Open("phoenix-2014", Root);
        var e = Assert.Throws<UserFacingException>(() => TranslationExample.From(opened.Corpus, "train"));
        Assert.StartsWith("phoenix-2014 cannot train or score translation: clip ", e.Message);
    }

    [NumpyFact]
    public void CslDaily_translations_are_scored_and_learned_at_character_level()
    {
        CorpusFixtures.WriteCslDaily(Root);
        var opened = SignNotebooks.Corpora.CorpusSource.Open("csl-daily", Root);
        var dev = TranslationExample.From(opened.Corpus, "dev");
        Assert.Equal("我 好 。", Assert.Single(dev).Text);   // spec §8.4: characters joined by spaces, punctuation kept
        var vocab = TranslationTrainer.BuildVocabulary(opened.Corpus, opened.Vocabulary);
        Assert.Equal("zh_CN", vocab.TargetLanguage);
        Assert.Equal("zh_CSL", vocab.SourceLanguage);
        Assert.Contains("好", vocab.TextTokens);
        Assert.DoesNotContain("我好。", vocab.TextTokens);
        Assert.Single(vocab.GlossTokens, "</s>");   // the CSL-Daily vocabulary's own </s> is reused, not appended again
        Assert.Equal(vocab.EncodeGlosses(["app"]), vocab.EncodeGlosses(["APP"]));   // lower-case vocabulary, any-case glosses
        Assert.NotEqual(vocab.GlossUnkId, vocab.EncodeGlosses(["APP"])[0]);
    }

    [Fact]
    public void SynthSign_configs_do_not_name_a_corpus_so_existing_run_hashes_stay_valid()
    {
        var config = TranslationProfiles.Get("tiny", TranslationStage.Gloss2Text);
        var json = JsonSerializer.Serialize(config.ForCorpus("synthsign", null), ConfigJson.Options);
        Assert.Equal(JsonSerializer.Serialize(config, ConfigJson.Options), json);
        Assert.DoesNotContain("\"Corpus\"", json);
        Assert.DoesNotContain("\"DataRoot\"", json);
        var e = Assert.Throws<UserFacingException>(() => config.ForCorpus("phoenix-2014t", null));
        Assert.Contains("Fix: pass --data-root DIR", e.Message);
    }
}
