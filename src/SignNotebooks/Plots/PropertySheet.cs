using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json.Serialization;
using SignNotebooks.Notebooks;

namespace SignNotebooks.Plots;

/// <summary>
/// A settings record (a config, a reproduction card) as a two-column table of its settings, instead of the C# record
/// dump (`TranslationConfig { Stage = Gloss2Text, …, Corpus = , … }`) a notebook would otherwise show. Nested
/// SignNotebooks records are flattened into dotted keys (<c>Model.Layers</c>), tuples read <c>(0.7, 1)</c>, lists
/// are comma-separated and an unset value reads "(not set)". Only the settings a config file holds are listed:
/// computed properties marked <see cref="JsonIgnoreAttribute"/> (always) are left out.
/// </summary>
public static class PropertySheet
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The text shown for a setting that is null.</summary>
    public const string NotSet = "(not set)";

    /// <summary>The (key, value) rows of <paramref name="value"/>'s settings, in declaration order.</summary>
    public static IReadOnlyList<(string Key, string Value)> Rows(object value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var rows = new List<(string, string)>();
        Add(rows, value, "", depth: 0);
        return rows;
    }

    /// <summary>The settings as a table (caption: the type's name unless given).</summary>
    public static ResultTable Table(object value, string? caption = null) =>
        new(caption ?? value.GetType().Name, ["setting", "value"], Rows(value).Select(r => (IReadOnlyList<string>)[r.Key, r.Value]).ToList());

    /// <summary>The settings as a notebook result: an HTML table, and one `Key: value` line per setting as text.</summary>
    public static HtmlView View(object value, string? caption = null)
    {
        var table = Table(value, caption);
        return new HtmlView(table.ToHtml().Html, table.Caption + "\n" + string.Join("\n", table.Rows.Select(r => $"  {r[0]}: {r[1]}")));
    }

    /// <summary>One value as a reader writes it: invariant numbers, tuples in parentheses, lists comma-separated.</summary>
    public static string Format(object? value) => value switch
    {
        null => NotSet,
        string s => s.Length == 0 ? "(empty)" : s,
        bool b => b ? "true" : "false",
        double d => d.ToString("G6", Inv),
        float f => f.ToString("G6", Inv),
        IFormattable f when value.GetType().IsPrimitive || value is decimal => f.ToString(null, Inv),
        Enum e => e.ToString(),
        ITuple t => "(" + string.Join(", ", Enumerable.Range(0, t.Length).Select(i => Format(t[i]))) + ")",
        IEnumerable list => "[" + string.Join(", ", list.Cast<object?>().Select(Format)) + "]",
        _ => value.ToString() ?? "",
    };

    private static void Add(List<(string, string)> rows, object value, string prefix, int depth)
    {
        foreach (var p in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (p.GetIndexParameters().Length > 0 || p.Name == "EqualityContract") continue;
            var ignore = p.GetCustomAttribute<JsonIgnoreAttribute>();
            if (ignore is { Condition: JsonIgnoreCondition.Always }) continue;
            var v = p.GetValue(value);
            if (v is not null && depth < 4 && IsSettingsRecord(v.GetType())) Add(rows, v, prefix + p.Name + ".", depth + 1);
            else rows.Add((prefix + p.Name, Format(v)));
        }
    }

    // A record of this library (a nested config such as TranslationConfig.Model); tuples, lists and enums are values.
    private static bool IsSettingsRecord(Type t) =>
        t.IsClass && t != typeof(string) && !typeof(IEnumerable).IsAssignableFrom(t) &&
        t.Namespace?.StartsWith("SignNotebooks", StringComparison.Ordinal) == true &&
        t.GetMethod("<Clone>$") is not null;
}
