using SignNotebooks.Util;

namespace SignNotebooks.Corpora;

/// <summary><see cref="CorpusCheck"/> for SLRT's preprocessed form (spec §9): annotation lists, frames zip or folder, keypoints.</summary>
public static partial class CorpusCheck
{
    /// <param name="dataset">phoenix-2014, phoenix-2014t or csl-daily.</param>
    /// <param name="dataDir">SLRT's data/&lt;dataset&gt;/ folder holding &lt;dataset&gt;.{train,dev,test}.</param>
    /// <param name="frames">The videos zip or a folder at SLRT's inner paths; null = none (keypoint-only use is warned about).</param>
    /// <param name="keypointFile">SLRT's keypoint pickle, or null.</param>
    /// <param name="glossIds">SLRT's gloss2ids.pkl, or null.</param>
    /// <param name="decode">Decode every frame instead of checking the first frame of each clip's header and end.</param>
    public static CheckReport RunSlrt(string dataset, string dataDir, string? frames = null, string? keypointFile = null, string? glossIds = null, bool decode = false)
    {
        var layout = CorpusLayout.Get(dataset);
        var problems = new List<CheckProblem>();
        if (!Directory.Exists(dataDir))
        {
            problems.Add(CheckProblem.Error(dataDir, "data folder not found", $"pass SLRT's data/{dataset}/ folder (with {dataset}.train, .dev, .test)"));
            return new CheckReport(layout, dataDir, problems, 0, 0);
        }
        var kinds = new Dictionary<string, int>();
        void Add(string kind, CheckProblem p)
        {
            int n = kinds[kind] = kinds.GetValueOrDefault(kind) + 1;
            if (n <= MaxLinesPerKind) problems.Add(p);
        }

        var records = new Dictionary<string, List<CorpusRecord>>();
        foreach (var split in layout.Splits)
        {
            var file = $"{dataset}.{split}";
            records[split] = [];
            if (!File.Exists(Path.Combine(dataDir, file)))
            {
                problems.Add(CheckProblem.Error(file, "annotation list not found", $"copy data/{dataset}/{file} from SLRT's release (a gzip-pickled list, spec §9)"));
                continue;
            }
            List<SlrtAnnotation> list;
            try { list = SlrtAnnotationFile.Read(Path.Combine(dataDir, file)); }
            catch (UserFacingException e)
            {
                problems.Add(CheckProblem.Error(file, $"cannot be read: {e.Message}", "download the file again from SLRT's release"));
                continue;
            }
            records[split] = list.Select((a, i) => new CorpusRecord(split, a.Name, a.Name, a.Signer, a.Glosses, a.Text, file, i + 1, [a.Name], a.FrameCount)).ToList();
            foreach (var dup in records[split].GroupBy(r => r.Name).Where(g => g.Count() > 1))
                problems.Add(CheckProblem.Error($"{file} record {dup.Last().Line} ({dup.Key})", $"name '{dup.Key}' also in record {dup.First().Line}", "keep one record per clip"));
        }

        var frameCounts = new Dictionary<CorpusRecord, int>();
        int framesChecked = 0;
        if (frames is null)
            problems.Add(CheckProblem.Warning(dataDir, $"no frames: neither {dataset}-videos.zip nor a {dataset}-videos/ folder is there",
                "put the frames beside the lists (or pass --frames); without them only the keypoint stream can run"));
        else
        {
            SlrtFrameSource? source = null;
            try { source = new SlrtFrameSource(frames); }
            catch (UserFacingException e) { problems.Add(CheckProblem.Error(frames, e.Message, $"pass {dataset}-videos.zip or the folder it unpacks to")); }
            using (source)
                if (source is not null) framesChecked = CheckSlrtFrames(dataset, frames, source, records, frameCounts, decode, problems, Add);
        }

        if (keypointFile is not null) CheckKeypoints(keypointFile, records.Values.SelectMany(l => l).ToList(), frameCounts, problems, Add);
        if (records["train"].Count > 0) CheckVocabulary(layout, records, problems);
        if (glossIds is not null) CheckGlossIds(layout, glossIds, records, problems);
        CheckCtcFit(layout, records, frameCounts, r => $"{r.Source} record {r.Line} ({r.Name})", problems);
        foreach (var split in layout.Splits)
        {
            int n = records[split].Count, expected = layout.ExpectedSizes[split];
            if (n != expected && File.Exists(Path.Combine(dataDir, $"{dataset}.{split}")))
                problems.Add(CheckProblem.Warning($"{dataset}.{split}", $"{split} has {n} clips; the official {layout.Title} release has {expected} (spec §9)",
                    "nothing, if this is a subset on purpose; otherwise the file is from another release or truncated"));
        }
        foreach (var (kind, n) in kinds.Where(k => k.Value > MaxLinesPerKind))
            problems.Add(CheckProblem.Error("(all)", $"{n - MaxLinesPerKind} more problems of the kind '{kind}' not listed", "fix the ones listed and run the check again"));
        return new CheckReport(layout, dataDir, problems, records.Values.Sum(l => l.Count), framesChecked);
    }

    // Every clip must have exactly num_frames frames at the inner paths of spec §9, numbered without gaps.
    private static int CheckSlrtFrames(string dataset, string frames, SlrtFrameSource source, Dictionary<string, List<CorpusRecord>> records,
        Dictionary<CorpusRecord, int> frameCounts, bool decode, List<CheckProblem> problems, Action<string, CheckProblem> add)
    {
        var all = records.Values.SelectMany(l => l).ToList();
        if (source.IsJunkedZip && all.Count > 0)
        {
            // One line, not one per clip: the archive has no folders at all.
            problems.Add(CheckProblem.Error(frames, $"the zip has no folders, so none of the inner paths SLRT reads exists (e.g. {SlrtFrameSource.InnerPath(dataset, all[0].Name, 0)})",
                "SLRT's zip scripts junk the paths (zip -r -j); unpack the frames to a folder with these paths and pass the folder"));
            return 0;
        }
        int checkedFrames = 0;
        foreach (var r in all)
        {
            string where = $"{r.Source} record {r.Line} ({r.Name})";
            int n = r.FrameCount ?? 0;
            int firstMissing = Enumerable.Range(0, n).FirstOrDefault(i => !source.Exists(SlrtFrameSource.InnerPath(dataset, r.Name, i)), -1);
            if (firstMissing >= 0)
            {
                int missing = Enumerable.Range(firstMissing, n - firstMissing).Count(i => !source.Exists(SlrtFrameSource.InnerPath(dataset, r.Name, i)));
                add(firstMissing == 0 && missing == n ? "missing frames" : "frame gaps", CheckProblem.Error(where,
                    missing == n ? $"none of its {n} frames is in {frames} (looked for {SlrtFrameSource.InnerPath(dataset, r.Name, 0)})"
                                 : $"{missing} of its {n} frames are missing from {frames}, the first {SlrtFrameSource.InnerPath(dataset, r.Name, firstMissing)}",
                    "unpack this clip's frames at SLRT's inner paths (spec §9), or drop its record"));
                continue;
            }
            if (source.Exists(SlrtFrameSource.InnerPath(dataset, r.Name, n)))
                add("frame count", CheckProblem.Error(where, $"num_frames is {n} but {frames} holds more frames (e.g. {SlrtFrameSource.InnerPath(dataset, r.Name, n)})",
                    "use the annotation lists and frames of the same release (the record's num_frames is what the loader reads)"));
            frameCounts[r] = n;
            foreach (int i in decode ? Enumerable.Range(0, n) : [0])
            {
                var inner = SlrtFrameSource.InnerPath(dataset, r.Name, i);
                var bytes = source.Read(inner);
                string? why = FrameFolder.Problem(bytes, out int w, out int h);
                if (why is null && decode)
                {
                    try { FrameFolder.DecodeInto(bytes, inner, new byte[w * h * 3], 0, w, h); }
                    catch (InvalidDataException e) { why = e.Message[(e.Message.LastIndexOf(": ", StringComparison.Ordinal) + 2)..]; }
                }
                if (why is not null) add("unreadable", CheckProblem.Error($"{frames}@{inner}", $"unreadable frame of {r.Name}: {why}", "extract this frame again from the video"));
            }
            checkedFrames += n;
        }
        return checkedFrames;
    }
}
