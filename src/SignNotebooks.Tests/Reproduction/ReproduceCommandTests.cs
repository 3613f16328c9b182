using System.Globalization;
using SignNotebooks.Reproduction;
using SignNotebooks.Tests.Corpora;

namespace SignNotebooks.Tests.Reproduction;

/// <summary>`signnb reproduce` end to end on a fixture tree: PASS, FAIL, and each reason it refuses to run.</summary>
[Collection("Console")]
public sealed class ReproduceCommandTests(ReproductionFixture fx) : IClassFixture<ReproductionFixture>
{
    private static string F(double v) => v.ToString("F2", CultureInfo.InvariantCulture);

    private (int code, string stdout, string stderr) Reproduce(string card, string root, string checkpoint, params string[] more) =>
        CliCapture.Run(["reproduce", card, "--data-root", root, "--checkpoint", checkpoint, "--out", Path.Combine(fx.Dir, "out", Path.GetFileNameWithoutExtension(card)), .. more]);

    [Fact]
    public void A_card_with_the_right_expected_value_passes_and_a_wrong_one_fails()
    {
        double wer = fx.DirectWer();
        var (code, stdout, stderr) = Reproduce(fx.WriteCard("fixture-pass", Math.Round(wer, 2), 0.01), fx.Root, fx.Checkpoint);
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("Phoenix-2014T at " + fx.Root + ": 6 clips", stdout);                 // the data check ran
        Assert.Contains("loaded ", stdout);                                                   // the load report
        Assert.Contains("missing 0; unexpected 0; shape-mismatched 0", stdout);
        Assert.Contains($"video            WER {wer,6:F2}%", stdout.Replace(',', '.'));
        Assert.EndsWith($"fixture-pass: WER test (video, beam 5, clean-up phoenix-2014t) expected {F(Math.Round(wer, 2))} ± 0.01, measured {F(wer)} (Δ 0.00) → PASS", stdout.TrimEnd());
        Assert.True(File.Exists(Path.Combine(fx.Dir, "out", "fixture-pass", "test.video.tsv")));
        Assert.Contains("\"passed\": true", File.ReadAllText(Path.Combine(fx.Dir, "out", "fixture-pass", "result.json")));

        double wrong = wer >= 50 ? wer - 20 : wer + 20;
        (code, stdout, _) = Reproduce(fx.WriteCard("fixture-fail", wrong, 0.5), fx.Root, fx.Checkpoint);
        Assert.Equal(3, code);
        Assert.EndsWith($"expected {F(wrong)} ± 0.50, measured {F(wer)} (Δ {(wer - wrong > 0 ? "+" : "")}{F(wer - wrong)}) → FAIL", stdout.TrimEnd());
    }

    [Fact]
    public void Shards_of_a_card_merge_into_the_unsharded_verdict()
    {
        double wer = fx.DirectWer();
        var card = fx.WriteCard("fixture-shards", Math.Round(wer, 2), 0.01);
        var outDir = Path.Combine(fx.Dir, "out", "shards");
        foreach (var i in new[] { "0/2", "1/2" })
        {
            var (code, stdout, stderr) = CliCapture.Run("reproduce", card, "--data-root", fx.Root, "--checkpoint", fx.Checkpoint, "--out", outDir, "--shard", i);
            Assert.True(code == 0, stdout + stderr);
            Assert.Contains($"[3/3] evaluate: 1 test clips (shard {i}), beam 5", stdout);
            Assert.Contains($"fixture-shards: shard {i} of test: video WER ", stdout);
            Assert.True(File.Exists(Path.Combine(outDir, $"shard{i[0]}of2", "test.video.tsv")));
            if (i == "0/2")
            {
                (code, _, stderr) = CliCapture.Run("reproduce", card, "--merge", "--out", outDir);
                Assert.Equal(1, code);
                Assert.Contains($"{outDir}: shards 1/2 of test are missing. Fix: run those tasks again (signnb reproduce fixture-shards --data-root DIR --checkpoint FILE --out {outDir} --shard i/2).", stderr);
            }
        }
        var (c, o, e) = CliCapture.Run("reproduce", card, "--merge", "--out", outDir);
        Assert.True(c == 0, o + e);
        Assert.EndsWith($"expected {F(Math.Round(wer, 2))} ± 0.01, measured {F(wer)} (Δ 0.00) → PASS", o.TrimEnd());
    }

    [Fact]
    public void Missing_data_is_refused_with_the_check_lines_and_how_to_get_it()
    {
        var card = fx.WriteCard("fixture-missing", 50, 1);
        var nowhere = Path.Combine(fx.Dir, "no-such-corpus");
        var (code, stdout, stderr) = Reproduce(card, nowhere, fx.Checkpoint);
        Assert.Equal(1, code);
        Assert.Contains($"error: {nowhere}: corpus folder not found. Fix: pass the folder that holds annotations/ and features/.", stdout);
        Assert.Contains($"signnb reproduce: error: the data at {nowhere} has 1 error (listed above), so card fixture-missing was not run.", stderr);

        var root = fx.CopyRoot("no-test-split");
        File.Delete(Path.Combine(root, "annotations", "manual", "PHOENIX-2014-T.test.corpus.csv"));
        (code, stdout, stderr) = Reproduce(card, root, fx.Checkpoint);
        Assert.Equal(1, code);
        Assert.Contains("error: annotations/manual/PHOENIX-2014-T.test.corpus.csv: annotation file not found.", stdout);
        Assert.DoesNotContain("[2/3]", stdout);   // nothing was loaded

        (code, _, stderr) = Reproduce(card, fx.Root, Path.Combine(fx.Dir, "none.ckpt"));
        Assert.Equal(1, code);
        Assert.Contains("none.ckpt: file not found. Fix: download model.pt", stderr);
    }

    [Fact]
    public void A_checkpoint_of_a_pruned_vocabulary_names_the_glosses_that_differ()
    {
        var card = fx.WriteCard("fixture-vocab", 50, 1);
        // The corpus gains a training gloss the checkpoint never saw: its vocabulary is a pruned one for this corpus.
        var root = fx.CopyRoot("extra-gloss");
        var csv = Path.Combine(root, "annotations", "manual", "PHOENIX-2014-T.train.corpus.csv");
        var rows = File.ReadAllLines(csv);
        var f = rows[1].Split('|'); f[5] += " NEUWORT"; rows[1] = string.Join('|', f);
        File.WriteAllLines(csv, rows);

        // With the gloss2ids.pkl our runs save beside the weights, the message names the gloss.
        var (code, _, stderr) = Reproduce(card, root, fx.Checkpoint);
        Assert.Equal(1, code);
        Assert.Contains($"checkpoint {fx.Checkpoint}: its vocabulary ({Path.Combine(Path.GetDirectoryName(fx.Checkpoint)!, "gloss2ids.pkl")}) differs from the corpus: " +
                        "1 training glosses of the corpus are not in it (neuwort)", stderr.Replace("NEUWORT", "neuwort"));
        Assert.Contains("pruned or another corpus's vocabulary", stderr);

        // The weights alone (a released checkpoint): the classifier size is compared and the fix says what would name the glosses.
        var bare = Path.Combine(fx.Dir, "bare", "best.ckpt");
        Directory.CreateDirectory(Path.GetDirectoryName(bare)!);
        File.Copy(fx.Checkpoint, bare, overwrite: true);
        (code, _, stderr) = Reproduce(card, root, bare);
        Assert.Equal(1, code);
        Assert.Matches(@"its classifier \(gloss_output_layer\) has V = (\d+) classes, but the corpus vocabulary \(built from the train split of .*\) has \d+: " +
                       @"the checkpoint was trained on a pruned or smaller vocabulary \(cf\. SLRT#39\)\. Which glosses differ cannot be read from the weights", stderr);
    }

    [NumpyFact]
    public void SLRTs_preprocessed_form_gives_the_same_number_as_the_original_layout()
    {
        double wer = fx.DirectWer();
        var root = fx.CopyRoot("slrt-form");
        DebianPython.RunScript(CorpusFixtures.SlrtBuild, root);   // root/data: gzip lists + videos zip at spec §9's inner paths
        var (code, stdout, stderr) = Reproduce(fx.WriteCard("fixture-slrt", Math.Round(wer, 2), 0.01), Path.Combine(root, "data"), fx.Checkpoint);
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("(SLRT preprocessed) at " + Path.Combine(root, "data"), stdout);
        Assert.Contains($"frames {Path.Combine(root, "data", "phoenix-2014t-videos.zip")}", stdout);
        Assert.Contains($"measured {F(wer)} (Δ 0.00) → PASS", stdout);
    }

    [NumpyFact]
    public void A_keypoint_file_of_another_corpus_stops_the_run()
    {
        var card = fx.WriteCard("fixture-keypoints", 50, 1);
        var root = fx.CopyRoot("csl-keypoints");
        // Real arrays, but keyed by CSL-Daily names: the Phoenix-2014T clips find none of theirs.
        DebianPython.RunScript(CorpusFixtures.KeypointPickle, root, Path.Combine(root, "phoenix-2014t-keypoints.pkl"),
            "d = {'S%06d_P0000_T00' % i: v for i, v in enumerate(d.values())}");
        var (code, stdout, stderr) = Reproduce(card, root, fx.Checkpoint);
        Assert.Equal(1, code);
        Assert.Contains("none of the 6 clips has keypoints here", stdout);
        Assert.Contains("this is probably the keypoint file of another corpus", stdout);
        Assert.Contains("so card fixture-keypoints was not run", stderr);
    }

    [Fact]
    public void Cuda_without_a_gpu_and_translation_cards_are_clear_errors()
    {
        var (code, _, stderr) = Reproduce(fx.WriteCard("fixture-cuda", 50, 1), fx.Root, fx.Checkpoint, "--device", "cuda");
        Assert.Equal(1, code);
        Assert.Contains("--device cuda: no CUDA device is available", stderr);

        // A translation card names what else it needs, and refuses a recognition checkpoint given as an S2T one.
        (code, _, stderr) = Reproduce("slt-phoenix-2014t-test-bleu4", fx.Root, fx.Checkpoint);
        Assert.Equal(2, code);
        Assert.Contains("card slt-phoenix-2014t-test-bleu4 needs --mbart DIR (SLRT's pretrained_models/mBart_de folder)", stderr);
        (code, _, stderr) = Reproduce("slt-phoenix-2014t-test-bleu4", fx.Root, fx.Checkpoint, "--mbart", fx.Dir, "--features", fx.Dir);
        Assert.Equal(1, code);
        Assert.Contains("card slt-phoenix-2014t-test-bleu4 (ensemble) needs 3 S2T checkpoints but 1 were given. Fix: --checkpoint VIDEO.ckpt,KEYPOINT.ckpt,JOINT.ckpt (in this order)", stderr);
        (code, _, stderr) = Reproduce(fx.WriteCard("fixture-cuda", 50, 1), fx.Root, fx.Checkpoint, "--mbart", fx.Dir);
        Assert.Equal(2, code);
        Assert.Contains("--mbart, --features and --recognition are for translation cards; fixture-cuda is a recognition card", stderr);
    }

    [Fact]
    public void List_shows_every_committed_card()
    {
        var (code, stdout, _) = CliCapture.Run("reproduce", "--list");
        Assert.Equal(0, code);
        Assert.Contains(stdout.Split('\n'), l => l.StartsWith("slr-phoenix-2014-test ") && l.Contains(" 18.80 ± 0.50  runnable"));
        Assert.Contains(stdout.Split('\n'), l => l.StartsWith("slr-phoenix-2014t-test ") && l.Contains(" 19.30 "));
        Assert.Contains(stdout.Split('\n'), l => l.StartsWith("slr-csl-daily-test ") && l.Contains(" 25.30 "));
        Assert.Contains(stdout.Split('\n'), l => l.StartsWith("slt-csl-daily-test-bleu4 ") && l.Contains(" 25.79 ") && l.Contains("runnable"));
    }

    [Fact]
    public void Notebook_07_runs_the_cards_whose_data_and_checkpoint_are_present()
    {
        // A data root laid out like SLRT's data/: only phoenix-2014t/ is there, and only the fixture card's checkpoint.
        var dataRoot = Path.Combine(fx.Dir, "data-root");
        Directory.Move(fx.CopyRoot("data-root-tmp"), Path.Combine(Directory.CreateDirectory(dataRoot).FullName, "phoenix-2014t"));
        var ckpts = Directory.CreateDirectory(Path.Combine(dataRoot, "checkpoints")).FullName;
        foreach (var f in new[] { "model.pt", "gloss2ids.pkl" }) File.Copy(Path.Combine(Path.GetDirectoryName(fx.Checkpoint)!, f), Path.Combine(ckpts, f));
        double wer = fx.DirectWer();
        var cards = ReproductionCards.LoadAll().Append(ReproductionCards.Load(fx.WriteCard("fixture-notebook", Math.Round(wer, 2), 0.01))).ToList();

        var survey = PaperTables.Survey(cards, dataRoot).ToDictionary(s => s.Card.Id);
        Assert.Equal(CardStatus.Ready, survey["fixture-notebook"].State);
        Assert.Equal(CardStatus.NoCheckpoint, survey["slr-phoenix-2014t-test"].State);
        Assert.Equal(CardStatus.NoData, survey["slr-phoenix-2014-test"].State);
        Assert.Equal(CardStatus.NoData, survey["slt-csl-daily-test-bleu4"].State);
        Assert.Equal(CardStatus.NoCheckpoint, survey["slt-phoenix-2014t-test-bleu4"].State);

        var ran = PaperTables.RunReady(survey.Values.ToList()).ToDictionary(s => s.Card.Id);
        Assert.Equal(CardStatus.Ran, ran["fixture-notebook"].State);
        Assert.Equal(wer, ran["fixture-notebook"].Result!.Measured, 6);
        Assert.True(ran["fixture-notebook"].Result!.Passed);
        var row = PaperTables.Table(ran.Values.ToList()).Rows.Single(r => r[0] == "fixture-notebook");
        Assert.Equal([F(Math.Round(wer, 2)) + " ± 0.01", F(wer), "PASS"], row.Skip(5).Take(3));
        Assert.Equal(CardStatus.NoData, PaperTables.Survey(cards, null).Single(s => s.Card.Id == "fixture-notebook").State);
    }
}
