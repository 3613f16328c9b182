using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace SignNotebooks.Notebooks;

/// <summary>One cell of a notebook as stored on disk.</summary>
public sealed record NotebookCell(int Index, string Kind, string Source, IReadOnlyList<string> Tags);

/// <summary>
/// A Jupyter notebook read as plain JSON (nbformat 4). The lint and the runner both use it, so what the lint
/// accepts is exactly what the runner executes.
/// </summary>
public sealed partial class NotebookFile
{
    public string Path { get; }
    public string FileName => System.IO.Path.GetFileName(Path);
    public JsonObject Json { get; }
    public IReadOnlyList<NotebookCell> Cells { get; }

    private NotebookFile(string path, JsonObject json, IReadOnlyList<NotebookCell> cells)
    { Path = path; Json = json; Cells = cells; }

    /// <summary>Numbered notebooks in a folder, in order: `NN_topic.ipynb`.</summary>
    public static IReadOnlyList<string> List(string folder) =>
        Directory.EnumerateFiles(folder, "*.ipynb").Where(f => NamePattern().IsMatch(System.IO.Path.GetFileName(f)))
            .OrderBy(f => System.IO.Path.GetFileName(f), StringComparer.Ordinal).ToList();

    [GeneratedRegex(@"^\d\d_[a-z0-9_]+\.ipynb$")]
    public static partial Regex NamePattern();

    public static NotebookFile Load(string path)
    {
        JsonObject json;
        try
        {
            json = JsonNode.Parse(File.ReadAllText(path))?.AsObject() ?? throw new FormatException("empty document");
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or FormatException or InvalidOperationException)
        {
            throw new Util.UserFacingException($"{path}: not a valid .ipynb (JSON) file: {e.Message}. Fix: re-save it from Jupyter/VS Code.");
        }
        var cells = new List<NotebookCell>();
        var arr = json["cells"]?.AsArray() ?? throw new Util.UserFacingException($"{path}: has no \"cells\" array. Fix: re-save it as nbformat 4.");
        for (int i = 0; i < arr.Count; i++)
        {
            var c = arr[i]!.AsObject();
            var kind = c["cell_type"]?.GetValue<string>() ?? "unknown";
            var tags = c["metadata"]?["tags"]?.AsArray().Select(t => t!.GetValue<string>()).ToList() ?? [];
            cells.Add(new NotebookCell(i, kind, JoinSource(c["source"]), tags));
        }
        return new NotebookFile(path, json, cells);
    }

    /// <summary>A multi-line nbformat string (an array of lines or one string) as one string.</summary>
    internal static string JoinSource(JsonNode? source) => source switch
    {
        null => "",
        JsonArray a => string.Concat(a.Select(x => x!.GetValue<string>())),
        _ => source.GetValue<string>(),
    };

    /// <summary>Indented, and HTML left readable (no \u003C escapes) as Jupyter writes it.</summary>
    public static readonly System.Text.Json.JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Splits text into nbformat's source lines (each keeps its newline except the last).</summary>
    public static JsonArray ToSourceLines(string text)
    {
        var arr = new JsonArray();
        var lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            var line = i < lines.Length - 1 ? lines[i] + "\n" : lines[i];
            if (line.Length > 0) arr.Add(line);
        }
        return arr;
    }
}
