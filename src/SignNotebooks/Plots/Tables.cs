using System.Net;
using System.Text;
using SignNotebooks.Notebooks;

namespace SignNotebooks.Plots;

/// <summary>A small result table: HTML for notebooks, Markdown for the README and logs, CSV for figures/.</summary>
public sealed record ResultTable(string Caption, IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<string>> Rows)
{
    public HtmlView ToHtml()
    {
        var sb = new StringBuilder("<table style=\"border-collapse:collapse;font-family:sans-serif;font-size:13px\">");
        sb.Append($"<caption style=\"text-align:left;font-weight:bold;padding:4px 0\">{E(Caption)}</caption><tr>");
        foreach (var h in Headers) sb.Append($"<th style=\"border-bottom:2px solid #444;padding:3px 8px;text-align:left\">{E(h)}</th>");
        sb.Append("</tr>");
        foreach (var r in Rows)
        {
            sb.Append("<tr>");
            foreach (var c in r) sb.Append($"<td style=\"border-bottom:1px solid #ddd;padding:3px 8px\">{E(c)}</td>");
            sb.Append("</tr>");
        }
        return new HtmlView(sb.Append("</table>").ToString(), ToString());
    }

    public string ToMarkdown()
    {
        var sb = new StringBuilder();
        sb.Append("| ").Append(string.Join(" | ", Headers)).Append(" |\n|");
        foreach (var _ in Headers) sb.Append("---|");
        sb.Append('\n');
        foreach (var r in Rows) sb.Append("| ").Append(string.Join(" | ", r)).Append(" |\n");
        return sb.ToString();
    }

    public string ToCsv() =>
        string.Join(',', Headers.Select(Csv)) + "\n" + string.Concat(Rows.Select(r => string.Join(',', r.Select(Csv)) + "\n"));

    public override string ToString() => Caption + "\n" + ToMarkdown();

    private static string Csv(string s) => s.Contains(',') || s.Contains('"') ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
    private static string E(string s) => WebUtility.HtmlEncode(s);
}
