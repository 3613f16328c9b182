using SignNotebooks.Synthetic;

namespace SignNotebooks.Tests.Corpora;

/// <summary>`signnb data check` on SLRT's preprocessed form (lists, frames zip or folder, keypoint pickle), clean and damaged.</summary>
[Collection("Console")]
public sealed class CorporaSlrtCheckTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("signnb-slrtcheck-").FullName;
    public void Dispose() => Directory.Delete(_dir, true);
    private string Data => Path.Combine(_dir, "data");

    private (int code, string[] lines) Check(params string[] more)
    {
        var (code, stdout, stderr) = CliCapture.Run(["data", "check", "--dataset", "phoenix-2014t", "--root", Data, .. more]);
        Assert.True(stderr.Length == 0 || code != 0, stderr);
        return (code, stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    private SynthSignDataset Build()
    {
        var ds = CorpusFixtures.ExportPhoenix2014T(_dir);
        DebianPython.RunScript(CorpusFixtures.SlrtBuild, _dir);
        return ds;
    }

    private int TotalFrames(SynthSignDataset ds) =>
        new[] { "train", "dev", "test" }.Sum(s => ds.Generate(s, 0).FrameCount + ds.Generate(s, 1).FrameCount);

    [NumpyFact]
    public void The_zip_beside_the_lists_and_a_frame_folder_both_pass()
    {
        var ds = Build();
        DebianPython.RunScript(CorpusFixtures.KeypointPickle, _dir, Path.Combine(Data, "phoenix-2014t-keypoints.pkl"));
        var (code, lines) = Check();
        Assert.Equal(0, code);
        Assert.Equal($"SLRT preprocessed form: phoenix-2014t.train/.dev/.test in {Data}", lines[0]);
        Assert.DoesNotContain(lines, l => l.StartsWith("error:"));
        Assert.Contains("warning: phoenix-2014t.train: train has 2 clips; the official Phoenix-2014T release has 7096 (spec §9). " +
                        "Fix: nothing, if this is a subset on purpose; otherwise the file is from another release or truncated.", lines);
        Assert.Equal($"Phoenix-2014T at {Data}: 6 clips, {TotalFrames(ds)} frames checked; 0 errors, 5 warnings — ready to train", lines[^1]);
        Assert.Contains(lines, l => l.StartsWith("warning: phoenix-2014t.dev: 5 of 5 distinct dev glosses"));   // the SLRT list, not the original layout's file

        (code, lines) = Check("--frames", Path.Combine(Data, "frames"), "--decode");
        Assert.Equal(0, code);
        Assert.EndsWith("0 errors, 5 warnings — ready to train", lines[^1]);
    }

    [NumpyFact]
    public void Missing_frames_a_junked_zip_short_keypoints_and_a_missing_list_each_get_their_line()
    {
        var ds = Build();
        string dev0 = ds.Generate("dev", 0).Name, test1 = ds.Generate("test", 1).Name, train0 = ds.Generate("train", 0).Name;
        var frames = Path.Combine(Data, "frames");
        File.Delete(Path.Combine(frames, "images", "dev", dev0, "images0003.png"));                 // a gap
        Directory.Delete(Path.Combine(frames, "images", "test", test1), true);                      // a whole clip
        DebianPython.RunScript(CorpusFixtures.KeypointPickle, _dir, Path.Combine(Data, "phoenix-2014t-keypoints.pkl"),
            $"d['train/{train0}']['keypoints'] = d['train/{train0}']['keypoints'][:-1]");           // one frame short
        var (code, lines) = Check("--frames", frames);
        Assert.Equal(1, code);
        int devT = ds.Generate("dev", 0).FrameCount, testT = ds.Generate("test", 1).FrameCount, trainT = ds.Generate("train", 0).FrameCount;
        Assert.Contains($"error: phoenix-2014t.dev record 1 (dev/{dev0}): 1 of its {devT} frames are missing from {frames}, the first images/dev/{dev0}/images0003.png. " +
                        "Fix: unpack this clip's frames at SLRT's inner paths (spec §9), or drop its record.", lines);
        Assert.Contains($"error: phoenix-2014t.test record 2 (test/{test1}): none of its {testT} frames is in {frames} (looked for images/test/{test1}/images0001.png). " +
                        "Fix: unpack this clip's frames at SLRT's inner paths (spec §9), or drop its record.", lines);
        Assert.Contains(lines, l => l.StartsWith($"error: {Path.Combine(Data, "phoenix-2014t-keypoints.pkl")} ['train/{train0}']: {trainT - 1} frames of keypoints, but train/{train0} has {trainT} frames."));

        (code, lines) = Check("--frames", Path.Combine(Data, "junked.zip"));
        Assert.Equal(1, code);
        Assert.Single(lines, l => l.StartsWith("error:") && !l.Contains("keypoints"));
        Assert.Contains($"error: {Path.Combine(Data, "junked.zip")}: the zip has no folders, so none of the inner paths SLRT reads exists (e.g. images/train/{train0}/images0001.png). " +
                        "Fix: SLRT's zip scripts junk the paths (zip -r -j); unpack the frames to a folder with these paths and pass the folder.", lines);

        File.Delete(Path.Combine(Data, "phoenix-2014t.test"));
        (code, lines) = Check();
        Assert.Equal(1, code);
        Assert.Contains("error: phoenix-2014t.test: annotation list not found. Fix: copy data/phoenix-2014t/phoenix-2014t.test from SLRT's release (a gzip-pickled list, spec §9).", lines);
    }
}
