using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Markdig;

namespace SignNotebooks.Notebooks;

/// <summary>
/// An executed notebook as one self-contained HTML page (markdown rendered, code, every output) that a teacher can
/// open in any browser without a network: images are data URIs and the charts carry plotly.js (see
/// <see cref="Plots.PlotlyLibrary"/>), so the page references no other file.
/// </summary>
public static class NotebookHtml
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UsePipeTables().UseEmphasisExtras().Build();

    private const string Style = """
        body { font-family: system-ui, sans-serif; max-width: 980px; margin: 2em auto; padding: 0 1em; color: #222; }
        pre { background: #f6f8fa; padding: .6em; overflow-x: auto; font-size: 13px; }
        pre.code { border-left: 3px solid #6b8ec6; }
        pre.stderr { background: #fff8e6; } pre.error { background: #fdecea; color: #8b1a1a; }
        .output { margin: .4em 0 1.2em 0; overflow-x: auto; }
        table { border-collapse: collapse; } td, th { border: 1px solid #ccc; padding: 2px 6px; }
        """;

    /// <summary>Writes the page for the executed notebook at <paramref name="ipynbPath"/>; returns the page's path (same name, .html).</summary>
    public static string Write(string ipynbPath)
    {
        var nb = NotebookFile.Load(ipynbPath);
        var path = Path.ChangeExtension(ipynbPath, ".html");
        File.WriteAllText(path, Render(nb.Json, Path.GetFileNameWithoutExtension(ipynbPath)));
        return path;
    }

    /// <summary>The page for an nbformat-4 document.</summary>
    public static string Render(JsonObject notebook, string title)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
            .Append(WebUtility.HtmlEncode(title)).Append("</title><style>").Append(Style).Append("</style></head><body>\n");
        foreach (var cell in notebook["cells"]?.AsArray() ?? [])
        {
            var source = Text(cell?["source"]);
            switch (cell?["cell_type"]?.GetValue<string>())
            {
                case "markdown":
                    html.Append("<div class=\"markdown\">").Append(Markdown.ToHtml(source, Pipeline)).Append("</div>\n");
                    break;
                case "code":
                    html.Append("<pre class=\"code\"><code>").Append(WebUtility.HtmlEncode(source)).Append("</code></pre>\n");
                    foreach (var output in cell["outputs"]?.AsArray() ?? [])
                        if (output is JsonObject o) html.Append("<div class=\"output\">").Append(Output(o)).Append("</div>\n");
                    break;
            }
        }
        return html.Append("</body></html>\n").ToString();
    }

    /// <summary>The richest form of one output a browser shows, as Jupyter picks it.</summary>
    private static string Output(JsonObject output)
    {
        switch (output["output_type"]?.GetValue<string>())
        {
            case "stream":
                var name = output["name"]?.GetValue<string>() == "stderr" ? "stderr" : "stream";
                return $"<pre class=\"{name}\">{WebUtility.HtmlEncode(Text(output["text"]))}</pre>";
            case "error":
                return $"<pre class=\"error\">{WebUtility.HtmlEncode(Text(output["ename"]) + ": " + Text(output["evalue"]))}</pre>";
        }
        var data = output["data"] as JsonObject ?? [];
        if (data["text/html"] is { } h) return Text(h);
        if (data["image/svg+xml"] is { } svg) return Text(svg);
        if (data["image/png"] is { } png) return $"<img src=\"data:image/png;base64,{Text(png).Replace("\n", "")}\"/>";
        if (data["text/plain"] is { } plain) return $"<pre>{WebUtility.HtmlEncode(Text(plain))}</pre>";
        return "";
    }

    private static string Text(JsonNode? node) => NotebookFile.JoinSource(node);
}
