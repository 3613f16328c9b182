using System.Collections;
using SignNotebooks.Data;
using SignNotebooks.Util;

namespace SignNotebooks.Corpora;

/// <summary>
/// CSL-Daily as released: <c>sentence_label/csl2020ct_v2.pkl</c> (a dict whose <c>info</c> list holds one record per
/// video: <c>name, length, label_gloss, label_char, label_word, signer, …</c>), <c>sentence_label/split_1.txt</c>
/// (<c>name|split</c>), frames <c>sentence_frames-512x512/&lt;name&gt;/000000.jpg…</c> (some unpackings add a
/// <c>frames_512x512/</c> level; both are accepted). All splits share one frame folder.
/// </summary>
public sealed class CslDailyLayout : CorpusLayout
{
    public const string LabelFile = "sentence_label/csl2020ct_v2.pkl";
    public const string SplitFile = "sentence_label/split_1.txt";

    private string? _root;
    private List<CorpusRecord> _all = [];

    public override string Name => "csl-daily";
    public override string Title => "CSL-Daily";
    // spec §9
    public override IReadOnlyDictionary<string, int> ExpectedSizes { get; } = new Dictionary<string, int> { ["train"] = 18401, ["dev"] = 1077, ["test"] = 1176 };
    public override string FrameExtension => ".jpg";
    public override int FirstFrameNumber => 0;
    public override Vocabulary BuildVocabulary(IEnumerable<string> glosses) => Vocabulary.CslDaily(glosses);
    public override string AnnotationFile(string split) => SplitFile;

    public override List<CorpusRecord> ReadSplit(string root, string split, List<CheckProblem> problems)
    {
        if (_root != root) { _all = ReadAll(root, problems); _root = root; }   // the files hold every split: read and report once
        return _all.Where(r => r.Split == split).ToList();
    }

    private List<CorpusRecord> ReadAll(string root, List<CheckProblem> problems)
    {
        var labelPath = Path.Combine(root, LabelFile);
        if (!File.Exists(labelPath)) { problems.Add(CheckProblem.Error(LabelFile, "label file not found", "copy sentence_label/ from the CSL-Daily download")); return []; }
        if (!File.Exists(Path.Combine(root, SplitFile))) { problems.Add(CheckProblem.Error(SplitFile, "split file not found", "copy sentence_label/ from the CSL-Daily download")); return []; }
        IList info;
        try
        {
            var top = SafeUnpickler.Load(labelPath);
            info = top as IList ?? (top as IDictionary)?["info"] as IList
                   ?? throw new UserFacingException($"{labelPath}: no 'info' list of records. Fix: use csl2020ct_v2.pkl from the CSL-Daily download.");
        }
        catch (UserFacingException e) { problems.Add(CheckProblem.Error(LabelFile, e.Message, "use the label file of the CSL-Daily download")); return []; }

        var labels = new Dictionary<string, IDictionary>(StringComparer.Ordinal);
        foreach (var o in info) if (o is IDictionary d && d["name"] is string n) labels[n] = d;
        var frames = FrameRoot(root);
        var records = new List<CorpusRecord>();
        foreach (var (ln, f) in ReadPipeTable(root, SplitFile, "name|split", problems))
        {
            string where = $"{SplitFile}:{ln} ({f[0]})";
            if (!Splits.Contains(f[1])) continue;   // the split file may list videos outside the three splits
            if (!labels.TryGetValue(f[0], out var d))
            {
                problems.Add(CheckProblem.Error(where, $"no record in {LabelFile}", "use the split and label files of the same download"));
                continue;
            }
            var glosses = (d["label_gloss"] as IList)?.Cast<object>().Select(g => g?.ToString() ?? "").Where(g => g.Length > 0).ToArray() ?? [];
            if (glosses.Length == 0) { problems.Add(CheckProblem.Error(where, "empty 'label_gloss' field", "restore it from the original label file or drop the video")); continue; }
            var text = (d["label_char"] as IList)?.Cast<object>().Select(c => c?.ToString()).Aggregate("", (a, b) => a + b);
            records.Add(new CorpusRecord(f[1], f[0], $"{frames}/{f[0]}", Convert.ToString(d["signer"]) ?? "", glosses, text, SplitFile, ln, [f[0]],
                int.TryParse(Convert.ToString(d["length"]), out var length) ? length : null));
        }
        return records;
    }

    private static string FrameRoot(string root) =>
        Directory.Exists(Path.Combine(root, "sentence_frames-512x512", "frames_512x512")) ? "sentence_frames-512x512/frames_512x512" : "sentence_frames-512x512";

    public override string? SplitFrameRoot(string root, string split, List<CheckProblem>? problems)
    {
        var f = FrameRoot(root);
        if (Directory.Exists(Path.Combine(root, f))) return f;
        problems?.Add(CheckProblem.Error(f + "/", "frame folder not found", "unpack the CSL-Daily frames so that sentence_frames-512x512/<name>/000000.jpg exists"));
        return null;
    }

    public override string TopFolder(CorpusRecord r) => r.Name;
}
