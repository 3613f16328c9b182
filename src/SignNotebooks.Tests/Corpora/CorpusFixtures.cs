using SignNotebooks.Synthetic;
using SkiaSharp;

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

    /// <summary>Python: data/phoenix-2014t.{split} lists, the videos zip at SLRT's inner paths, the same as a folder, and a junked zip.</summary>
    public const string SlrtBuild = """
        import gzip, os, pickle, shutil, sys, zipfile
        root = sys.argv[1]
        data = root + '/data'
        os.makedirs(data, exist_ok=True)
        feats = root + '/features/fullFrame-64x64px'
        z = zipfile.ZipFile(data + '/phoenix-2014t-videos.zip', 'w')
        j = zipfile.ZipFile(data + '/junked.zip', 'w')
        for split in ('train', 'dev', 'test'):
            rows = open(f'{root}/annotations/manual/PHOENIX-2014-T.{split}.corpus.csv', encoding='utf-8').read().splitlines()[1:]
            records = []
            for row in rows:
                name, _, _, _, speaker, orth, translation = row.split('|')
                frames = sorted(os.listdir(f'{feats}/{split}/{name}'))
                for f in frames:
                    z.write(f'{feats}/{split}/{name}/{f}', f'images/{split}/{name}/{f}')
                    j.write(f'{feats}/{split}/{name}/{f}', f)
                    os.makedirs(f'{data}/frames/images/{split}/{name}', exist_ok=True)
                    shutil.copy(f'{feats}/{split}/{name}/{f}', f'{data}/frames/images/{split}/{name}/{f}')
                records.append({'name': f'{split}/{name}', 'signer': speaker, 'gloss': orth, 'text': translation, 'num_frames': len(frames)})
            with gzip.open(f'{data}/phoenix-2014t.{split}', 'wb') as fh:
                pickle.dump(records, fh)
        z.close(); j.close()
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

    public static readonly string[] CslNames = ["S000000_P0000_T00", "S000001_P0000_T00", "S000002_P0001_T00", "S000003_P0002_T00"];
    public static readonly string[] CslSplits = ["train", "train", "dev", "test"];

    /// <summary>
    /// CSL-Daily: csl2020ct_v2.pkl written by Python ({'info': [...], 'gloss_map': ...}), split_1.txt, and 3 JPEG
    /// frames of 8x8 per video whose colour is (40c + 10t, 120, 200). A fifth video is labelled but in no split.
    /// </summary>
    public static void WriteCslDaily(string dir)
    {
        Directory.CreateDirectory(Path.Combine(dir, "sentence_label"));
        DebianPython.RunScript("""
            import pickle, sys
            names = sys.argv[2:]
            glosses = [['我', 'APP'], ['你', '好'], ['我', '好'], ['你', '谁']]
            info = [{'name': n, 'length': 3, 'label_gloss': g, 'label_char': g + ['。'], 'label_word': g + ['。'],
                     'label_postag': ['r'] * (len(g) + 1), 'signer': i % 2, 'time': 0} for i, (n, g) in enumerate(zip(names, glosses))]
            info.append({'name': 'S999999_P0009_T00', 'length': 3, 'label_gloss': ['我'], 'label_char': ['我'], 'signer': 9, 'time': 0})
            pickle.dump({'info': info, 'gloss_map': ['我', '你', 'APP', '好', '谁']}, open(sys.argv[1] + '/sentence_label/csl2020ct_v2.pkl', 'wb'))
            """, [dir, .. CslNames]);
        File.WriteAllLines(Path.Combine(dir, "sentence_label", "split_1.txt"),
            ["name|split", .. CslNames.Select((n, i) => $"{n}|{CslSplits[i]}"), "S999999_P0009_T00|other"]);
        for (int c = 0; c < CslNames.Length; c++)
        {
            var folder = Path.Combine(dir, "sentence_frames-512x512", CslNames[c]);
            Directory.CreateDirectory(folder);
            for (int t = 0; t < 3; t++)
            {
                using var bmp = new SKBitmap(new SKImageInfo(8, 8, SKColorType.Rgba8888, SKAlphaType.Unpremul));
                bmp.Erase(new SKColor((byte)(40 * c + 10 * t), 120, 200));
                using var data = bmp.Encode(SKEncodedImageFormat.Jpeg, 95);
                File.WriteAllBytes(Path.Combine(folder, $"{t:D6}.jpg"), data.ToArray());
            }
        }
    }

    /// <summary>A JPEG of random pixels: unlike a flat colour, its scan data is long enough to cut without touching the headers.</summary>
    public static byte[] NoisyJpeg(int width, int height)
    {
        using var bmp = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        var rng = new Random(1);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++) bmp.SetPixel(x, y, new SKColor((byte)rng.Next(256), (byte)rng.Next(256), (byte)rng.Next(256)));
        using var data = bmp.Encode(SKEncodedImageFormat.Jpeg, 95);
        return data.ToArray();
    }
}
