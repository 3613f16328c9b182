using SignNotebooks.Data;

namespace SignNotebooks.Corpora;

/// <summary>
/// RWTH-PHOENIX-Weather 2014 T as released: <c>annotations/manual/PHOENIX-2014-T.&lt;split&gt;.corpus.csv</c> with
/// <c>name|video|start|end|speaker|orth|translation</c>, frames <c>features/fullFrame-210x260px/&lt;split&gt;/&lt;name&gt;/images0001.png…</c>.
/// The <c>video</c> column says <c>&lt;name&gt;/1/*.png</c> but the release has no <c>1/</c> folder, so it is not used.
/// </summary>
public sealed class Phoenix2014TLayout : CorpusLayout
{
    private static readonly string Header = "name|video|start|end|speaker|orth|translation";
    private static readonly string[] Fields = Header.Split('|');

    public override string Name => "phoenix-2014t";
    public override string Title => "Phoenix-2014T";
    // spec §9
    public override IReadOnlyDictionary<string, int> ExpectedSizes { get; } = new Dictionary<string, int> { ["train"] = 7096, ["dev"] = 519, ["test"] = 642 };
    public override string FrameExtension => ".png";
    public override int FirstFrameNumber => 1;
    public override Vocabulary BuildVocabulary(IEnumerable<string> glosses) => Vocabulary.Phoenix2014T(glosses);
    public override string AnnotationFile(string split) => $"annotations/manual/PHOENIX-2014-T.{split}.corpus.csv";

    public override List<CorpusRecord> ReadSplit(string root, string split, List<CheckProblem> problems)
    {
        var rel = AnnotationFile(split);
        var frames = SplitFrameRoot(root, split, null) ?? $"features/fullFrame-210x260px/{split}";
        var list = new List<CorpusRecord>();
        foreach (var (line, f) in ReadPipeTable(root, rel, Header, problems))
        {
            if (!CheckFields($"{rel}:{line} ({f[0]})", f, Fields, [0, 4, 5, 6], problems)) continue;
            list.Add(new CorpusRecord(split, f[0], $"{frames}/{f[0]}", f[4], f[5].Split(' ', StringSplitOptions.RemoveEmptyEntries), f[6],
                rel, line, [$"{split}/{f[0]}", f[0]]));   // SLRT names Phoenix-2014T clips "<split>/<name>" (spec §9)
        }
        return list;
    }

    public override string? SplitFrameRoot(string root, string split, List<CheckProblem>? problems) =>
        PhoenixFeatures(root, problems) is { } f ? $"{f}/{split}" : null;

    public override string TopFolder(CorpusRecord r) => r.Name;
}
