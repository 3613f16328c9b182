using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using SignNotebooks.Util;

namespace SignNotebooks.Training;

/// <summary>
/// Reads and writes <see cref="TrainingConfig"/> as JSON. An override file holds only the keys it changes; it is
/// merged over the profile's resolved config, and an unknown key or a value of the wrong type is an error that names
/// the file and the key (never silently ignored).
/// </summary>
public static class ConfigJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        IncludeFields = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static string Serialize(TrainingConfig config) => JsonSerializer.Serialize(config, Options);

    /// <summary>
    /// A config as `--print-config` shows it: the same keys as <see cref="Serialize"/>, with tuples as arrays
    /// (<c>"CropScale": [0.7, 1]</c>, not <c>{"Item1": 0.7, "Item2": 1}</c>). An override file may use either form.
    /// The saved config.json keeps the serialiser's form, so run folders (named by its hash) stay the same.
    /// </summary>
    public static string ForReading<T>(T config)
    {
        var node = JsonSerializer.SerializeToNode(config, Options)!;
        return TuplesToArrays(node)!.ToJsonString(Options);
    }

    private static JsonNode? TuplesToArrays(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o when IsTuple(o):
                return new JsonArray(o.Select(p => TuplesToArrays(p.Value?.DeepClone())).ToArray());
            case JsonObject o:
                foreach (var key in o.Select(p => p.Key).ToList()) o[key] = TuplesToArrays(o[key]?.DeepClone());
                return o;
            case JsonArray a:
                return new JsonArray(a.Select(v => TuplesToArrays(v?.DeepClone())).ToArray());
            default:
                return node;
        }
    }

    // A value tuple as the serialiser writes it (IncludeFields): Item1, Item2, … in order and nothing else.
    private static bool IsTuple(JsonObject o) =>
        o.Count >= 2 && o.Select((p, i) => p.Key == "Item" + (i + 1)).All(x => x);

    /// <summary>Merges the overrides in <paramref name="json"/> over <paramref name="baseConfig"/>.</summary>
    public static TrainingConfig ApplyOverrides(TrainingConfig baseConfig, string json, string source)
    {
        var cfg = ApplyOverrides<TrainingConfig>(baseConfig, json, source);
        return cfg with { Model = cfg.Model with { Streams = cfg.StreamKind } };
    }

    /// <summary>Merges JSON overrides over any config record (e.g. the translation config), with the same checks.</summary>
    public static T ApplyOverrides<T>(T baseConfig, string json, string source) where T : class
    {
        JsonObject overrides;
        try { overrides = JsonNode.Parse(json)?.AsObject() ?? new JsonObject(); }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new UserFacingException($"{source}: not a JSON object ({e.Message}). Fix: write {{ \"Key\": value, ... }} with keys of the resolved config (signnb train --print-config).");
        }
        var merged = JsonNode.Parse(JsonSerializer.Serialize(baseConfig, Options))!.AsObject();
        Merge(merged, overrides, source, "", OptionalPaths(typeof(T), "").ToArray());
        try { return merged.Deserialize<T>(Options) ?? throw new JsonException("null"); }
        catch (JsonException e)
        {
            throw new UserFacingException($"{source}: {e.Message} Fix: check the value's type against `signnb train --print-config`.");
        }
    }

    /// <summary>Reads an override file and merges it over <paramref name="baseConfig"/>.</summary>
    public static T Load<T>(T baseConfig, string path) where T : class
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserFacingException($"cannot read config {path}: {e.Message}");
        }
        return ApplyOverrides(baseConfig, text, path);
    }

    public static TrainingConfig Load(TrainingConfig baseConfig, string path)
    {
        var cfg = Load<TrainingConfig>(baseConfig, path);
        return cfg with { Model = cfg.Model with { Streams = cfg.StreamKind } };
    }

    /// <summary>
    /// Dotted paths of the settings that are left out of a config while unset (JsonIgnore WhenWritingNull, so that
    /// adding them did not change existing configs or run hashes): an override may still name them.
    /// </summary>
    private static IEnumerable<string> OptionalPaths(Type type, string prefix)
    {
        foreach (var p in type.GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance))
        {
            var ignore = p.GetCustomAttributes(typeof(System.Text.Json.Serialization.JsonIgnoreAttribute), true)
                .Cast<System.Text.Json.Serialization.JsonIgnoreAttribute>().FirstOrDefault();
            if (ignore?.Condition == System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull) yield return prefix + p.Name;
            else if (ignore is null && p.PropertyType.IsClass && p.PropertyType.Namespace?.StartsWith("SignNotebooks", StringComparison.Ordinal) == true)
                foreach (var inner in OptionalPaths(p.PropertyType, prefix + p.Name + ".")) yield return inner;
        }
    }

    private static void Merge(JsonObject target, JsonObject overrides, string source, string prefix, string[] optionalKeys)
    {
        foreach (var (key, value) in overrides.ToList())
        {
            var match = target.Select(p => p.Key).FirstOrDefault(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase))
                ?? optionalKeys.FirstOrDefault(k => string.Equals(k, prefix + key, StringComparison.OrdinalIgnoreCase))?[prefix.Length..];
            if (match is null)
                throw new UserFacingException($"{source}: unknown key '{prefix}{key}'. Known keys here: {string.Join(", ", target.Select(p => p.Key))}.");
            if (value is JsonObject o && target[match] is JsonObject t) Merge(t, o, source, prefix + match + ".", optionalKeys);
            else if (value is JsonArray a && target[match] is JsonObject tuple && IsTuple(tuple))
            {
                // A tuple written as --print-config shows it: [min, max].
                if (a.Count != tuple.Count)
                    throw new UserFacingException($"{source}: {prefix}{match} takes {tuple.Count} values, like [{string.Join(", ", tuple.Select(p => p.Value?.ToJsonString()))}]; got {a.Count}. Fix: give {tuple.Count} numbers.");
                target[match] = new JsonObject(a.Select((v, i) => KeyValuePair.Create("Item" + (i + 1), v?.DeepClone())));
            }
            else target[match] = value?.DeepClone();
        }
    }
}
