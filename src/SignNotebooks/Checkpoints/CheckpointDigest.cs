using System.Security.Cryptography;
using System.Text.Json;
using SignNotebooks.Util;

namespace SignNotebooks.Checkpoints;

/// <summary>
/// The SHA-256 of every file of a run checkpoint, recorded in its state.json (`Sha256`: file name → hex) when it is
/// saved and checked whenever one of those files is read back, so a file changed on disk after the save is refused
/// by name instead of loading wrong numbers.
/// </summary>
public static class CheckpointDigest
{
    public const string StateFile = "state.json";

    /// <summary>Lower-case hex SHA-256 of a file.</summary>
    public static string Of(string file)
    {
        using var stream = File.OpenRead(file);
        return Convert.ToHexString(SHA256.HashData(stream)).ToLowerInvariant();
    }

    /// <summary>The digests of every file in a checkpoint folder except state.json itself, by file name.</summary>
    public static SortedDictionary<string, string> OfFolder(string dir) =>
        new(Directory.GetFiles(dir).Where(f => Path.GetFileName(f) != StateFile)
            .ToDictionary(f => Path.GetFileName(f), Of), StringComparer.Ordinal);

    /// <summary>
    /// When <paramref name="file"/> sits in a checkpoint folder whose state.json records its digest, checks it; files
    /// outside run checkpoints (downloads, exports) and checkpoints saved before digests were recorded pass unchecked.
    /// </summary>
    public static void Verify(string file)
    {
        var state = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(file))!, StateFile);
        if (!File.Exists(state)) return;
        string? expected = null;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(state));
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("Sha256", out var map)
                && map.ValueKind == JsonValueKind.Object && map.TryGetProperty(Path.GetFileName(file), out var hex))
                expected = hex.GetString();
        }
        catch (JsonException e)
        {
            throw new UserFacingException($"checkpoint {file}: damaged: its {state} is not valid JSON ({e.Message}). " +
                                          "Fix: use the run's other checkpoint (best/last) or resume the run, which rewrites both.");
        }
        if (expected is null) return;
        var actual = Of(file);
        if (!string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
            throw new UserFacingException($"checkpoint {file}: damaged: its SHA-256 is {actual}, but {state} recorded {expected} when it was saved. " +
                                          "Fix: copy the run folder again from where it was trained, or use the run's other checkpoint (best/last).");
    }
}
