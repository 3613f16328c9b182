using System.Diagnostics;
using System.Globalization;
using SignNotebooks.Corpora;
using SignNotebooks.Synthetic;
using SignNotebooks.Util;

namespace SignNotebooks.Pose;

/// <summary>One clip to extract: its key in the output pickle and how to read its frames (lazily).</summary>
public sealed record ExtractionItem(string Name, Func<IEnumerable<RgbFrame>> Frames);

/// <summary>What a batch extraction did.</summary>
public sealed record ExtractionSummary(int Clips, long Frames, double Seconds)
{
    public double FramesPerSecond => Frames / Math.Max(Seconds, 1e-9);
}

/// <summary>
/// Many clips into one SLRT keypoint pickle: the clips of a folder of videos, of a folder of frame folders, or of a
/// corpus (SynthSign, or a real corpus with SLRT's key names, spec §9), optionally one shard of them
/// (<c>--shard i/N</c>: every N-th clip in name order starting at i, so N machines or processes split a corpus
/// without talking to each other), with a progress line in frames per second.
/// </summary>
public static class ExtractionJob
{
    private static readonly string[] VideoExtensions = [".mp4", ".avi", ".mov", ".mkv", ".webm", ".m4v"];

    /// <summary>Every video file of a folder (sorted by name), keyed by file name without extension.</summary>
    public static IReadOnlyList<ExtractionItem> Videos(string dir)
    {
        if (!Directory.Exists(dir)) throw new UserFacingException($"{dir}: folder not found. Fix: pass a folder of video files (--videos DIR).");
        var files = Directory.GetFiles(dir).Where(f => VideoExtensions.Contains(Path.GetExtension(f).ToLowerInvariant())).Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0) throw new UserFacingException($"{dir}: no video files ({string.Join(", ", VideoExtensions)}). Fix: pass the folder that holds the videos.");
        return files.Select(f => new ExtractionItem(Path.GetFileNameWithoutExtension(f), () => VideoReader.Read(f))).ToList();
    }

    /// <summary>Every sub-folder of <paramref name="root"/> that holds frames, keyed by its name.</summary>
    public static IReadOnlyList<ExtractionItem> FrameFolders(string root)
    {
        if (!Directory.Exists(root)) throw new UserFacingException($"{root}: folder not found. Fix: pass a folder of frame folders (--frames-root DIR).");
        var dirs = Directory.GetDirectories(root).Order(StringComparer.Ordinal).ToList();
        if (dirs.Count == 0) throw new UserFacingException($"{root}: no sub-folders. Fix: pass the folder whose sub-folders hold one clip's frames each.");
        return dirs.Select(d => new ExtractionItem(Path.GetFileName(d), () => FrameFolderReader.Read(d))).ToList();
    }

    /// <summary>
    /// The clips of a corpus split (or every split for "all"): SynthSign (<paramref name="dataset"/> "synthsign",
    /// <paramref name="root"/> = its profile) keyed "split/name"; a real corpus keyed by SLRT's first key name.
    /// </summary>
    public static IReadOnlyList<ExtractionItem> Corpus(string dataset, string root, string split)
    {
        if (dataset == "synthsign")
        {
            var ds = new SynthSignDataset(root);
            var splits = split == "all" ? SynthSignDataset.SplitNames : [split];
            return splits.SelectMany(s => Enumerable.Range(0, ds.Profile.ClipCount(s)).Select(i => new ExtractionItem($"{s}/{SynthGenerator.ClipName(s, i)}", () => Frames(ds.Generate(s, i))))).ToList();
        }
        var corpus = new FolderCorpus(dataset, root);
        var names = split == "all" ? corpus.Splits : [split];
        return names.SelectMany(s => corpus.ClipNames(s).Select(n =>
        {
            var r = corpus.Record(s, n);
            return new ExtractionItem(SlrtKey(corpus, r), () => Frames(corpus.Load(s, n)));
        })).ToList();
    }

    // Phoenix-2014's SLRT key ends in the video stem, which only the frame file names carry
    // ("<stem>.avi_pid0_fn000000-0.png", spec §9); the other corpora's first key is complete.
    private static string SlrtKey(FolderCorpus corpus, CorpusRecord r)
    {
        if (r.KeypointKeys.Length == 0) return r.Name;
        if (corpus.Layout.Name != "phoenix-2014") return r.KeypointKeys[0];
        var dir = Path.Combine(corpus.Root, r.FrameDir);
        var first = Directory.Exists(dir) ? Directory.GetFiles(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal).FirstOrDefault() : null;
        int avi = first?.IndexOf(".avi", StringComparison.Ordinal) ?? -1;
        return avi > 0 ? $"{r.KeypointKeys[0]}/{first![..avi]}" : r.KeypointKeys[0];
    }

    private static IEnumerable<RgbFrame> Frames(SynthClip c) => Enumerable.Range(0, c.FrameCount).Select(t => SynthPoseTrainer.FrameOf(c, t));

    private static IEnumerable<RgbFrame> Frames(Data.SignClip c)
    {
        int size = c.Width * c.Height * 3;
        for (int t = 0; t < c.FrameCount; t++) yield return new RgbFrame(c.Width, c.Height, c.Frames!.AsSpan(t * size, size).ToArray());
    }

    /// <summary>"i/N" with 0 ≤ i &lt; N.</summary>
    public static (int Index, int Count) ParseShard(string text)
    {
        var p = text.Split('/');
        if (p.Length == 2 && int.TryParse(p[0], CultureInfo.InvariantCulture, out int i) && int.TryParse(p[1], CultureInfo.InvariantCulture, out int n) && n >= 1 && i >= 0 && i < n)
            return (i, n);
        throw new UserFacingException($"shard '{text}' is not i/N with 0 ≤ i < N (e.g. 0/4 … 3/4). Fix: pass --shard i/N.");
    }

    /// <summary>Every N-th item starting at i, in the given (name) order.</summary>
    public static IReadOnlyList<T> Shard<T>(IReadOnlyList<T> items, (int Index, int Count) shard) =>
        items.Where((_, k) => k % shard.Count == shard.Index).ToList();

    /// <summary>Extracts every item into <paramref name="path"/> (SLRT pickle); <paramref name="progress"/> gets a status line after each frame.</summary>
    public static ExtractionSummary Run(PoseEstimator estimator, IReadOnlyList<ExtractionItem> items, string path, Action<string>? progress = null,
        PersonDetector? detector = null)
    {
        using var w = new KeypointPickleWriter(path);
        var sw = Stopwatch.StartNew();
        long frames = 0;
        for (int c = 0; c < items.Count; c++)
        {
            var item = items[c];
            var (kp, t) = KeypointExtractor.Extract(estimator, item.Frames(), progress: (done, _) =>
                progress?.Invoke(string.Create(CultureInfo.InvariantCulture, $"clip {c + 1}/{items.Count} {item.Name}: {done} frames; {(frames + done) / Math.Max(sw.Elapsed.TotalSeconds, 1e-9):F1} frames/s")), detector: detector);
            w.Add(item.Name, kp, t);
            frames += t;
        }
        w.Finish();
        return new ExtractionSummary(items.Count, frames, sw.Elapsed.TotalSeconds);
    }
}
