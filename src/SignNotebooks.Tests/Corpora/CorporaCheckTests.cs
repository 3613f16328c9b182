using SignNotebooks.Synthetic;

namespace SignNotebooks.Tests.Corpora;

/// <summary>`signnb data check` on fixture trees with each kind of damage: the exact line per problem, the exit code.</summary>
[Collection("Console")]
public sealed class CorporaCheckTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("signnb-check-").FullName;
    public void Dispose() => Directory.Delete(_dir, true);

    private const string Frames = "features/fullFrame-64x64px";
    private static string Csv(string split) => $"annotations/manual/PHOENIX-2014-T.{split}.corpus.csv";

    private static (int code, string[] lines, string stderr) Run(params string[] args)
    {
        var (code, stdout, stderr) = CliCapture.Run(args);
        return (code, stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries), stderr);
    }

    private (int code, string[] lines, string stderr) Check(params string[] more) =>
        Run(["data", "check", "--dataset", "phoenix-2014t", "--root", _dir, .. more]);

    private string FramePath(SynthSignDataset ds, string split, int clip, int frame) =>
        Path.Combine(_dir, Frames, split, ds.Generate(split, clip).Name, $"images{frame:D4}.png");

    [Fact]
    public void A_clean_export_passes_with_split_size_warnings_only()
    {
        var ds = CorpusFixtures.ExportPhoenix2014T(_dir);
        var (code, lines, _) = Check();
        Assert.Equal(0, code);
        Assert.DoesNotContain(lines, l => l.StartsWith("error:"));
        Assert.Contains($"warning: {Csv("train")}: train has 2 clips; the official Phoenix-2014T release has 7096 (spec §9). " +
                        "Fix: nothing, if this is a subset on purpose; otherwise the download or unpacking is incomplete.", lines);
        Assert.Contains(lines, l => l.StartsWith($"warning: {Csv("dev")}: dev has 2 clips; the official Phoenix-2014T release has 519"));
        int frames = new[] { "train", "dev", "test" }.Sum(s => ds.Generate(s, 0).FrameCount + ds.Generate(s, 1).FrameCount);
        Assert.StartsWith($"Phoenix-2014T at {_dir}: 6 clips, {frames} frames checked; 0 errors, ", lines[^1]);
        Assert.EndsWith(" — ready to train", lines[^1]);
    }

    [Fact]
    public void Each_kind_of_damage_gives_its_own_line_and_exit_code_1()
    {
        var ds = CorpusFixtures.ExportPhoenix2014T(_dir);
        string dev0 = ds.Generate("dev", 0).Name, train0 = ds.Generate("train", 0).Name, train1 = ds.Generate("train", 1).Name;
        string test0 = ds.Generate("test", 0).Name, test1 = ds.Generate("test", 1).Name;
        Directory.Delete(Path.Combine(_dir, Frames, "dev", dev0), true);                       // missing folder
        File.Delete(FramePath(ds, "train", 0, 3));                                              // a gap in the numbering
        var png = File.ReadAllBytes(FramePath(ds, "train", 1, 2));
        File.WriteAllBytes(FramePath(ds, "train", 1, 2), png[..(png.Length / 2)]);             // truncated
        File.WriteAllText(FramePath(ds, "test", 1, 1), "not an image");                         // not an image at all
        Directory.CreateDirectory(Path.Combine(_dir, Frames, "test", "stray_clip"));            // extra folder
        var testCsv = Path.Combine(_dir, Csv("test"));
        var rows = File.ReadAllLines(testCsv);
        var f = rows[1].Split('|'); f[5] = ""; rows[1] = string.Join('|', f);                  // empty orth
        File.WriteAllLines(testCsv, [.. rows, "broken|row"]);                                  // wrong field count

        var (code, lines, _) = Check();
        Assert.Equal(1, code);
        string[] expected =
        [
            $"error: {Csv("test")}:2 ({test0}): empty 'orth' field. Fix: fill it in from the original annotation or drop the row.",
            $"error: {Csv("test")}:4: 2 fields, expected 7 (name|video|start|end|speaker|orth|translation). Fix: repair the row; '|' must not occur inside a field.",
            $"error: {Csv("train")}:2 ({train0}): frame numbers jump from 2 to 4 at images0004.png (frame 3 is missing). " +
                "Fix: extract the clip's frames again; a gap shifts every later frame against the keypoints.",
            $"error: {Frames}/train/{train1}/images0002.png: unreadable frame of {train1}: truncated PNG (no IEND chunk at the end). Fix: extract this frame again from the video.",
            $"error: {Csv("dev")}:2 ({dev0}): frame folder {Frames}/dev/{dev0} not found. Fix: unpack this clip's frames there, or drop its row.",
            $"error: {Frames}/test/{test1}/images0001.png: unreadable frame of {test1}: not a PNG or JPEG image. Fix: extract this frame again from the video.",
            $"warning: {Frames}/test/stray_clip: frame folder has no row in {Csv("test")}. Fix: remove it, or add its annotation row (it is never read as it is).",
        ];
        foreach (var line in expected) Assert.Contains(line, lines);
        // the row with the empty field is not checked further, so its folder counts as extra
        Assert.Contains($"warning: {Frames}/test/{test0}: frame folder has no row in {Csv("test")}. Fix: remove it, or add its annotation row (it is never read as it is).", lines);
        Assert.Equal(6, lines.Count(l => l.StartsWith("error:")));
        Assert.Matches(@"; 6 errors, \d+ warnings — fix the errors before training$", lines[^1]);
    }

    [Fact]
    public void Decode_mode_also_finds_damage_inside_a_complete_file()
    {
        var ds = CorpusFixtures.ExportPhoenix2014T(_dir);
        var path = FramePath(ds, "dev", 1, 1);
        var png = File.ReadAllBytes(path);
        for (int i = 60; i < png.Length - 40; i++) png[i] ^= 0x5A;   // scramble the compressed pixels, keep header and IEND
        File.WriteAllBytes(path, png);
        Assert.Equal(0, Check().code);                                 // the cheap checks cannot see it…
        var (code, lines, _) = Check("--decode");                      // …decoding does
        Assert.Equal(1, code);
        Assert.Contains(lines, l => l.StartsWith($"error: {Frames}/dev/{ds.Generate("dev", 1).Name}/images0001.png: unreadable frame of {ds.Generate("dev", 1).Name}: cannot be decoded"));
    }

    [NumpyFact]
    public void Keypoint_arrays_are_compared_with_the_frame_folders()
    {
        var ds = CorpusFixtures.ExportPhoenix2014T(_dir);
        string train0 = ds.Generate("train", 0).Name, dev1 = ds.Generate("dev", 1).Name, test0 = ds.Generate("test", 0).Name;
        int t0 = ds.Generate("train", 0).FrameCount, tt = ds.Generate("test", 0).FrameCount;
        var kp = Path.Combine(_dir, "phoenix-2014t-keypoints.pkl");
        DebianPython.RunScript(CorpusFixtures.KeypointPickle, _dir, kp,
            $"d['train/{train0}']['keypoints'] = d['train/{train0}']['keypoints'][1:]; del d['dev/{dev1}']; " +
            $"d['test/{test0}']['keypoints'] = d['test/{test0}']['keypoints'][:, :17]; d['train/ghost'] = d['train/{train0}']");
        var (code, lines, _) = Check("--keypoints", kp);
        Assert.Equal(1, code);
        string[] expected =
        [
            $"error: {kp} ['train/{train0}']: {t0 - 1} frames of keypoints, but {Frames}/train/{train0} has {t0} frames. " +
                "Fix: extract keypoints and frames from the same video (a frame count mismatch misaligns the two streams).",
            $"error: {kp} ['test/{test0}']: shape ({tt}, 17, 3), expected (T, 133, 3) COCO-WholeBody (x, y, score). Fix: use the whole-body keypoint file SLRT publishes.",
            $"error: {Csv("dev")}:3 ({dev1}): no keypoints in {kp} (looked for 'dev/{dev1}'). Fix: use a keypoint file extracted from this release, or extract the missing clip.",
            $"warning: {kp}: 1 keypoint entries match no annotation row (e.g. 'train/ghost'). Fix: nothing, if the annotations are a subset on purpose; otherwise the rows are missing.",
        ];
        foreach (var line in expected) Assert.Contains(line, lines);
        Assert.Equal(3, lines.Count(l => l.StartsWith("error:")));
    }

    [NumpyFact]
    public void A_keypoint_file_of_another_corpus_is_one_line()
    {
        CorpusFixtures.ExportPhoenix2014T(_dir);
        var kp = Path.Combine(_dir, "csl-daily-keypoints.pkl");
        DebianPython.RunScript("""
            import pickle, sys
            import numpy as np
            pickle.dump({f'S00000{i}_P0000_T00': {'keypoints': np.zeros((5, 133, 3), np.float32)} for i in range(3)}, open(sys.argv[1], 'wb'))
            """, kp);
        var (code, lines, _) = Check("--keypoints", kp);
        Assert.Equal(1, code);
        var train0 = new SynthSignDataset("tiny").Generate("train", 0).Name;
        Assert.Equal([$"error: {kp}: none of the 6 clips has keypoints here (the file holds 3 entries, e.g. 'S000000_P0000_T00'; expected names like 'train/{train0}'). " +
                      "Fix: this is probably the keypoint file of another corpus; pass the one for this dataset."],
            lines.Where(l => l.StartsWith("error:")));
    }

    [Fact]
    public void Missing_annotations_and_the_wrong_dataset_are_named()
    {
        CorpusFixtures.ExportPhoenix2014T(_dir);
        File.Delete(Path.Combine(_dir, Csv("dev")));
        var (code, lines, _) = Check();
        Assert.Equal(1, code);
        Assert.Contains($"error: {Csv("dev")}: annotation file not found. Fix: copy it from the corpus download (annotations/manual/).", lines);
        Assert.Contains($"warning: {Frames}/dev/{new SynthSignDataset("tiny").Generate("dev", 0).Name}: frame folder has no row in {Csv("dev")}. " +
                        "Fix: remove it, or add its annotation row (it is never read as it is).", lines);
        var wrong = Run("data", "check", "--dataset", "phoenix-2014", "--root", _dir);
        Assert.Equal(1, wrong.code);
        Assert.Contains("error: annotations/manual/train.corpus.csv: annotation file not found. Fix: copy it from the corpus download (annotations/manual/).", wrong.lines);
        Assert.Equal(2, Run("data", "check", "--dataset", "phoenix", "--root", _dir).code);
        var none = Run("data", "check", "--dataset", "phoenix-2014t", "--root", Path.Combine(_dir, "nowhere"));
        Assert.Equal($"error: {Path.Combine(_dir, "nowhere")}: corpus folder not found. Fix: pass the folder that holds annotations/ and features/.", none.lines[0]);
    }

    [Fact]
    public void Phoenix2014_multisigner_fixture_checks_clean_and_reports_a_gap()
    {
        CorpusFixtures.WritePhoenix2014(_dir);
        var clean = Run("data", "check", "--dataset", "phoenix-2014", "--root", _dir);
        Assert.Equal(0, clean.code);
        // SCHNEE (test only) is not in train
        Assert.Contains("warning: annotations/manual/test.corpus.csv: 1 of 5 distinct test glosses (1 of 5 occurrences) never occur in train: SCHNEE. " +
                        "Fix: nothing, the official splits have a few; many mean the train annotations are incomplete (they count as errors in WER).", clean.lines);
        var id = CorpusFixtures.P14Ids[2];
        File.Delete(Path.Combine(_dir, "features", "fullFrame-210x260px", "dev", id, "1", id[..id.LastIndexOf("_default", StringComparison.Ordinal)] + ".avi_pid0_fn000000-0.png"));
        var (code, lines, _) = Run("data", "check", "--dataset", "phoenix-2014", "--root", _dir);
        Assert.Equal(1, code);
        Assert.Contains($"error: annotations/manual/dev.corpus.csv:2 ({id}): frame numbers jump from -1 to 1 at {id[..id.LastIndexOf("_default", StringComparison.Ordinal)]}.avi_pid0_fn000001-0.png (frame 0 is missing). " +
                        "Fix: extract the clip's frames again; a gap shifts every later frame against the keypoints.", lines);
    }

    [NumpyFact]
    public void CslDaily_fixture_checks_clean_and_reports_each_damage()
    {
        CorpusFixtures.WriteCslDaily(_dir);
        var clean = Run("data", "check", "--dataset", "csl-daily", "--root", _dir);
        Assert.True(clean.code == 0, string.Join('\n', clean.lines));
        Assert.Contains("warning: sentence_label/split_1.txt: train has 2 clips; the official CSL-Daily release has 18401 (spec §9). " +
                        "Fix: nothing, if this is a subset on purpose; otherwise the download or unpacking is incomplete.", clean.lines);
        // Each 3-frame clip reaches the T/4 heads as 1 frame (eval pads to 4), too few for its 2 glosses (issue 20, spec §6).
        string[] n = CorpusFixtures.CslNames;
        Assert.Contains(clean.lines, l => l.StartsWith("warning: ") && l.Contains($"({n[0]}): 2 glosses (0 adjacent repeats) need 2 output frames, " +
            "but its 3 frames give only 1 at the T/4 heads even unaugmented, so its CTC loss is always zeroed in training (spec §6 zero_infinity)."));
        Assert.Equal(4, clean.lines.Count(l => l.Contains("at the T/4 heads even unaugmented")));
        Assert.Equal("CSL-Daily at " + _dir + ": 4 clips, 12 frames checked; 0 errors, 8 warnings — ready to train", clean.lines[^1]);

        File.Delete(Path.Combine(_dir, "sentence_frames-512x512", n[2], "000001.jpg"));
        File.Copy(Path.Combine(_dir, "sentence_frames-512x512", n[0], "000002.jpg"), Path.Combine(_dir, "sentence_frames-512x512", n[0], "000003.jpg"));
        var jpg = Path.Combine(_dir, "sentence_frames-512x512", n[3], "000002.jpg");
        var bytes = CorpusFixtures.NoisyJpeg(8, 8);
        File.WriteAllBytes(jpg, bytes[..(bytes.Length - 40)]);   // the scan data ends early, as after an interrupted copy
        Directory.CreateDirectory(Path.Combine(_dir, "sentence_frames-512x512", "S777777_P0000_T00"));
        File.AppendAllLines(Path.Combine(_dir, "sentence_label", "split_1.txt"), ["S888888_P0000_T00|train"]);
        var (code, lines, _) = Run("data", "check", "--dataset", "csl-daily", "--root", _dir);
        Assert.Equal(1, code);
        string[] expected =
        [
            "error: sentence_label/split_1.txt:7 (S888888_P0000_T00): no record in sentence_label/csl2020ct_v2.pkl. Fix: use the split and label files of the same download.",
            $"error: sentence_label/split_1.txt:2 ({n[0]}): the annotation says 3 frames, sentence_frames-512x512/{n[0]} has 4. " +
                "Fix: extract the clip's frames again (or the annotation belongs to another version of the video).",
            $"error: sentence_label/split_1.txt:4 ({n[2]}): the annotation says 3 frames, sentence_frames-512x512/{n[2]} has 2. " +
                "Fix: extract the clip's frames again (or the annotation belongs to another version of the video).",
            $"error: sentence_label/split_1.txt:4 ({n[2]}): frame numbers jump from 0 to 2 at 000002.jpg (frame 1 is missing). " +
                "Fix: extract the clip's frames again; a gap shifts every later frame against the keypoints.",
            $"error: sentence_frames-512x512/{n[3]}/000002.jpg: unreadable frame of {n[3]}: truncated JPEG (no end-of-image marker). Fix: extract this frame again from the video.",
            "warning: sentence_frames-512x512/S777777_P0000_T00: frame folder has no row in sentence_label/split_1.txt. Fix: remove it, or add its annotation row (it is never read as it is).",
        ];
        foreach (var line in expected) Assert.True(lines.Contains(line), string.Join("\n", lines));
        Assert.Equal(5, lines.Count(l => l.StartsWith("error:")));
    }

    [NumpyFact]
    public void Glosses_missing_from_an_official_gloss2ids_are_reported()
    {
        CorpusFixtures.WritePhoenix2014(_dir);
        var g2i = Path.Combine(_dir, "gloss2ids.pkl");
        DebianPython.RunScript("""
            import pickle, sys
            pickle.dump({'<s>': 0, '<pad>': 1, '</s>': 2, '<unk>': 3, '<mask>': 4, 'REGEN': 4, '__OFF__': 5, '__ON__': 6}, open(sys.argv[1], 'wb'))
            """, g2i);
        var (code, lines, _) = Run("data", "check", "--dataset", "phoenix-2014", "--root", _dir, "--gloss2ids", g2i);
        Assert.Equal(1, code);
        Assert.Contains($"error: {g2i}: 1 distinct train glosses are not in it (WIND); they become <unk>. " +
                        "Fix: use the gloss2ids.pkl of Phoenix-2014 that matches these annotations (not a pruned or other-corpus file).", lines);
        Assert.Contains($"warning: {g2i}: 2 distinct test glosses are not in it (SCHNEE WIND); they become <unk>. " +
                        "Fix: nothing, if these glosses are unseen in training; they count as errors in WER.", lines);
    }
}
