using SignNotebooks.Data;
using SignNotebooks.Util;

namespace SignNotebooks.Corpora;

/// <summary>
/// Where an original corpus release keeps its annotations and frames, and how its rows read. One subclass per
/// release; <see cref="FolderCorpus"/> loads any of them and <see cref="CorpusCheck"/> validates any of them.
/// </summary>
public abstract class CorpusLayout
{
    /// <summary>The datasets the loaders know, by their SLRT names (spec §9).</summary>
    public static readonly string[] Names = ["phoenix-2014", "phoenix-2014t", "csl-daily"];

    public static CorpusLayout Get(string dataset) => dataset switch
    {
        "phoenix-2014" => new Phoenix2014Layout(),
        "phoenix-2014t" => new Phoenix2014TLayout(),
        "csl-daily" => new CslDailyLayout(),
        _ => throw new UserFacingException($"unknown dataset '{dataset}'. Fix: use one of {string.Join(", ", Names)}."),
    };

    public abstract string Name { get; }
    /// <summary>Human name for messages, e.g. "Phoenix-2014T".</summary>
    public abstract string Title { get; }
    /// <summary>Split names as SLRT uses them (spec §9).</summary>
    public IReadOnlyList<string> Splits { get; } = ["train", "dev", "test"];
    /// <summary>Clips per split in the official release (spec §9).</summary>
    public abstract IReadOnlyDictionary<string, int> ExpectedSizes { get; }
    /// <summary>Frame file extension, with the dot.</summary>
    public abstract string FrameExtension { get; }
    /// <summary>Number of the first frame file (1 for Phoenix-2014T's images0001.png, 0 otherwise).</summary>
    public abstract int FirstFrameNumber { get; }
    /// <summary>The corpus vocabulary per spec §6 built from training glosses.</summary>
    public abstract Vocabulary BuildVocabulary(IEnumerable<string> glosses);

    /// <summary>Annotation file of one split, relative to the root.</summary>
    public abstract string AnnotationFile(string split);

    /// <summary>
    /// Reads one split's annotation file. Problems (bad header, wrong field count, empty field) are reported, and
    /// the rows that could be read are returned, so a check lists every problem at once.
    /// </summary>
    public abstract List<CorpusRecord> ReadSplit(string root, string split, List<CheckProblem> problems);

    /// <summary>The folder, relative to the root, under which the split's frame folders sit; null when absent.</summary>
    public abstract string? SplitFrameRoot(string root, string split, List<CheckProblem>? problems);

    /// <summary>The first component of a record's frame folder below <see cref="SplitFrameRoot"/>, to find extra folders.</summary>
    public abstract string TopFolder(CorpusRecord r);

    /// <summary>Splits a '|' separated annotation file with a fixed header; shared by the Phoenix releases.</summary>
    protected static IEnumerable<(int Line, string[] Fields)> ReadPipeTable(string root, string rel, string header, List<CheckProblem> problems)
    {
        var path = Path.Combine(root, rel);
        if (!File.Exists(path))
        {
            problems.Add(CheckProblem.Error(rel, "annotation file not found", "copy it from the corpus download (annotations/manual/)"));
            yield break;
        }
        string[]? read = null;
        try { read = StrictText.ReadAllLines(path); }
        catch (InvalidTextException e)
        {
            problems.Add(CheckProblem.Error($"{rel}:{e.Line}", $"byte offset {e.ByteOffset}: byte 0x{e.Value:x2} is not valid UTF-8",
                "re-save the annotation file as UTF-8, or use the original file of the corpus download"));
        }
        if (read is null) yield break;
        var lines = read;
        if (lines.Length == 0 || lines[0].Trim().TrimStart('\uFEFF') != header)
        {
            problems.Add(CheckProblem.Error($"{rel}:1", $"header is '{(lines.Length == 0 ? "" : lines[0])}', expected '{header}'",
                "use the original annotation file of this corpus (another corpus's file, or an edited one?)"));
            yield break;
        }
        int n = header.Split('|').Length;
        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Trim().Length == 0) continue;
            var f = lines[i].TrimEnd('\r').Split('|');
            if (f.Length != n)
            {
                problems.Add(CheckProblem.Error($"{rel}:{i + 1}", $"{f.Length} fields, expected {n} ({header})", "repair the row; '|' must not occur inside a field"));
                continue;
            }
            yield return (i + 1, f);
        }
    }

    /// <summary>Reports empty fields of a row; returns false when the row cannot be used.</summary>
    protected static bool CheckFields(string where, string[] fields, string[] names, int[] required, List<CheckProblem> problems)
    {
        bool ok = true;
        foreach (int i in required)
            if (fields[i].Trim().Length == 0)
            {
                problems.Add(CheckProblem.Error(where, $"empty '{names[i]}' field", "fill it in from the original annotation or drop the row"));
                ok = false;
            }
        return ok;
    }

    /// <summary>The single <c>features/fullFrame-*px</c> folder (Phoenix frame folders), preferring the official 210x260.</summary>
    protected static string? PhoenixFeatures(string root, List<CheckProblem>? problems)
    {
        var features = Path.Combine(root, "features");
        var dirs = Directory.Exists(features)
            ? Directory.GetDirectories(features, "fullFrame-*px").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList()
            : [];
        if (dirs.Count == 0)
        {
            problems?.Add(CheckProblem.Error("features/", "no fullFrame-<W>x<H>px frame folder", "unpack the frames so that features/fullFrame-210x260px/<split>/ exists"));
            return null;
        }
        var pick = dirs.Contains("fullFrame-210x260px") ? "fullFrame-210x260px" : dirs[0]!;
        if (dirs.Count > 1)
            problems?.Add(CheckProblem.Warning("features/", $"{dirs.Count} frame folders ({string.Join(", ", dirs)}); reading {pick}", "move the others out of the corpus folder"));
        return $"features/{pick}";
    }
}
