using System.Text;

namespace SignNotebooks.Checkpoints;

/// <summary>A key whose tensor exists on both sides with different shapes.</summary>
/// <param name="Key">The name in the file.</param>
/// <param name="ModelKey">The model key it was mapped to.</param>
public sealed record ShapeMismatch(string Key, long[] FileShape, long[] ModelShape, string ModelKey)
{
    public override string ToString() => $"{Key}: file ({string.Join(", ", FileShape)}) vs model ({string.Join(", ", ModelShape)})";
}

/// <summary>
/// What a checkpoint load did, in plain words: loaded, missing (in the model, not in the file), unexpected (in the
/// file, no place in the model), shape-mismatched (skipped, both shapes given) and ignored (deliberately dropped,
/// e.g. the K400 classifier).
/// </summary>
public sealed class LoadReport
{
    public required string Source { get; init; }
    /// <summary>What the file looked like (see <see cref="CheckpointInspector.Detect"/>).</summary>
    public required string DetectedFormat { get; init; }
    public List<string> Loaded { get; } = new();
    public List<string> Missing { get; } = new();
    public List<string> Unexpected { get; } = new();
    public List<ShapeMismatch> ShapeMismatched { get; } = new();
    public List<string> Ignored { get; } = new();
    /// <summary>Advice lines (vocabulary mismatch, wrong variant, …).</summary>
    public List<string> Hints { get; } = new();

    /// <summary>True when every model key was loaded and nothing in the file was left over.</summary>
    public bool IsComplete => Missing.Count == 0 && Unexpected.Count == 0 && ShapeMismatched.Count == 0;

    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.AppendLine($"checkpoint {Source} ({DetectedFormat}):");
        sb.AppendLine($"  loaded {Loaded.Count} tensors; missing {Missing.Count}; unexpected {Unexpected.Count}; shape-mismatched {ShapeMismatched.Count}; ignored {Ignored.Count}.");
        Group("missing from the file (kept at their current values)", Missing, sb);
        Group("unexpected in the file (not loaded)", Unexpected, sb);
        foreach (var m in ShapeMismatched.Take(20)) sb.AppendLine($"  shape mismatch (skipped): {m}");
        if (ShapeMismatched.Count > 20) sb.AppendLine($"  … {ShapeMismatched.Count - 20} more shape mismatches");
        Group("ignored on purpose", Ignored, sb);
        foreach (var h in Hints) sb.AppendLine($"  hint: {h}");
        return sb.ToString().TrimEnd();
    }

    // Long lists are summarised by module prefix (first two name parts) so a report stays readable.
    private static void Group(string title, List<string> keys, StringBuilder sb)
    {
        if (keys.Count == 0) return;
        if (keys.Count <= 12) { foreach (var k in keys) sb.AppendLine($"  {title}: {k}"); return; }
        foreach (var g in keys.GroupBy(k => string.Join('.', k.Split('.').Take(2))).OrderBy(g => g.Key, StringComparer.Ordinal))
            sb.AppendLine($"  {title}: {g.Key}.* ({g.Count()} tensors)");
    }
}
