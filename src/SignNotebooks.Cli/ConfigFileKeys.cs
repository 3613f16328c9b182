using System.Text.Json.Nodes;

namespace SignNotebooks.Cli;

/// <summary>
/// The top-level keys a `--config` file sets itself (not the profile's defaults it is merged over), so that a flag
/// and the file naming one setting differently is an error naming both, not a silent win for either.
/// </summary>
internal sealed class ConfigFileKeys(string path, JsonObject keys)
{
    public static ConfigFileKeys Read(string path)
    {
        JsonObject keys;
        try { keys = JsonNode.Parse(File.ReadAllText(path))?.AsObject() ?? new JsonObject(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException or InvalidOperationException)
        {
            keys = new JsonObject(); // the config loader reports an unreadable or malformed file with its own message
        }
        return new ConfigFileKeys(path, keys);
    }

    public bool Has(string key) => Value(key, out _);

    private bool Value(string key, out string? value)
    {
        var match = keys.FirstOrDefault(p => string.Equals(p.Key, key, StringComparison.OrdinalIgnoreCase));
        value = match.Value is JsonValue v && v.TryGetValue<string>(out var s) ? s : match.Value?.ToJsonString();
        return match.Key is not null;
    }

    /// <summary>
    /// Throws a usage error when <paramref name="flag"/> was given as <paramref name="flagValue"/> and the file sets
    /// <paramref name="key"/> to something else (both compared after <paramref name="normalise"/>).
    /// <paramref name="shownFlagValue"/> is what the message shows for the flag (default: its value).
    /// </summary>
    public void Contradicts(string flag, string? flagValue, string key, Func<string, string> normalise, string? shownFlagValue = null)
    {
        if (flagValue is null || !Value(key, out var fileValue)) return;
        if (normalise(fileValue ?? "") == normalise(flagValue)) return;
        throw new UsageException($"{flag} {shownFlagValue ?? flagValue} contradicts {path}, which sets {key} = {(fileValue is null ? "null" : fileValue)}. " +
                                 $"Fix: drop {key} from the file or change the flag.");
    }
}
