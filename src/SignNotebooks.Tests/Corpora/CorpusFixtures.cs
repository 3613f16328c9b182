using SignNotebooks.Synthetic;

namespace SignNotebooks.Tests.Corpora;

/// <summary>Small corpus trees in the exact original layouts, written for one test and deleted after it.</summary>
internal static class CorpusFixtures
{
    /// <summary>SynthSign tiny in the Phoenix-2014T layout, 2 clips per split (frames 64x64).</summary>
    public static SynthSignDataset ExportPhoenix2014T(string dir)
    {
        var ds = new SynthSignDataset("tiny");
        SynthExport.Export(ds, dir, limit: 2, maxThreads: 1);
        return ds;
    }

    /// <summary>Python: SLRT's keypoint pickle ({"&lt;split&gt;/&lt;name&gt;": {'keypoints': (T, 133, 3)}}) from the export's .npy files.</summary>
    public const string KeypointPickle = """
        import os, pickle, sys
        import numpy as np
        root, out = sys.argv[1], sys.argv[2]
        d = {}
        for split in ('train', 'dev', 'test'):
            for f in sorted(os.listdir(f'{root}/keypoints/{split}')):
                d[f'{split}/{f[:-4]}'] = {'keypoints': np.load(f'{root}/keypoints/{split}/{f}')}
        exec(sys.argv[3] if len(sys.argv) > 3 else '')
        with open(out, 'wb') as fh:
            pickle.dump(d, fh)
        """;

    public static readonly string[] P14Ids = ["01April_2010_Thursday_heute_default-0", "01April_2010_Thursday_tagesschau_default-1",
        "03May_2011_Tuesday_heute_default-2", "05July_2010_Monday_heute_default-3"];
    public static readonly string[] P14Splits = ["train", "train", "dev", "test"];

    /// <summary>Phoenix-2014 multisigner: 2 train, 1 dev, 1 test clip of 8x6 frames; frame t of clip c has red = 10t + c.</summary>
    public static void WritePhoenix2014(string dir, int frames = 4)
    {
        var ann = Path.Combine(dir, "annotations", "manual");
        Directory.CreateDirectory(ann);
        foreach (var split in new[] { "train", "dev", "test" })
        {
            var rows = new List<string> { "id|folder|signer|annotation" };
            for (int c = 0; c < P14Ids.Length; c++)
            {
                if (P14Splits[c] != split) continue;
                rows.Add($"{P14Ids[c]}|{P14Ids[c]}/1/*.png|Signer0{c + 1}|__ON__ REGEN WIND{(c == 3 ? " SCHNEE" : "")} __OFF__");
                var folder = Path.Combine(dir, "features", "fullFrame-210x260px", split, P14Ids[c], "1");
                Directory.CreateDirectory(folder);
                string stem = P14Ids[c][..P14Ids[c].LastIndexOf("_default", StringComparison.Ordinal)];
                for (int t = 0; t < frames; t++)
                {
                    var rgb = new byte[8 * 6 * 3];
                    for (int i = 0; i < rgb.Length; i += 3) { rgb[i] = (byte)(10 * t + c); rgb[i + 1] = 100; rgb[i + 2] = 200; }
                    File.WriteAllBytes(Path.Combine(folder, $"{stem}.avi_pid0_fn{t:D6}-0.png"), PngEncoder.Encode(rgb, 0, 8, 6));
                }
            }
            File.WriteAllLines(Path.Combine(ann, $"{split}.corpus.csv"), rows);
        }
    }

    /// <summary>SLRT's key for a Phoenix-2014 clip: fullFrame-210x260px/&lt;split&gt;/&lt;id&gt;/1/&lt;video stem&gt;.</summary>
    public static string P14Key(int c) =>
        $"fullFrame-210x260px/{P14Splits[c]}/{P14Ids[c]}/1/{P14Ids[c][..P14Ids[c].LastIndexOf("_default", StringComparison.Ordinal)]}";
}
