using SignNotebooks.Corpora;
using SignNotebooks.Util;

namespace SignNotebooks.Tests.Corpora;

/// <summary><see cref="FolderCorpus"/> on fixture trees in the original Phoenix-2014T and Phoenix-2014 layouts.</summary>
public sealed class CorporaLoaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("signnb-corpus-").FullName;
    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public void Phoenix2014T_loader_reads_the_synthetic_export_frame_exact()
    {
        var ds = CorpusFixtures.ExportPhoenix2014T(_dir);
        var corpus = new FolderCorpus("phoenix-2014t", _dir);
        Assert.Equal(["train", "dev", "test"], corpus.Splits);   // test-shift is SynthSign's own and not a Phoenix split
        foreach (var split in corpus.Splits)
        {
            var truth = ds.Generate(split, 1);
            Assert.Equal([ds.Generate(split, 0).Name, truth.Name], corpus.ClipNames(split));
            var clip = corpus.Load(split, truth.Name);
            Assert.Equal((truth.FrameCount, 64, 64), (clip.FrameCount, clip.Width, clip.Height));
            Assert.Equal(truth.Frames, clip.Frames);   // PNG is lossless: every pixel comes back
            Assert.Equal(truth.Glosses, clip.Glosses);
            Assert.Equal((truth.Signer.Id, truth.Translation, split), (clip.Signer, clip.Translation, clip.Split));
            Assert.Empty(clip.Keypoints);              // no keypoint file given
            var light = corpus.Load(split, truth.Name, withFrames: false);
            Assert.Null(light.Frames);
            Assert.Equal(truth.FrameCount, light.FrameCount);
        }
        var train = new[] { ds.Generate("train", 0), ds.Generate("train", 1) }.SelectMany(c => c.Glosses).Distinct().ToList();
        Assert.Equal(train, corpus.Glosses);
        Assert.Equal(9 + train.Select(g => g.ToLowerInvariant()).Distinct().Count(), corpus.Vocabulary.Count);   // spec §6: 9 mBART specials
    }

    [NumpyFact]
    public void Phoenix2014T_keypoints_come_from_an_slrt_pickle()
    {
        var ds = CorpusFixtures.ExportPhoenix2014T(_dir);
        var kp = Path.Combine(_dir, "phoenix-2014t-keypoints.pkl");
        DebianPython.RunScript(CorpusFixtures.KeypointPickle, _dir, kp);
        var corpus = new FolderCorpus("phoenix-2014t", _dir, kp);
        foreach (var split in corpus.Splits)
        {
            var name = corpus.ClipNames(split)[0];
            Assert.Equal(ds.Load(split, name, withFrames: false).Keypoints, corpus.Load(split, name, withFrames: false).Keypoints);
        }
    }

    [Fact]
    public void Phoenix2014_loader_reads_the_multisigner_layout()
    {
        CorpusFixtures.WritePhoenix2014(_dir);
        var corpus = new FolderCorpus("phoenix-2014", _dir);
        Assert.Equal(CorpusFixtures.P14Ids[..2], corpus.ClipNames("train"));
        var clip = corpus.Load("train", CorpusFixtures.P14Ids[1]);
        Assert.Equal((4, 8, 6, "Signer02"), (clip.FrameCount, clip.Width, clip.Height, clip.Signer));
        Assert.Equal(["__ON__", "REGEN", "WIND", "__OFF__"], clip.Glosses);
        Assert.Null(clip.Translation);
        for (int t = 0; t < 4; t++) Assert.Equal([(byte)(10 * t + 1), (byte)100, (byte)200], clip.Frames![(t * 48 * 3)..(t * 48 * 3 + 3)]);
        Assert.Equal($"features/fullFrame-210x260px/train/{CorpusFixtures.P14Ids[1]}/1", corpus.Record("train", CorpusFixtures.P14Ids[1]).FrameDir);
        // spec §6: REGEN shares id 4 with <mask>; upper case is kept
        Assert.Equal(4, corpus.Vocabulary.Encode("REGEN"));
        Assert.Equal(corpus.Vocabulary.UnkId, corpus.Vocabulary.Encode("regen"));
    }

    [NumpyFact]
    public void Phoenix2014_keypoints_are_found_under_slrt_names()
    {
        CorpusFixtures.WritePhoenix2014(_dir);
        var kp = Path.Combine(_dir, "phoenix-2014-keypoints.pkl");
        DebianPython.RunScript("""
            import pickle, sys
            import numpy as np
            keys = sys.argv[2:]
            d = {k: {'keypoints': np.full((4, 133, 3), i, dtype=np.float32)} for i, k in enumerate(keys)}
            pickle.dump(d, open(sys.argv[1], 'wb'))
            """, [kp, .. Enumerable.Range(0, 4).Select(CorpusFixtures.P14Key)]);
        var corpus = new FolderCorpus("phoenix-2014", _dir, kp);
        Assert.All(corpus.Load("dev", CorpusFixtures.P14Ids[2], withFrames: false).Keypoints, v => Assert.Equal(2f, v));
    }

    [Fact]
    public void A_damaged_folder_fails_at_open_or_load_with_the_file_and_the_fix()
    {
        var ds = CorpusFixtures.ExportPhoenix2014T(_dir);
        var name = ds.Generate("dev", 0).Name;
        Directory.Delete(Path.Combine(_dir, "features", "fullFrame-64x64px", "dev", name), true);
        var corpus = new FolderCorpus("phoenix-2014t", _dir);
        var e = Assert.Throws<UserFacingException>(() => corpus.Load("dev", name));
        Assert.Equal($"annotations/manual/PHOENIX-2014-T.dev.corpus.csv:2 ({name}): no .png frames in features/fullFrame-64x64px/dev/{name}. " +
                     "Fix: unpack the frames there, then run `signnb data check`.", e.Message);

        File.Delete(Path.Combine(_dir, "annotations", "manual", "PHOENIX-2014-T.test.corpus.csv"));
        var open = Assert.Throws<UserFacingException>(() => new FolderCorpus("phoenix-2014t", _dir));
        Assert.Equal($"Phoenix-2014T at {_dir}: error: annotations/manual/PHOENIX-2014-T.test.corpus.csv: annotation file not found. " +
                     "Fix: copy it from the corpus download (annotations/manual/). " +
                     $"Run `signnb data check --dataset phoenix-2014t --root {_dir}` for the full list.", open.Message);
    }

    [NumpyFact]
    public void CslDaily_loader_reads_the_label_pickle_the_split_file_and_jpeg_frames()
    {
        CorpusFixtures.WriteCslDaily(_dir);
        var corpus = new FolderCorpus("csl-daily", _dir);
        Assert.Equal(CorpusFixtures.CslNames[..2], corpus.ClipNames("train"));
        Assert.Equal([CorpusFixtures.CslNames[3]], corpus.ClipNames("test"));   // the video in no split is not listed
        var clip = corpus.Load("dev", CorpusFixtures.CslNames[2]);
        Assert.Equal((3, 8, 8, "0"), (clip.FrameCount, clip.Width, clip.Height, clip.Signer));
        Assert.Equal(["我", "好"], clip.Glosses);
        Assert.Equal("我好。", clip.Translation);
        for (int t = 0; t < 3; t++)   // JPEG is lossy: a flat colour comes back within a few levels
        {
            var px = clip.Frames![(t * 64 * 3)..(t * 64 * 3 + 3)];
            Assert.InRange(px[0], 80 + 10 * t - 4, 80 + 10 * t + 4);
            Assert.InRange(px[1], 116, 124);
            Assert.InRange(px[2], 196, 204);
        }
        Assert.Equal(["我", "APP", "你", "好"], corpus.Glosses);
        Assert.Equal(5, corpus.Vocabulary.Encode("APP"));   // spec §6: 4 specials, lower-cased lookup
    }
}
