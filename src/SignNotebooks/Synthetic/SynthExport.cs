using System.Text;
using System.Text.Json;
using SignNotebooks.Util;

namespace SignNotebooks.Synthetic;

/// <summary>
/// Writes a SynthSign corpus in the original Phoenix-2014T layout so the real-corpus loader runs on it:
/// <code>
/// annotations/manual/PHOENIX-2014-T.{train,dev,test,test-shift}.corpus.csv   name|video|start|end|speaker|orth|translation
/// features/fullFrame-WxHpx/&lt;split&gt;/&lt;name&gt;/images0001.png …             RGB frames, 1-based
/// keypoints/&lt;split&gt;/&lt;name&gt;.npy                                       (T, 133, 3) float32 detected (x, y, score)
/// groundtruth/&lt;split&gt;/&lt;name&gt;.clean.npy                               (T, 133, 3) float32 true keypoints
/// groundtruth/&lt;split&gt;.jsonl                                             per clip: frame labels, signer, background, …
/// synthsign.json, README.md                                               profile, seed, knobs, lexicon; this description
/// </code>
/// As in the real release, <c>video</c> reads <c>&lt;name&gt;/1/*.png</c> although the frames sit directly in
/// <c>&lt;name&gt;/</c>, and start/end are −1.
/// </summary>
public static class SynthExport
{
    public static readonly string[] Formats = ["phoenix-2014t"];

    /// <summary>Throws a UserFacingException unless <paramref name="dir"/> can be created and written.</summary>
    public static void EnsureWritable(string dir)
    {
        try
        {
            Directory.CreateDirectory(dir);
            var probe = Path.Combine(dir, $".signnb-write-test-{Environment.ProcessId}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new UserFacingException($"cannot write to output folder '{dir}' ({e.Message}); choose a folder you can write to with --out", e);
        }
    }

    /// <summary>Exports every split (at most <paramref name="limit"/> clips each); returns the number of clips written.</summary>
    public static int Export(SynthSignDataset ds, string outDir, string format = "phoenix-2014t", int limit = int.MaxValue,
        Action<string>? log = null, int maxThreads = -1)
    {
        if (!Formats.Contains(format))
            throw new UserFacingException($"unknown export format '{format}'; valid formats: {string.Join(", ", Formats)}");
        EnsureWritable(outDir);
        var p = ds.Profile;
        string features = $"fullFrame-{p.Width}x{p.Height}px";
        string ann = Path.Combine(outDir, "annotations", "manual");
        Directory.CreateDirectory(ann);
        int total = 0;
        foreach (var split in ds.Splits)
        {
            int n = Math.Min(limit, p.ClipCount(split));
            var rows = new string[n];
            var truth = new string[n];
            foreach (var d in new[] { Path.Combine(outDir, "keypoints", split), Path.Combine(outDir, "groundtruth", split) }) Directory.CreateDirectory(d);
            Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = maxThreads }, i =>
            {
                var clip = ds.Generate(split, i);
                var dir = Path.Combine(outDir, "features", features, split, clip.Name);
                Directory.CreateDirectory(dir);
                int frameBytes = clip.Width * clip.Height * 3;
                for (int t = 0; t < clip.FrameCount; t++)
                    File.WriteAllBytes(Path.Combine(dir, $"images{t + 1:D4}.png"), PngEncoder.Encode(clip.Frames!, t * frameBytes, clip.Width, clip.Height));
                NpyWriter.Write(Path.Combine(outDir, "keypoints", split, clip.Name + ".npy"), clip.DetectedKeypoints, clip.FrameCount, SynthLayout.Count, 3);
                NpyWriter.Write(Path.Combine(outDir, "groundtruth", split, clip.Name + ".clean.npy"), clip.CleanKeypoints, clip.FrameCount, SynthLayout.Count, 3);
                rows[i] = $"{clip.Name}|{clip.Name}/1/*.png|-1|-1|{clip.Signer.Id}|{string.Join(' ', clip.Glosses)}|{clip.Translation}";
                truth[i] = JsonSerializer.Serialize(new
                {
                    name = clip.Name, split, num_frames = clip.FrameCount, signer = clip.Signer.Id, background = clip.BackgroundFamily,
                    gloss = clip.Glosses, frame_gloss = clip.FrameGlossIndex, translation = clip.Translation,
                });
            });
            File.WriteAllText(Path.Combine(ann, $"PHOENIX-2014-T.{split}.corpus.csv"),
                "name|video|start|end|speaker|orth|translation\n" + string.Concat(rows.Select(r => r + "\n")), new UTF8Encoding(false));
            File.WriteAllText(Path.Combine(outDir, "groundtruth", split + ".jsonl"), string.Concat(truth.Select(r => r + "\n")), new UTF8Encoding(false));
            log?.Invoke($"{split}: {n} clips");
            total += n;
        }
        File.WriteAllText(Path.Combine(outDir, "synthsign.json"), JsonSerializer.Serialize(new
        {
            profile = p, seed = ds.Corpus.Seed, knobs = ds.Corpus.Knobs, limit = limit == int.MaxValue ? (int?)null : limit,
            lexicon = ds.Corpus.Lexicon.Entries.Select(e => new
            {
                gloss = e.Gloss, category = e.Category, handshape = e.Dominant.Name, passive = e.Passive?.Name, location = e.Location.ToString(),
                movement = e.Movement.Shape.ToString(), repeats = e.Movement.Repeats, speed = e.Movement.Speed, hands = e.Hands.ToString(),
                mouth = e.Mouth.ToString(), brows = e.Brows.ToString(),
            }),
        }, new JsonSerializerOptions { WriteIndented = true }));
        File.WriteAllText(Path.Combine(outDir, "README.md"), Readme(features));
        return total;
    }

    private static string Readme(string features) => $"""
        # SynthSign export (Phoenix-2014T layout)

        Written by `signnb synth export`. Synthetic data: every value here was generated, none was recorded.

        - `annotations/manual/PHOENIX-2014-T.<split>.corpus.csv`: `name|video|start|end|speaker|orth|translation`,
          splits train, dev, test and test-shift (unseen signers and backgrounds; same sentences as test).
        - `features/{features}/<split>/<name>/imagesNNNN.png`: RGB frames, numbered from 1.
        - `keypoints/<split>/<name>.npy`: float32 (T, 133, 3) detected COCO-WholeBody keypoints (x, y, score) in
          frame pixels; a missed keypoint is (0, 0, 0).
        - `groundtruth/<split>/<name>.clean.npy`: the true keypoints, same layout, score 1.
        - `groundtruth/<split>.jsonl`: one JSON object per clip: name, num_frames, signer, background,
          gloss (list), frame_gloss (per frame: index into gloss, -1 for rest/transition), translation.
        - `synthsign.json`: profile, seed, knobs and the lexicon's phonological parameters.
        """;
}
