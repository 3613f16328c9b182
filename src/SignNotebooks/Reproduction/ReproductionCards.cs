using System.Text.Json;
using System.Text.Json.Serialization;
using SignNotebooks.Util;

namespace SignNotebooks.Reproduction;

/// <summary>Reads reproduction cards: every card in <c>data/cards/</c>, or one by id or path, validated at load time.</summary>
public static class ReproductionCards
{
    private static readonly JsonSerializerOptions Options = new()
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        WriteIndented = true,
    };

    /// <summary>The folder of the committed cards.</summary>
    public static string Folder => Path.Combine(RepoPaths.Data, "cards");

    /// <summary>Every card in <paramref name="folder"/> (default <see cref="Folder"/>), ordered by id.</summary>
    public static IReadOnlyList<ReproductionCard> LoadAll(string? folder = null)
    {
        folder ??= Folder;
        if (!Directory.Exists(folder))
            throw new UserFacingException($"{folder}: no cards folder. Fix: run from a clone of the repository (data/cards/), or set SIGNNB_ROOT.");
        return Directory.GetFiles(folder, "*.json").Order(StringComparer.Ordinal).Select(Load).ToList();
    }

    /// <summary>A card by id (a file in <see cref="Folder"/>) or by path to a JSON file.</summary>
    public static ReproductionCard Find(string idOrPath)
    {
        if (File.Exists(idOrPath)) return Load(idOrPath);
        var path = Path.Combine(Folder, idOrPath + ".json");
        if (File.Exists(path)) return Load(path);
        var known = Directory.Exists(Folder) ? Directory.GetFiles(Folder, "*.json").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal).ToList() : [];
        throw new UserFacingException($"no reproduction card '{idOrPath}'. Fix: use a card id ({string.Join(", ", known)}) or the path of a card file.");
    }

    /// <summary>Reads and validates one card; its Id must equal the file name.</summary>
    public static ReproductionCard Load(string path)
    {
        ReproductionCard? card;
        try { card = JsonSerializer.Deserialize<ReproductionCard>(File.ReadAllText(path), Options); }
        catch (JsonException e)
        {
            throw new UserFacingException($"{path}: not a valid card ({e.Message}). Fix: compare it with a card in data/cards/; every field is described in Reproduction/README.md.");
        }
        catch (IOException e) { throw new UserFacingException($"{path}: cannot read the card ({e.Message}). Fix: check the path."); }
        if (card is null) throw new UserFacingException($"{path}: the card is empty (null). Fix: write a JSON object.");
        var name = Path.GetFileNameWithoutExtension(path);
        if (card.Id != name)
            throw new UserFacingException($"{path}: Id '{card.Id}' differs from the file name '{name}'. Fix: make them equal, so a card is found by its id.");
        return card.Validate(path);
    }

    /// <summary>Writes a card as JSON (tests, new cards).</summary>
    public static void Save(ReproductionCard card, string path) =>
        File.WriteAllText(path, JsonSerializer.Serialize(card, Options) + "\n");
}
