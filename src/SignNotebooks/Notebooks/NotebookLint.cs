using System.Text.RegularExpressions;

namespace SignNotebooks.Notebooks;

/// <summary>
/// The house rules for committed notebooks (house-style.md "Notebooks"): numbered names, no outputs, minimal
/// metadata, an opening cell with title / what you will learn / runtime per profile / CLI equivalent, a set-up
/// cell, a parameters cell, library calls only (no classes or loops), and closing checks.
/// </summary>
public static partial class NotebookLint
{
    private static readonly HashSet<string> AllowedCellMetadata = ["tags", "dotnet_interactive", "polyglot_notebook"];
    private static readonly HashSet<string> AllowedNotebookMetadata = ["kernelspec", "language_info", "polyglot_notebook"];

    /// <summary>Problems of one notebook, each naming the cell and the fix; empty when it is clean.</summary>
    public static IReadOnlyList<string> Check(string path)
    {
        var problems = new List<string>();
        var name = Path.GetFileName(path);
        void Bad(string what) => problems.Add($"{name}: {what}");
        if (!NotebookFile.NamePattern().IsMatch(name)) Bad("name must be NN_topic.ipynb (two digits, lower-case topic)");
        var nb = NotebookFile.Load(path);
        foreach (var key in nb.Json["metadata"]?.AsObject().Select(p => p.Key) ?? [])
            if (!AllowedNotebookMetadata.Contains(key)) Bad($"notebook metadata '{key}' is not allowed (keep kernelspec, language_info, polyglot_notebook)");
        var cells = nb.Json["cells"]!.AsArray();
        for (int i = 0; i < cells.Count; i++)
        {
            var c = cells[i]!.AsObject();
            if (c["outputs"] is { } o && o.AsArray().Count > 0) Bad($"cell {i + 1} has outputs; commit notebooks without outputs (clear them)");
            if (c["execution_count"] is { } n && n.GetValueKind() != System.Text.Json.JsonValueKind.Null) Bad($"cell {i + 1} has an execution count; clear it");
            foreach (var key in c["metadata"]?.AsObject().Select(p => p.Key) ?? [])
                if (!AllowedCellMetadata.Contains(key)) Bad($"cell {i + 1} metadata '{key}' is not allowed");
        }
        if (nb.Cells.Count == 0) { Bad("has no cells"); return problems; }

        var first = nb.Cells[0];
        if (first.Kind != "markdown" || !first.Source.TrimStart().StartsWith("# ")) Bad("cell 1 must be markdown starting with '# Title'");
        else
        {
            var lines = first.Source.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
            if (lines.Count < 2 || lines[1].StartsWith('#')) Bad("cell 1 needs a one-line summary under the title");
            if (!first.Source.Contains("What you will learn", StringComparison.OrdinalIgnoreCase)) Bad("cell 1 needs a 'What you will learn' section");
            if (!Regex.IsMatch(first.Source, "runtime", RegexOptions.IgnoreCase) || !first.Source.Contains("tiny") || !first.Source.Contains("standard"))
                Bad("cell 1 needs the runtime for each profile (tiny, standard)");
            if (!first.Source.Contains("signnb ")) Bad("cell 1 needs the CLI equivalent (a `signnb ...` command)");
        }

        var code = nb.Cells.Where(c => c.Kind == "code").ToList();
        if (code.Count < 3) { Bad("needs a set-up cell, a parameters cell and at least one more code cell"); return problems; }
        if (!code[0].Source.Contains("#r ") || !code[0].Source.Contains("NotebookSetup.Init()"))
            Bad("the first code cell must be the set-up cell (`#r` of the library, then NotebookSetup.Init())");
        if (!code[1].Tags.Contains("parameters")) Bad("the second code cell must be the parameters cell (tag it 'parameters')");
        foreach (var c in code.Skip(1))
        {
            if (c.Source.Contains("#r ")) Bad($"cell {c.Index + 1}: `#r` belongs in the set-up cell only");
            if (TypeDeclaration().IsMatch(c.Source)) Bad($"cell {c.Index + 1}: declares a type; put it in the library");
            if (Loop().IsMatch(c.Source)) Bad($"cell {c.Index + 1}: has a for/while loop; put it in the library and call it");
        }
        if (!code[^1].Source.Contains("Check.")) Bad("the last code cell must hold the notebook's explicit checks (Check.That / Check.InRange)");
        return problems;
    }

    [GeneratedRegex(@"^\s*(public\s+|internal\s+|sealed\s+|static\s+|abstract\s+)*(class|struct|interface|record)\s+\w+", RegexOptions.Multiline)]
    private static partial Regex TypeDeclaration();

    [GeneratedRegex(@"\b(for|while)\s*\(")]
    private static partial Regex Loop();
}
