using SignNotebooks.Data;

namespace SignNotebooks.Corpora;

/// <summary>
/// RWTH-PHOENIX-Weather 2014 multisigner as released: <c>annotations/manual/{train,dev,test}.corpus.csv</c> with
/// <c>id|folder|signer|annotation</c>, frames <c>features/fullFrame-210x260px/&lt;split&gt;/&lt;folder&gt;</c> where folder is
/// <c>&lt;id&gt;/1/*.png</c> (files <c>&lt;video&gt;.avi_pid0_fn000000-0.png…</c>, numbered from 0).
/// </summary>
public sealed class Phoenix2014Layout : CorpusLayout
{
    private static readonly string Header = "id|folder|signer|annotation";
    private static readonly string[] Fields = Header.Split('|');

    public override string Name => "phoenix-2014";
    public override string Title => "Phoenix-2014";
    // spec §9
    public override IReadOnlyDictionary<string, int> ExpectedSizes { get; } = new Dictionary<string, int> { ["train"] = 5672, ["dev"] = 540, ["test"] = 629 };
    public override string FrameExtension => ".png";
    public override int FirstFrameNumber => 0;
    public override Vocabulary BuildVocabulary(IEnumerable<string> glosses) => Vocabulary.Phoenix2014(glosses);
    public override string AnnotationFile(string split) => $"annotations/manual/{split}.corpus.csv";

    public override List<CorpusRecord> ReadSplit(string root, string split, List<CheckProblem> problems)
    {
        var rel = AnnotationFile(split);
        string features = PhoenixFeatures(root, null) ?? "features/fullFrame-210x260px";
        var list = new List<CorpusRecord>();
        foreach (var (line, f) in ReadPipeTable(root, rel, Header, problems))
        {
            if (!CheckFields($"{rel}:{line} ({f[0]})", f, Fields, [0, 1, 2, 3], problems)) continue;
            // "<id>/1/*.png" → the folder "<id>/1"; the glob is implied by the frame extension.
            var folder = f[1].EndsWith("/*.png", StringComparison.Ordinal) ? f[1][..^6] : f[1].TrimEnd('/');
            list.Add(new CorpusRecord(split, f[0], $"{features}/{split}/{folder}", f[2], f[3].Split(' ', StringSplitOptions.RemoveEmptyEntries), null,
                rel, line, [$"{features[9..]}/{split}/{folder}", f[0]]));   // SLRT: "fullFrame-210x260px/<split>/<folder>/<video>" (spec §9)
        }
        return list;
    }

    public override string? SplitFrameRoot(string root, string split, List<CheckProblem>? problems) =>
        PhoenixFeatures(root, problems) is { } f ? $"{f}/{split}" : null;

    public override string TopFolder(CorpusRecord r)
    {
        var inner = r.FrameDir.Split('/');
        // FrameDir = features/<ff>/<split>/<id>/1 → the component after the split
        return inner.Length > 3 ? inner[3] : r.Name;
    }
}
