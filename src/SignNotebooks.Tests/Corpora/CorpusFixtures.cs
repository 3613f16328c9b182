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
        for (int c = 0; c < CslNames.Length; c++) WriteCslFrames(dir, CslNames[c], 3, 8, c);
    }

    /// <summary>Frames sentence_frames-512x512/&lt;name&gt;/000000.jpg… of <paramref name="size"/>², frame t coloured (40c + 10t, 120, 200).</summary>
    private static void WriteCslFrames(string dir, string name, int frames, int size, int c)
    {
        var folder = Path.Combine(dir, "sentence_frames-512x512", name);
        Directory.CreateDirectory(folder);
        for (int t = 0; t < frames; t++)
        {
            using var bmp = new SKBitmap(new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Unpremul));
            bmp.Erase(new SKColor((byte)(40 * c + 10 * t), 120, 200));
            using var data = bmp.Encode(SKEncodedImageFormat.Jpeg, 95);
            File.WriteAllBytes(Path.Combine(folder, $"{t:D6}.jpg"), data.ToArray());
        }
    }

    /// <summary>
    /// Sentences for a CSL-Daily translation fixture: (split, word glosses, Chinese text with punctuation). Glosses recur
    /// across splits, and the Latin gloss APP is lower-cased by the vocabulary (spec §6) while the text keeps it.
    /// </summary>
    public static readonly (string Split, string[] Glosses, string Text)[] CslSentences =
    [
        ("train", ["今天", "天气", "好"], "今天天气很好。"),
        ("train", ["我", "去", "学校"], "我去学校。"),
        ("train", ["你", "喜欢", "什么"], "你喜欢什么？"),
        ("train", ["明天", "下雨", "我", "不", "去"], "明天下雨，我不去。"),
        ("train", ["我", "用", "APP", "买", "票"], "我用APP买票。"),
        ("train", ["他", "是", "医生"], "他是医生。"),
        ("train", ["我们", "一起", "吃饭"], "我们一起吃饭吧。"),
        ("train", ["你", "家", "在", "哪里"], "你家在哪里？"),
        ("dev", ["今天", "我", "去", "医院"], "今天我去医院。"),
        ("dev", ["你", "喜欢", "吃饭", "吗"], "你喜欢吃饭吗？"),
        ("dev", ["明天", "天气", "好"], "明天天气很好。"),
        ("dev", ["他", "用", "APP"], "他用APP，很方便。"),
        ("dev", ["我们", "去", "学校"], "我们去学校。"),
        ("dev", ["他", "家", "在", "北京"], "他家在北京。"),
        ("test", ["我", "喜欢", "下雨"], "我喜欢下雨。"),
        ("test", ["你", "是", "医生", "吗"], "你是医生吗？"),
        ("test", ["今天", "我们", "一起", "去"], "今天我们一起去，好吗？"),
        ("test", ["我", "家", "在", "北京"], "我家在北京。"),
        ("test", ["明天", "你", "去", "哪里"], "明天你去哪里？"),
        ("test", ["他", "不", "喜欢", "APP"], "他不喜欢APP。"),
    ];

    /// <summary>Video i of <see cref="CslSentences"/>: S00000i_P000(i mod 3)_T00, as CSL-Daily names them.</summary>
    public static string CslSentenceName(int i) => $"S{i:D6}_P{i % 3:D4}_T00";

    /// <summary>
    /// CSL-Daily in its original layout with the <see cref="CslSentences"/> (8 train, 6 dev, 6 test videos): label_char
    /// holds the text's characters, label_gloss the glosses, length the frame count; video i has 8 + 7i mod 29 JPEG
    /// frames of 4x4, so clips differ in length.
    /// </summary>
    public static void WriteCslDailySentences(string dir)
    {
        Directory.CreateDirectory(Path.Combine(dir, "sentence_label"));
        var videos = CslSentences.Select((s, i) => new
        {
            name = CslSentenceName(i), length = 8 + 7 * i % 29, label_gloss = s.Glosses,
            label_char = s.Text.EnumerateRunes().Select(r => r.ToString()).ToArray(), label_word = s.Glosses.Append(s.Text[^1..]).ToArray(),
            signer = i % 3, time = 0,
        }).ToArray();
        DebianPython.RunScript("""
            import json, pickle, sys
            info = json.loads(sys.argv[2])
            gloss_map = sorted({g for v in info for g in v['label_gloss']})
            pickle.dump({'info': info, 'gloss_map': gloss_map}, open(sys.argv[1] + '/sentence_label/csl2020ct_v2.pkl', 'wb'))
            """, dir, System.Text.Json.JsonSerializer.Serialize(videos));
        File.WriteAllLines(Path.Combine(dir, "sentence_label", "split_1.txt"), ["name|split", .. videos.Select((v, i) => $"{v.name}|{CslSentences[i].Split}")]);
        for (int i = 0; i < videos.Length; i++) WriteCslFrames(dir, videos[i].name, videos[i].length, 4, i);
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
