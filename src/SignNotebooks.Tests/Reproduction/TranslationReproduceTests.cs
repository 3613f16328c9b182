using System.Globalization;
using SignNotebooks.Checkpoints;
using SignNotebooks.Corpora;
using SignNotebooks.Evaluation;
using SignNotebooks.Reproduction;
using SignNotebooks.Tests.Translation;
using SignNotebooks.Translation;
using SignNotebooks.Util;

namespace SignNotebooks.Tests.Reproduction;

/// <summary>
/// A SynthSign Phoenix-2014T export plus a released-format TwoStream-SLT written by the independent PyTorch
/// reference (environment/tools/pytorch/slt_ref.py): three S2T checkpoints in SLRT's format and key names, the pruned
/// mBART folder (SentencePiece model, map_ids.pkl, config.json, gloss2ids.pkl), SLRT's extracted-feature pickles, and
/// the translations the reference decoded from them.
/// </summary>
public sealed class SltReproductionFixture : IDisposable
{
    public string Dir { get; } = Directory.CreateTempSubdirectory("signnb-slt-").FullName;
    public string Root => Path.Combine(Dir, "corpus");
    private readonly Dictionary<string, string> _made = new();

    // Six clips per split: enough sentences that BLEU and ROUGE are not decided by one of them.
    public SltReproductionFixture() => SignNotebooks.Synthetic.SynthExport.Export(new SignNotebooks.Synthetic.SynthSignDataset("tiny"), Root, limit: 6, maxThreads: 1);

    /// <summary>The reference's output folder for these script arguments (made once per argument set).</summary>
    public string Released(string args = "")
    {
        lock (_made)
        {
            if (_made.TryGetValue(args, out var dir)) return dir;
            dir = Path.Combine(Dir, "released" + _made.Count);
            SltReferenceFixture.Create(Root, dir, args);
            return _made[args] = dir;
        }
    }

    public static string[] Checkpoints(string released) =>
        new[] { "s2t_video", "s2t_keypoint", "s2t_joint" }.Select(n => Path.Combine(released, n, "best.ckpt")).ToArray();

    /// <summary>The reference's translations of a split by one system (video, keypoint, joint or ensemble): name → text.</summary>
    /// <remarks>The reference names records as SLRT does (<c>test/test-00000</c>); the original layout's clips are <c>test-00000</c>.</remarks>
    public static Dictionary<string, string> Reference(string released, string split, string system) =>
        File.ReadAllLines(Path.Combine(released, "reference", $"{split}.{system}.tsv")).Skip(1)
            .Select(l => l.Split('\t')).ToDictionary(f => f[0].StartsWith(split + "/", StringComparison.Ordinal) ? f[0][(split.Length + 1)..] : f[0], f => f[2]);

    public string WriteCard(string id, string head, string metric, double expected, double tolerance, int beam) =>
        SaveCard(Dir, "phoenix-2014t", id, head, metric, expected, tolerance, beam, maxLength: 100);

    /// <summary>Writes DIR/ID.json: a translation card on the reference's released-format files (paths as in slt_ref.py's OUT).</summary>
    internal static string SaveCard(string dir, string dataset, string id, string head, string metric, double expected, double tolerance, int beam, int maxLength)
    {
        var card = new ReproductionCard
        {
            Id = id, Title = $"fixture: released-format TwoStream-SLT on a {dataset} tree", Task = "translation",
            Dataset = dataset, Split = "test",
            Checkpoint = head == "ensemble" ? "s2t_video/best.ckpt,s2t_keypoint/best.ckpt,s2t_joint/best.ckpt" : $"s2t_{head}/best.ckpt",
            LanguageModel = dataset == "csl-daily" ? "mBart_zh" : "mBart_de", Features = "extract_feature", Variant = "twostream-tiny", Profile = "tiny",
            Head = head, Beam = beam, Cleanup = "none", Metric = metric, Expected = expected, Tolerance = tolerance, MaxLength = maxLength,
            Source = "the PyTorch reference's translations, scored directly",
        };
        var path = Path.Combine(dir, id + ".json");
        ReproductionCards.Save(card, path);
        return path;
    }

    public void Dispose() => Directory.Delete(Dir, true);
}

/// <summary>
/// `signnb reproduce` on translation cards: the released-format S2T networks load strictly, decode exactly the
/// reference's translations (single networks and the multi-source ensemble, beam 5), score BLEU-4 / ROUGE-L with
/// SLRT's clean-up, and every missing or mismatched input is refused with the file and the fix.
/// </summary>
[Collection("Console")]
public sealed class TranslationReproduceTests(SltReproductionFixture fx) : IClassFixture<SltReproductionFixture>
{
    private static string F(double v) => v.ToString("F2", CultureInfo.InvariantCulture);

    private (int code, string stdout, string stderr) Reproduce(string card, string released, string[] checkpoints, params string[] more) =>
        CliCapture.Run(["reproduce", card, "--data-root", fx.Root, "--checkpoint", string.Join(",", checkpoints), "--mbart", Path.Combine(released, "mBart_de"),
                        "--out", Path.Combine(fx.Dir, "out", Path.GetFileNameWithoutExtension(card)), .. more]);

    private string[] References() => TranslationExample.From(new FolderCorpus("phoenix-2014t", fx.Root), "test").Select(e => e.Text).ToArray();
    private string[] Names() => TranslationExample.From(new FolderCorpus("phoenix-2014t", fx.Root), "test").Select(e => e.Name).ToArray();

    // The reference's hypotheses in corpus order, as SLRT scores them (the reference applies the clean-up itself).
    private string[] Expected(string released, string system)
    {
        var reference = SltReproductionFixture.Reference(released, "test", system);
        return Names().Select(n => reference[n]).ToArray();
    }

    /// <summary>The hypotheses `reproduce` wrote to OUT/test.SYSTEM.tsv: name → text as scored.</summary>
    internal static Dictionary<string, string> Hypotheses(string outDir, string system) =>
        File.ReadAllLines(Path.Combine(outDir, $"test.{system}.tsv")).Skip(1).Select(l => l.Split('\t')).ToDictionary(f => f[0], f => f[2]);

    [SentencePieceFact]
    public void The_released_ensemble_decodes_the_references_translations_and_passes_its_card()
    {
        var released = fx.Released();
        var expected = Expected(released, "ensemble");
        Assert.Contains(expected, h => h.Length > 0);
        Assert.True(expected.Distinct().Count() > 1, "the reference's translations differ between clips: " + string.Join(" | ", expected));
        double bleu = Bleu.Corpus(expected, References()).Bleu4;
        var card = fx.WriteCard("fixture-slt-bleu", "ensemble", "bleu4", Math.Round(bleu, 2), 0.01, beam: 5);

        var (code, stdout, stderr) = Reproduce(card, released, SltReproductionFixture.Checkpoints(released), "--features", Path.Combine(released, "extract_feature"));
        Assert.True(code == 0, stdout + stderr);
        Assert.Equal(3, stdout.Split('\n').Count(l => l.Contains("missing 0; unexpected 0; shape-mismatched 0")));
        Assert.Contains("annotations only: the features come from", stdout);
        Assert.Contains("[4/4] translate: 6 sentences, ensemble (3 networks), beam 5, max length 100", stdout);
        Assert.EndsWith($"fixture-slt-bleu: BLEU4 test (ensemble, beam 5, clean-up none) expected {F(Math.Round(bleu, 2))} ± 0.01, measured {F(bleu)} (Δ 0.00) → PASS", stdout.TrimEnd());

        var outDir = Path.Combine(fx.Dir, "out", "fixture-slt-bleu");
        var hyps = Hypotheses(outDir, "ensemble");
        Assert.Equal(expected, Names().Select(n => hyps[n]));
        Assert.Contains("\"passed\": true", File.ReadAllText(Path.Combine(outDir, "result.json")));

        double rouge = Rouge.RougeL(expected, References());
        (code, stdout, stderr) = Reproduce(fx.WriteCard("fixture-slt-rouge", "ensemble", "rouge_l", Math.Round(rouge, 2) + 5, 0.5, beam: 5), released,
            SltReproductionFixture.Checkpoints(released), "--features", Path.Combine(released, "extract_feature"));
        Assert.Equal(3, code);
        Assert.EndsWith($"measured {F(rouge)} (Δ {F(rouge - Math.Round(rouge, 2) - 5)}) → FAIL", stdout.TrimEnd());
    }

    [SentencePieceFact]
    public void Notebook_07_runs_a_translation_card_whose_inputs_are_present()
    {
        var released = fx.Released();
        var expected = Expected(released, "ensemble");
        double bleu = Bleu.Corpus(expected, References()).Bleu4;
        var card = ReproductionCards.Load(fx.WriteCard("fixture-slt-notebook", "ensemble", "bleu4", Math.Round(bleu, 2), 0.01, beam: 5));
        // SLRT's data/ layout: <root>/phoenix-2014t/ is the corpus; the card's paths start at the checkpoint root.
        var dataRoot = Path.Combine(fx.Dir, "data-root");
        if (!Directory.Exists(dataRoot)) CopyDir(fx.Root, Path.Combine(dataRoot, "phoenix-2014t"));
        var survey = PaperTables.Survey([card], dataRoot, released).Single();
        Assert.Equal(CardStatus.Ready, survey.State);
        Assert.Equal(Path.Combine(released, "mBart_de"), survey.Translation!.LanguageModel);
        Assert.Equal(CardStatus.NoCheckpoint, PaperTables.Survey([card], dataRoot, fx.Dir).Single().State);

        var ran = PaperTables.RunReady([survey]).Single();
        Assert.True(ran.State == CardStatus.Ran, ran.Message);
        Assert.True(ran.Result!.Passed);
        Assert.Equal(expected, ran.Result.Translation!.Hypotheses);
    }

    [SentencePieceFact]
    public void Each_released_network_alone_decodes_the_references_translations()
    {
        var released = fx.Released();
        var checkpoints = SltReproductionFixture.Checkpoints(released);
        foreach (var (head, i) in new[] { ("video", 0), ("keypoint", 1), ("joint", 2) })
        {
            var expected = Expected(released, head);
            double bleu = Bleu.Corpus(expected, References()).Bleu4;
            var card = fx.WriteCard($"fixture-slt-{head}", head, "bleu4", Math.Round(bleu, 2), 0.01, beam: 5);
            var (code, stdout, stderr) = Reproduce(card, released, [checkpoints[i]], "--features", Path.Combine(released, "extract_feature"));
            Assert.True(code == 0, head + ": " + stdout + stderr);
            var hyps = Hypotheses(Path.Combine(fx.Dir, "out", $"fixture-slt-{head}"), head);
            Assert.Equal(expected, Names().Select(n => hyps[n]));
        }
    }

    [SentencePieceFact]
    public void The_gloss_probability_mapper_of_csl_daily_is_read_from_the_file()
    {
        // CSL-Daily's networks map the heads' gloss probabilities (a bias-free (d, V) mapping.weight, spec §10.4).
        var released = fx.Released("--mapper probabilities");
        Assert.True(StateDictFile.Read(SltReproductionFixture.Checkpoints(released)[2]).Tensors.ContainsKey("vl_mapper.mapping.weight"));
        var expected = Expected(released, "ensemble");
        double bleu = Bleu.Corpus(expected, References()).Bleu4;
        var card = fx.WriteCard("fixture-slt-probabilities", "ensemble", "bleu4", Math.Round(bleu, 2), 0.01, beam: 5);
        var (code, stdout, stderr) = Reproduce(card, released, SltReproductionFixture.Checkpoints(released), "--features", Path.Combine(released, "extract_feature"));
        Assert.True(code == 0, stdout + stderr);
        var hyps = Hypotheses(Path.Combine(fx.Dir, "out", "fixture-slt-probabilities"), "ensemble");
        Assert.Equal(expected, Names().Select(n => hyps[n]));
    }

    [SentencePieceFact]
    public void Unused_pyramid_heads_in_a_checkpoint_are_reported_as_ignored()
    {
        var released = fx.Released("--with-remain-heads");
        var expected = Expected(released, "ensemble");
        double bleu = Bleu.Corpus(expected, References()).Bleu4;
        var card = fx.WriteCard("fixture-slt-remain", "ensemble", "bleu4", Math.Round(bleu, 2), 0.01, beam: 5);
        var (code, stdout, stderr) = Reproduce(card, released, SltReproductionFixture.Checkpoints(released), "--features", Path.Combine(released, "extract_feature"));
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("ignored on purpose: recognition_network.visual_head_remain.", stdout);
        Assert.EndsWith("(Δ 0.00) → PASS", stdout.TrimEnd());
    }

    [SentencePieceFact]
    public void Missing_and_mismatched_inputs_name_the_file_and_the_fix()
    {
        var released = fx.Released();
        var checkpoints = SltReproductionFixture.Checkpoints(released);
        var features = Path.Combine(released, "extract_feature");
        var card = fx.WriteCard("fixture-slt-bad", "ensemble", "bleu4", 10, 0.5, beam: 1);

        // No features and no recognition checkpoint.
        var (code, _, stderr) = Reproduce(card, released, checkpoints);
        Assert.Equal(1, code);
        Assert.Contains("needs the split's features. Fix: pass SLRT's extract_feature/ folder with --features DIR, or the TwoStream-SLR checkpoint with --recognition S2G.ckpt", stderr);

        // The checkpoints in the wrong slot: a recognition (S2G) checkpoint is not an S2T one.
        var s2g = Path.Combine(fx.Dir, "s2g.pt");
        using (var _ = TorchSharp.torch.NewDisposeScope())
        {
            var model = SignNotebooks.Models.ModelRegistry.Create(SignNotebooks.Models.ModelRegistry.Get("twostream-tiny").Config with { VocabularySize = 20 });
            CheckpointExporter.Save(model, s2g, withPrefix: true);
        }
        (code, _, stderr) = Reproduce(card, released, [s2g, checkpoints[1], checkpoints[2]], "--features", features);
        Assert.Equal(1, code);
        Assert.Contains($"{s2g}: no translation_network.model.model.shared.weight, so this is not a TwoStream-SLT (S2T) checkpoint (it holds a recognition backbone: an S2G checkpoint; pass it with --recognition)", stderr);

        // A damaged mBART folder: no prune map, so the pruned config cannot be read.
        var mbart = CopyDir(Path.Combine(released, "mBart_de"), Path.Combine(fx.Dir, "mbart-no-map"));
        File.Delete(Path.Combine(mbart, "map_ids.pkl"));
        (code, _, stderr) = CliCapture.Run("reproduce", card, "--data-root", fx.Root, "--checkpoint", string.Join(",", checkpoints), "--mbart", mbart, "--features", features);
        Assert.Equal(1, code);
        Assert.Contains($"{mbart}: config.json says vocab_size", stderr);
        Assert.Contains("Fix: a pruned mBART needs its map_ids.pkl (old id → new id) in the folder.", stderr);

        // A gloss vocabulary of another size than the heads' classifier.
        mbart = CopyDir(Path.Combine(released, "mBart_de"), Path.Combine(fx.Dir, "mbart-glosses"));
        var glosses = GlossIdsFile.Read(Path.Combine(mbart, "gloss2ids.pkl"), "phoenix-2014t");
        var fewer = new SignNotebooks.Data.Vocabulary(Enumerable.Range(0, glosses.Count - 1).Select(i => new KeyValuePair<string, int>(glosses.Decode(i), i)),
            "<pad>", "<unk>", lowerCase: true, glosses.FirstGlossId);
        GlossIdsFile.Write(fewer, Path.Combine(mbart, "gloss2ids.pkl"));
        (code, _, stderr) = CliCapture.Run("reproduce", card, "--data-root", fx.Root, "--checkpoint", string.Join(",", checkpoints), "--mbart", mbart, "--features", features);
        Assert.Equal(1, code);
        Assert.Contains($"the recognition heads have {glosses.Count} classes but {Path.Combine(mbart, "gloss2ids.pkl")} has {glosses.Count - 1} glosses", stderr);

        // Features of another split only: the test clips are named.
        var partial = CopyDir(features, Path.Combine(fx.Dir, "features-dev-only"));
        foreach (var f in Directory.GetFiles(partial, "test.pkl", SearchOption.AllDirectories))
            File.Copy(Path.Combine(Path.GetDirectoryName(f)!, "dev.pkl"), f, overwrite: true);
        (code, _, stderr) = Reproduce(card, released, checkpoints, "--features", partial);
        Assert.Equal(1, code);
        Assert.Contains($"{partial}: no features for 6 of the 6 test sentences (first: test-00000", stderr);
    }

    [SentencePieceFact]
    public void Without_extracted_features_the_recognition_checkpoint_extracts_them()
    {
        // An S2G checkpoint of the card's variant (random weights are enough: the test is about the route, not the numbers).
        var s2g = Path.Combine(fx.Dir, "s2g-route.pt");
        var card = fx.WriteCard("fixture-slt-route", "ensemble", "bleu4", 0, 100, beam: 2);
        var config = Reproducer.EvalConfig(ReproductionCards.Load(card), new FolderCorpus("phoenix-2014t", fx.Root).Vocabulary.Count);
        using (var _ = TorchSharp.torch.NewDisposeScope())
        {
            TorchSharp.torch.manual_seed(5);
            CheckpointExporter.Save(SignNotebooks.Models.ModelRegistry.Create(config.Model), s2g, withPrefix: true);
        }
        int c4 = (int)StateDictFile.Read(s2g).Tensors.Single(kv => kv.Key.EndsWith("visual_head.fc1.weight", StringComparison.Ordinal)).Value.shape[1];
        var released = fx.Released($"--feature-size {c4}");
        var checkpoints = SltReproductionFixture.Checkpoints(released);

        // The two-stream network reads keypoints: without SLRT's keypoint file the card stops before any compute.
        var keypoints = Path.Combine(fx.Root, "phoenix-2014t-keypoints.pkl");
        File.Delete(keypoints);
        var (code, stdout, stderr) = Reproduce(card, released, checkpoints, "--recognition", s2g);
        Assert.Equal(1, code);
        Assert.Contains($"{fx.Root}: no phoenix-2014t-keypoints.pkl there, and the twostream-tiny network reads keypoints. Fix: put SLRT's phoenix-2014t-keypoints.pkl in {fx.Root} (spec §9).", stderr);

        SignNotebooks.Tests.Corpora.DebianPython.RunScript(SignNotebooks.Tests.Corpora.CorpusFixtures.KeypointPickle, fx.Root, keypoints);
        (code, stdout, stderr) = Reproduce(card, released, checkpoints, "--recognition", s2g);
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains($"extracting with {s2g} (twostream-tiny, eval mode, spec §10.3)", stdout);
        Assert.Contains("features of 6 test clips extracted", stdout);
        Assert.Contains("[1/4] data: phoenix-2014t", stdout);
        Assert.DoesNotContain("annotations only", stdout);

        // The same networks on the same features, decoded without the reproduce path.
        var corpus = new FolderCorpus("phoenix-2014t", fx.Root, keypoints);
        var features = new SignFeatureStore(config, s2g).Split(corpus, "test", null, null, corpus.Vocabulary);
        var folder = MBartFolder.Open(Path.Combine(released, "mBart_de"), "phoenix-2014t");
        var sources = new[] { TranslationSource.Video, TranslationSource.Keypoint, TranslationSource.Joint };
        var models = checkpoints.Select((c, i) => ReleasedSignTranslation.Load(c, folder, sources[i], config.Model).Model).ToArray();
        var examples = TranslationExample.From(corpus, "test");
        var direct = new Translator(models).Evaluate("test", "ensemble", examples, new DecodeOptions(2, 1.0, 100),
            ex => TranslationBatch.Create(ex, folder.Vocabulary, ex.Select(e => features[e.Name]).ToArray()), batchSize: 1,
            clean: t => MBartFolder.CleanHypothesis("phoenix-2014t", t));
        var hyps = Hypotheses(Path.Combine(fx.Dir, "out", "fixture-slt-route"), "ensemble");
        Assert.Equal(direct.Hypotheses, examples.Select(e => hyps[e.Name]));
        Assert.Contains(direct.Hypotheses, h => h.Length > 0);
    }

    private static string CopyDir(string from, string to)
    {
        foreach (var f in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var dst = Path.Combine(to, Path.GetRelativePath(from, f));
            Directory.CreateDirectory(Path.GetDirectoryName(dst)!);
            File.Copy(f, dst, overwrite: true);
        }
        return to;
    }

    [Fact]
    public void Hypotheses_are_cleaned_as_slrt_does_before_scoring()
    {
        Assert.Equal("es regnet .", MBartFolder.CleanHypothesis("phoenix-2014t", "es regnet."));
        Assert.Equal("es regnet .", MBartFolder.CleanHypothesis("phoenix-2014t", "es regnet ."));
        Assert.Equal("es regnet", MBartFolder.CleanHypothesis("phoenix-2014t", " es regnet "));
        Assert.Equal("ja, es regnet nicht, oder?", MBartFolder.CleanHypothesis("phoenix-2014t", "ja , es regnet nicht , oder ?"));
        Assert.Equal("今 天 下 雨 。", MBartFolder.CleanHypothesis("csl-daily", "今天 下雨。"));
        var e = Assert.Throws<UserFacingException>(() => MBartFolder.Languages("phoenix-2014"));
        Assert.Contains("Fix: use phoenix-2014t (mBart_de) or csl-daily (mBart_zh)", e.Message);
    }
}
