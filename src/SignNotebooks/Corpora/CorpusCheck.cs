using SignNotebooks.Util;

namespace SignNotebooks.Corpora;

/// <summary>
/// Checks a corpus folder before training (user need 4): annotation rows, frame folders and files, frame counts
/// against SLRT's keypoint arrays, folders without annotations, vocabulary coverage and split sizes against the
/// official release (spec §9). Every problem is one <see cref="CheckProblem"/>; nothing is thrown for bad data.
/// </summary>
public static partial class CorpusCheck
{
    /// <summary>Per-clip problems of one kind beyond this many are summed up in one line.</summary>
    public const int MaxLinesPerKind = 20;

    /// <param name="dataset">phoenix-2014, phoenix-2014t or csl-daily.</param>
    /// <param name="root">The corpus folder as unpacked from the download.</param>
    /// <param name="keypointFile">SLRT's keypoint pickle, or null.</param>
    /// <param name="decode">Decode every pixel (slow on a full corpus) instead of header and end-of-file checks.</param>
    /// <param name="glossIds">SLRT's gloss2ids.pkl, or null: annotation glosses it lacks are reported.</param>
    public static CheckReport Run(string dataset, string root, string? keypointFile = null, bool decode = false, string? glossIds = null)
    {
        var layout = CorpusLayout.Get(dataset);
        var problems = new List<CheckProblem>();
        if (!Directory.Exists(root))
        {
            problems.Add(CheckProblem.Error(root, "corpus folder not found", "pass the folder that holds annotations/ and features/"));
            return new CheckReport(layout, root, problems, 0, 0);
        }
        layout.SplitFrameRoot(root, "train", problems);   // reports a missing or ambiguous features/ folder once

        var records = layout.Splits.ToDictionary(s => s, s => layout.ReadSplit(root, s, problems));
        foreach (var (split, list) in records)
            foreach (var dup in list.GroupBy(r => r.Name).Where(g => g.Count() > 1))
                problems.Add(CheckProblem.Error($"{dup.Last().Source}:{dup.Last().Line} ({dup.Key})",
                    $"name '{dup.Key}' also on line {dup.First().Line}", "remove the duplicate row"));

        var frameCounts = new Dictionary<CorpusRecord, int>();
        var kinds = new Dictionary<string, int>();
        void Add(string kind, CheckProblem p)
        {
            int n = kinds[kind] = kinds.GetValueOrDefault(kind) + 1;
            if (n <= MaxLinesPerKind) problems.Add(p);
        }
        (int W, int H)? corpusSize = null;
        foreach (var split in layout.Splits)
        {
            foreach (var r in records[split])
            {
                string where = $"{r.Source}:{r.Line} ({r.Name})";
                var dir = Path.Combine(root, r.FrameDir);
                if (!Directory.Exists(dir))
                {
                    Add("missing folder", CheckProblem.Error(where, $"frame folder {r.FrameDir} not found", "unpack this clip's frames there, or drop its row"));
                    continue;
                }
                var files = FrameFolder.List(dir, layout.FrameExtension);
                frameCounts[r] = files.Length;
                if (files.Length == 0)
                {
                    Add("empty folder", CheckProblem.Error(where, $"no {layout.FrameExtension} frames in {r.FrameDir}", "unpack this clip's frames there, or drop its row"));
                    continue;
                }
                if (r.FrameCount is { } stated && stated != files.Length)
                    Add("frame count", CheckProblem.Error(where, $"the annotation says {stated} frames, {r.FrameDir} has {files.Length}",
                        "extract the clip's frames again (or the annotation belongs to another version of the video)"));
                CheckNumbering(layout, r, where, files, Add);
                foreach (var f in files)
                {
                    var rel = Path.GetRelativePath(root, f).Replace('\\', '/');
                    string? why = FrameFolder.Problem(f, out int w, out int h);
                    if (why is null && decode)
                    {
                        try { FrameFolder.DecodeInto(f, new byte[w * h * 3], 0, w, h); }
                        catch (InvalidDataException e) { why = e.Message[(e.Message.LastIndexOf(": ", StringComparison.Ordinal) + 2)..]; }
                    }
                    if (why is not null) { Add("unreadable", CheckProblem.Error(rel, $"unreadable frame of {r.Name}: {why}", "extract this frame again from the video")); continue; }
                    corpusSize ??= (w, h);
                    if ((w, h) != corpusSize)
                        Add("size", CheckProblem.Warning(rel, $"{w}x{h} pixels, while the first frame of the corpus is {corpusSize.Value.W}x{corpusSize.Value.H}",
                            "resize it; clips are batched at one size"));
                }
            }
        }
        // CSL-Daily keeps every split in one frame folder: compare each folder with the rows of all splits stored there.
        foreach (var group in layout.Splits.GroupBy(s => layout.SplitFrameRoot(root, s, null)).Where(g => g.Key is not null))
            CheckExtraFolders(layout, root, group.Key!, group.ToList(), group.SelectMany(s => records[s]).ToList(), Add);

        if (keypointFile is not null) CheckKeypoints(keypointFile, records.Values.SelectMany(l => l).ToList(), frameCounts, problems, Add);
        CheckVocabulary(layout, records, problems);
        if (glossIds is not null) CheckGlossIds(layout, glossIds, records, problems);
        CheckCtcFit(layout, records, frameCounts, r => $"{r.Source}:{r.Line} ({r.Name})", problems);
        foreach (var split in layout.Splits)
        {
            int n = records[split].Count, expected = layout.ExpectedSizes[split];
            if (n != expected)
                problems.Add(CheckProblem.Warning(layout.AnnotationFile(split), $"{split} has {n} clips; the official {layout.Title} release has {expected} (spec §9)",
                    "nothing, if this is a subset on purpose; otherwise the download or unpacking is incomplete"));
        }
        foreach (var (kind, n) in kinds.Where(k => k.Value > MaxLinesPerKind))
            problems.Add(CheckProblem.Error("(all)", $"{n - MaxLinesPerKind} more problems of the kind '{kind}' not listed", "fix the ones listed and run the check again"));
        return new CheckReport(layout, root, problems, records.Values.Sum(l => l.Count), frameCounts.Values.Sum());
    }

    private static void CheckNumbering(CorpusLayout layout, CorpusRecord r, string where, string[] files, Action<string, CheckProblem> add)
    {
        int expected = layout.FirstFrameNumber;
        foreach (var f in files)
        {
            if (FrameFolder.Number(f) is not { } n) continue;
            if (n != expected)
            {
                add("numbering", CheckProblem.Error(where, $"frame numbers jump from {expected - 1} to {n} at {Path.GetFileName(f)} (frame {expected} is missing)",
                    "extract the clip's frames again; a gap shifts every later frame against the keypoints"));
                return;
            }
            expected++;
        }
    }

    private static void CheckExtraFolders(CorpusLayout layout, string root, string splitRoot, List<string> splits, List<CorpusRecord> records, Action<string, CheckProblem> add)
    {
        var dir = Path.Combine(root, splitRoot);
        string split = string.Join("/", splits);
        if (!Directory.Exists(dir))
        {
            if (records.Count > 0) add("split folder", CheckProblem.Error(splitRoot + "/", "frame folder of the split not found", $"unpack the {split} frames there"));
            return;
        }
        var known = records.Select(layout.TopFolder).ToHashSet(StringComparer.Ordinal);
        foreach (var d in Directory.GetDirectories(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal))
            if (!known.Contains(d!))
                add("extra folder", CheckProblem.Warning($"{splitRoot}/{d}", $"frame folder has no row in {layout.AnnotationFile(splits[0])}",
                    "remove it, or add its annotation row (it is never read as it is)"));
    }
}
