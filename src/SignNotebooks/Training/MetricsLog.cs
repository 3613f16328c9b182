using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Analysis;

namespace SignNotebooks.Training;

/// <summary>
/// Appends metric rows to a CSV (and optionally a JSONL twin). The first row fixes the columns; rows are flushed
/// as they come so a crashed run keeps its curves. Numbers use the invariant culture.
/// </summary>
public sealed class MetricsLog
{
    private readonly string _csv;
    private readonly string? _jsonl;
    private string[]? _columns;

    public MetricsLog(string csv, string? jsonl = null)
    {
        _csv = csv;
        _jsonl = jsonl;
        if (File.Exists(csv))
        {
            var header = File.ReadLines(csv).FirstOrDefault();
            if (!string.IsNullOrEmpty(header)) _columns = header.Split(',');
        }
    }

    public void Append(IReadOnlyDictionary<string, double> row)
    {
        if (_columns is null)
        {
            _columns = row.Keys.ToArray();
            File.WriteAllText(_csv, string.Join(',', _columns) + "\n");
        }
        var line = string.Join(',', _columns.Select(c => row.TryGetValue(c, out var v) ? Format(v) : ""));
        File.AppendAllText(_csv, line + "\n");
        if (_jsonl is not null)
            File.AppendAllText(_jsonl, JsonSerializer.Serialize(row.ToDictionary(p => p.Key, p => double.IsFinite(p.Value) ? (object)p.Value : p.Value.ToString(CultureInfo.InvariantCulture))) + "\n");
    }

    /// <summary>Drops rows whose `epoch` column (1-based) is greater than <paramref name="epoch"/> (what a resumed run redoes),
    /// and a last row without its newline (a kill during the append).</summary>
    public static void TruncateAfterEpoch(string path, int epoch)
    {
        if (!File.Exists(path)) return;
        // The last element is what follows the final newline: empty, or a row a kill cut off mid-write (dropped).
        var lines = File.ReadAllText(path).Split('\n')[..^1];
        if (path.EndsWith(".jsonl", StringComparison.Ordinal))
        {
            var keep = lines.Where(l => JsonDocument.Parse(l).RootElement.TryGetProperty("epoch", out var e) && e.GetDouble() <= epoch);
            RunDirectory.WriteAtomic(path, string.Concat(keep.Select(l => l + "\n")));
            return;
        }
        if (lines.Length == 0) return;
        int col = Array.IndexOf(lines[0].Split(','), "epoch");
        if (col < 0) return;
        var sb = new StringBuilder(lines[0] + "\n");
        foreach (var l in lines.Skip(1))
            if (double.Parse(l.Split(',')[col], CultureInfo.InvariantCulture) <= epoch) sb.Append(l).Append('\n');
        RunDirectory.WriteAtomic(path, sb.ToString());
    }

    /// <summary>Loads a metrics CSV as a DataFrame (all columns numeric).</summary>
    public static DataFrame Load(string path) => DataFrame.LoadCsv(path);

    private static string Format(double v) => double.IsFinite(v) ? v.ToString("R", CultureInfo.InvariantCulture) : v.ToString(CultureInfo.InvariantCulture);
}
