using SignNotebooks.Util;

namespace SignNotebooks.Corpora;

/// <summary>The checks of <see cref="CorpusCheck"/> that compare the annotations with other files: keypoints, vocabulary.</summary>
public static partial class CorpusCheck
{
    private static void CheckKeypoints(string path, List<CorpusRecord> records, Dictionary<CorpusRecord, int> frameCounts,
        List<CheckProblem> problems, Action<string, CheckProblem> add)
    {
        KeypointFile file;
        try { file = KeypointFile.Read(path); }
        catch (UserFacingException e)
        {
            problems.Add(CheckProblem.Error(path, $"keypoint file cannot be read: {e.Message}", "pass SLRT's <dataset>-keypoints.pkl for this corpus"));
            return;
        }
        var matched = new HashSet<string>(StringComparer.Ordinal);
        var missing = new List<CorpusRecord>();
        foreach (var r in records)
        {
            var key = file.Find(r.KeypointKeys);
            if (key is null) { missing.Add(r); continue; }
            matched.Add(key);
            string where = $"{path} ['{key}']";
            var (t, error) = file.Shape(key);
            if (error is not null) { add("keypoint shape", CheckProblem.Error(where, error, "use the whole-body keypoint file SLRT publishes")); continue; }
            if (frameCounts.TryGetValue(r, out int frames) && frames > 0 && t != frames)
                add("keypoint frames", CheckProblem.Error(where, $"{t} frames of keypoints, but {r.FrameDir} has {frames} frames",
                    "extract keypoints and frames from the same video (a frame count mismatch misaligns the two streams)"));
        }
        if (records.Count > 0 && matched.Count == 0)
        {
            // One line, not one per clip: this is the wrong file, not a thousand missing entries.
            var example = file.Names.Order(StringComparer.Ordinal).FirstOrDefault() ?? "(none)";
            problems.Add(CheckProblem.Error(path, $"none of the {records.Count} clips has keypoints here (the file holds {file.Names.Count} entries, e.g. '{example}'; " +
                                                  $"expected names like '{records[0].KeypointKeys[0]}')",
                "this is probably the keypoint file of another corpus; pass the one for this dataset"));
            return;
        }
        foreach (var r in missing)
            add("keypoints missing", CheckProblem.Error($"{r.Source}:{r.Line} ({r.Name})", $"no keypoints in {path} (looked for '{r.KeypointKeys[0]}')",
                "use a keypoint file extracted from this release, or extract the missing clip"));
        int extra = file.Names.Count - matched.Count;
        if (extra > 0)
        {
            var example = file.Names.Where(n => !matched.Contains(n)).Order(StringComparer.Ordinal).First();
            problems.Add(CheckProblem.Warning(path, $"{extra} keypoint entries match no annotation row (e.g. '{example}')",
                "nothing, if the annotations are a subset on purpose; otherwise the rows are missing"));
        }
    }

    private static void CheckVocabulary(CorpusLayout layout, Dictionary<string, List<CorpusRecord>> records, List<CheckProblem> problems)
    {
        var vocabulary = layout.BuildVocabulary(records["train"].SelectMany(r => r.Glosses));
        foreach (var split in layout.Splits.Where(s => s != "train"))
        {
            var glosses = records[split].SelectMany(r => r.Glosses).ToList();
            var unseen = glosses.Where(g => vocabulary.Encode(g) == vocabulary.UnkId).ToList();
            if (unseen.Count == 0) continue;
            var distinct = unseen.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            problems.Add(CheckProblem.Warning(records[split].FirstOrDefault()?.Source ?? layout.AnnotationFile(split),
                $"{distinct.Count} of {glosses.Distinct(StringComparer.Ordinal).Count()} distinct {split} glosses ({unseen.Count} of {glosses.Count} occurrences) never occur in train: " +
                $"{string.Join(' ', distinct.Take(10))}{(distinct.Count > 10 ? " …" : "")}",
                "nothing, the official splits have a few; many mean the train annotations are incomplete (they count as errors in WER)"));
        }
    }

    private static void CheckGlossIds(CorpusLayout layout, string path, Dictionary<string, List<CorpusRecord>> records, List<CheckProblem> problems)
    {
        Data.Vocabulary official;
        try { official = GlossIdsFile.Read(path, layout.Name); }
        catch (UserFacingException e)
        {
            problems.Add(CheckProblem.Error(path, $"gloss2ids file cannot be read: {e.Message}", $"pass SLRT's data/{layout.Name}/gloss2ids.pkl"));
            return;
        }
        foreach (var split in layout.Splits)
        {
            var missing = records[split].SelectMany(r => r.Glosses).Where(g => official.Encode(g) == official.UnkId && g != "<unk>")
                .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            if (missing.Count == 0) continue;
            string what = $"{missing.Count} distinct {split} glosses are not in it ({string.Join(' ', missing.Take(10))}{(missing.Count > 10 ? " …" : "")}); they become <unk>";
            // Every training gloss is in the official vocabulary, so a train miss means another corpus's (or a pruned) file.
            problems.Add(split == "train"
                ? CheckProblem.Error(path, what, $"use the gloss2ids.pkl of {layout.Title} that matches these annotations (not a pruned or other-corpus file)")
                : CheckProblem.Warning(path, what, "nothing, if these glosses are unseen in training; they count as errors in WER"));
        }
    }
}
