using System.Globalization;
using SignNotebooks.Checkpoints;
using SignNotebooks.Corpora;
using SignNotebooks.Evaluation;
using SignNotebooks.Tests.Corpora;
using SignNotebooks.Tests.Translation;
using SignNotebooks.Translation;

namespace SignNotebooks.Tests.Reproduction;

/// <summary>
/// A CSL-Daily tree in the original layout (<see cref="CorpusFixtures.WriteCslDailySentences"/>: Chinese sentences with
/// punctuation, a Latin gloss) plus a released-format TwoStream-SLT written by the independent PyTorch reference
/// with <c>--dataset csl-daily</c>: mBart_zh/ (zh_CN target, gloss2ids.pkl without zh_CSL), gloss-probability
/// VL-mappers, plain record names, and the translations the reference decoded (max length 500).
/// </summary>
public sealed class CslSltReproductionFixture : IDisposable
{
    public string Dir { get; } = Directory.CreateTempSubdirectory("signnb-slt-csl-").FullName;
    public string Root => Path.Combine(Dir, "corpus");
    private readonly Lazy<string> _released;

    public CslSltReproductionFixture()
    {
        if (SltReferenceFixture.MissingReason is null) CorpusFixtures.WriteCslDailySentences(Root);
        _released = new(() =>
        {
            var dir = Path.Combine(Dir, "released");
            SltReferenceFixture.Create(Root, dir, "--dataset csl-daily");
            return dir;
        });
    }

    /// <summary>The reference's output folder (made once).</summary>
    public string Released => _released.Value;

    public void Dispose() => Directory.Delete(Dir, true);
}

/// <summary>
/// `signnb reproduce` on a CSL-Daily translation card: the released-format networks (gloss-probability mappers, a gloss
/// embedding with the appended zh_CSL row) load strictly, the ensemble decodes exactly the reference's character-level
/// translations, and BLEU-4 / ROUGE-L are scored on characters.
/// </summary>
[Collection("Console")]
public sealed class CslTranslationReproduceTests(CslSltReproductionFixture fx) : IClassFixture<CslSltReproductionFixture>
{
    private static string F(double v) => v.ToString("F2", CultureInfo.InvariantCulture);

    private TranslationExample[] Examples() => TranslationExample.From(new FolderCorpus("csl-daily", fx.Root), "test");

    private (int code, string stdout, string stderr) Reproduce(string card, params string[] checkpoints) =>
        CliCapture.Run(["reproduce", card, "--data-root", fx.Root, "--checkpoint", string.Join(",", checkpoints.Length > 0 ? checkpoints : SltReproductionFixture.Checkpoints(fx.Released)),
                        "--mbart", Path.Combine(fx.Released, "mBart_zh"), "--features", Path.Combine(fx.Released, "extract_feature"),
                        "--out", Path.Combine(fx.Dir, "out", Path.GetFileNameWithoutExtension(card))]);

    [SentencePieceFact]
    public void The_released_csl_daily_ensemble_decodes_the_references_character_level_translations_and_passes_its_cards()
    {
        var examples = Examples();
        var references = examples.Select(e => e.Text).ToArray();
        Assert.Contains("今 天 我 们 一 起 去 ， 好 吗 ？", references);   // the corpus side is character level too
        var reference = SltReproductionFixture.Reference(fx.Released, "test", "ensemble");
        var expected = examples.Select(e => reference[e.Name]).ToArray();
        Assert.True(expected.Distinct().Count() > 1, "the reference's translations differ between clips: " + string.Join(" | ", expected));
        double bleu = Bleu.Corpus(expected, references).Bleu4;
        Assert.True(bleu > 0, "the trained fixture shares characters with the references: " + string.Join(" | ", expected));

        var card = SltReproductionFixture.SaveCard(fx.Dir, "csl-daily", "fixture-slt-csl-bleu", "ensemble", "bleu4", Math.Round(bleu, 2), 0.01, beam: 5, maxLength: 500);
        var (code, stdout, stderr) = Reproduce(card);
        Assert.True(code == 0, stdout + stderr);
        Assert.Equal(3, stdout.Split('\n').Count(l => l.Contains("missing 0; unexpected 0; shape-mismatched 0")));
        Assert.Contains("[1/4] data: csl-daily", stdout);
        Assert.Contains("[4/4] translate: 6 sentences, ensemble (3 networks), beam 5, max length 500", stdout);
        Assert.EndsWith($"fixture-slt-csl-bleu: BLEU4 test (ensemble, beam 5, clean-up none) expected {F(Math.Round(bleu, 2))} ± 0.01, measured {F(bleu)} (Δ 0.00) → PASS", stdout.TrimEnd());

        var hyps = TranslationReproduceTests.Hypotheses(Path.Combine(fx.Dir, "out", "fixture-slt-csl-bleu"), "ensemble");
        var measured = examples.Select(e => hyps[e.Name]).ToArray();
        Assert.Equal(expected, measured);
        // Character level: every token is one character (CJK or punctuation), single spaces between them.
        Assert.All(measured, h => Assert.All(h.Split(' ', StringSplitOptions.RemoveEmptyEntries), t => Assert.Single(t.EnumerateRunes())));
        Assert.All(measured, h => Assert.DoesNotContain("  ", h));
        Assert.Contains(measured, h => h.Split(' ').Any(t => t.Length == 1 && t[0] is >= '\u4e00' and <= '\u9fff'));

        double rouge = Rouge.RougeL(expected, references);
        (code, stdout, stderr) = Reproduce(SltReproductionFixture.SaveCard(fx.Dir, "csl-daily", "fixture-slt-csl-rouge", "ensemble", "rouge_l", Math.Round(rouge, 2), 0.01, beam: 5, maxLength: 500));
        Assert.True(code == 0, stdout + stderr);
        Assert.EndsWith($"measured {F(rouge)} (Δ {F(rouge - Math.Round(rouge, 2))}) → PASS", stdout.TrimEnd());
    }

    [SentencePieceFact]
    public void Each_released_csl_daily_network_alone_decodes_the_references_translations()
    {
        var examples = Examples();
        var checkpoints = SltReproductionFixture.Checkpoints(fx.Released);
        foreach (var (head, i) in new[] { ("video", 0), ("keypoint", 1), ("joint", 2) })
        {
            var reference = SltReproductionFixture.Reference(fx.Released, "test", head);
            var expected = examples.Select(e => reference[e.Name]).ToArray();
            double bleu = Bleu.Corpus(expected, examples.Select(e => e.Text).ToArray()).Bleu4;
            var card = SltReproductionFixture.SaveCard(fx.Dir, "csl-daily", $"fixture-slt-csl-{head}", head, "bleu4", Math.Round(bleu, 2), 0.01, beam: 5, maxLength: 500);
            var (code, stdout, stderr) = Reproduce(card, checkpoints[i]);
            Assert.True(code == 0, head + ": " + stdout + stderr);
            var hyps = TranslationReproduceTests.Hypotheses(Path.Combine(fx.Dir, "out", $"fixture-slt-csl-{head}"), head);
            Assert.Equal(expected, examples.Select(e => hyps[e.Name]));
        }
    }

    [SentencePieceFact]
    public void The_csl_daily_release_has_no_zh_csl_gloss_so_the_gloss_embedding_has_one_row_more_than_the_heads()
    {
        var glosses = GlossIdsFile.Read(Path.Combine(fx.Released, "mBart_zh", "gloss2ids.pkl"), "csl-daily");
        Assert.Equal(["<si>", "<unk>", "<pad>", "</s>"], Enumerable.Range(0, 4).Select(glosses.Decode));
        Assert.True(glosses.GlossToId.ContainsKey("app"));
        Assert.False(glosses.GlossToId.ContainsKey("zh_CSL"));
        foreach (var checkpoint in SltReproductionFixture.Checkpoints(fx.Released))
        {
            var t = StateDictFile.Read(checkpoint).Tensors;
            Assert.Equal(glosses.Count, (int)t["recognition_network.visual_head.gloss_output_layer.weight"].shape[0]);
            Assert.Equal(glosses.Count + 1, (int)t["translation_network.gloss_embedding.weight"].shape[0]);
            Assert.Equal(glosses.Count, (int)t["vl_mapper.mapping.weight"].shape[1]);   // CSL-Daily maps gloss probabilities
        }
        var folder = MBartFolder.Open(Path.Combine(fx.Released, "mBart_zh"), "csl-daily");
        // Full-width punctuation encodes through SentencePiece's NFKC normalisation, not to <unk>; the round trip gives the normalised text.
        var raw = Examples().Select(e => e.Text.Replace(" ", "")).Where(t => t.Contains('，') || t.Contains('？')).ToList();
        Assert.NotEmpty(raw);
        Assert.All(raw, t => Assert.DoesNotContain(TranslationVocabulary.UnkId, folder.Tokenizer.Encode(t)));
        Assert.All(raw, t => Assert.Equal(t.Normalize(System.Text.NormalizationForm.FormKC), folder.Tokenizer.Decode(folder.Tokenizer.Encode(t))));
        Assert.Equal(glosses.Count, folder.Vocabulary.GlossTokens.ToList().IndexOf("zh_CSL"));
        Assert.Equal(3, folder.Vocabulary.GlossTokens.ToList().IndexOf("</s>"));
    }
}
