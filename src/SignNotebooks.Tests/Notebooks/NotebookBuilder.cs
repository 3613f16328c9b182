using System.Text.Json.Nodes;
using SignNotebooks.Notebooks;

namespace SignNotebooks.Tests.Notebooks;

/// <summary>Writes small nbformat-4 notebooks for the runner and lint tests.</summary>
internal sealed class NotebookBuilder
{
    private readonly JsonArray _cells = [];

    public const string SetUp = "#r \"../src/SignNotebooks.Cli/bin/Release/net10.0/linux-x64/SignNotebooks.dll\"\nusing SignNotebooks.Notebooks;\nNotebookSetup.Init()";

    public const string Opening = "# Test notebook\nA notebook the tests write.\n\n**What you will learn:** nothing.\n\n" +
                                  "Runtime: tiny 1 s, standard 1 s. CLI equivalent: `signnb workbook --only 00`.";

    public NotebookBuilder Markdown(string text) { _cells.Add(Cell("markdown", text)); return this; }

    public NotebookBuilder Code(string text, params string[] tags)
    {
        var c = Cell("code", text);
        c["execution_count"] = null;
        c["outputs"] = new JsonArray();
        if (tags.Length > 0) c["metadata"]!["tags"] = new JsonArray(tags.Select(t => (JsonNode)t!).ToArray());
        _cells.Add(c);
        return this;
    }

    /// <summary>Opening markdown, set-up and parameters cells, as every real notebook starts.</summary>
    public static NotebookBuilder Standard() => new NotebookBuilder().Markdown(Opening).Code(SetUp)
        .Code("var profile = NotebookParameters.Profile();", "parameters");

    public string Write(string folder, string name)
    {
        Directory.CreateDirectory(folder);
        var doc = new JsonObject
        {
            ["cells"] = _cells.DeepClone(),
            ["metadata"] = new JsonObject
            {
                ["kernelspec"] = new JsonObject { ["display_name"] = ".NET (C#)", ["language"] = "C#", ["name"] = ".net-csharp" },
                ["language_info"] = new JsonObject { ["name"] = "polyglot-notebook" },
            },
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
        };
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, doc.ToJsonString(NotebookFile.JsonOptions));
        return path;
    }

    private static JsonObject Cell(string kind, string text) => new()
    {
        ["cell_type"] = kind,
        ["metadata"] = new JsonObject(),
        ["source"] = NotebookFile.ToSourceLines(text),
    };
}

/// <summary>Notebook runs share TorchSharp and Console capture, so they never run in parallel with each other.</summary>
[CollectionDefinition("notebooks", DisableParallelization = true)]
public sealed class NotebookCollection;
