using SignNotebooks.Corpora;
using SignNotebooks.Util;

namespace SignNotebooks.Tests.Corpora;

/// <summary><see cref="SlrtCorpus"/>: SLRT's preprocessed files (written by Python) over the synthetic Phoenix-2014T export.</summary>
public sealed class CorporaSlrtTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("signnb-slrt-").FullName;
    public void Dispose() => Directory.Delete(_dir, true);

    [NumpyFact]
    public void Slrt_lists_with_zip_or_folder_frames_load_like_the_original_layout()
    {
        var ds = CorpusFixtures.ExportPhoenix2014T(_dir);
        DebianPython.RunScript(CorpusFixtures.SlrtBuild, _dir);
        var kp = Path.Combine(_dir, "data", "phoenix-2014t-keypoints.pkl");
        DebianPython.RunScript(CorpusFixtures.KeypointPickle, _dir, kp);
        var original = new FolderCorpus("phoenix-2014t", _dir);
        var data = Path.Combine(_dir, "data");
        foreach (var frames in new[] { Path.Combine(data, "phoenix-2014t-videos.zip"), Path.Combine(data, "frames") })
        {
            using var slrt = new SlrtCorpus("phoenix-2014t", data, frames, kp);
            Assert.Equal(original.Glosses, slrt.Glosses);
            foreach (var split in slrt.Splits)
            {
                var name = original.ClipNames(split)[1];
                Assert.Equal($"{split}/{name}", slrt.ClipNames(split)[1]);
                var a = original.Load(split, name);
                var b = slrt.Load(split, $"{split}/{name}");
                Assert.Equal((a.FrameCount, a.Width, a.Height, a.Signer, a.Translation), (b.FrameCount, b.Width, b.Height, b.Signer, b.Translation));
                Assert.Equal(a.Frames, b.Frames);
                Assert.Equal(a.Glosses, b.Glosses);
                Assert.Equal(ds.Load(split, name, withFrames: false).Keypoints, b.Keypoints);
            }
        }
    }

    [NumpyFact]
    public void A_zip_with_junked_paths_is_explained()
    {
        CorpusFixtures.ExportPhoenix2014T(_dir);
        DebianPython.RunScript(CorpusFixtures.SlrtBuild, _dir);
        var data = Path.Combine(_dir, "data");
        var zip = Path.Combine(data, "junked.zip");
        using var slrt = new SlrtCorpus("phoenix-2014t", data, zip);
        var name = slrt.ClipNames("dev")[0];
        var e = Assert.Throws<UserFacingException>(() => slrt.Load("dev", name));
        Assert.Equal($"{zip}@images/{name}/images0001.png: not in the archive. Fix: SLRT's zip scripts junk the paths (zip -r -j); " +
                     "unpack the frames to a folder with these paths and pass the folder.", e.Message);
    }
}
