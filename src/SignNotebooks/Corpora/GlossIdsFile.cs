using System.Collections;
using Razorvine.Pickle;
using SignNotebooks.Data;
using SignNotebooks.Util;

namespace SignNotebooks.Corpora;

/// <summary>
/// SLRT's <c>gloss2ids.pkl</c> (a pickled dict gloss → id, spec §6) ↔ our <see cref="Vocabulary"/>. Reading keeps the
/// official ids exactly (shared ids included), so a checkpoint trained with that file decodes to the same glosses;
/// <see cref="Differences"/> says in words why a checkpoint's vocabulary and ours disagree (SLRT#39: pruned vocabularies).
/// </summary>
public static class GlossIdsFile
{
    /// <summary>Reads an official gloss2ids.pkl as the vocabulary of <paramref name="dataset"/> (its pad/unk tokens and case rule).</summary>
    public static Vocabulary Read(string path, string dataset)
    {
        if (SafeUnpickler.Load(path) is not IDictionary d)
            throw new UserFacingException($"{path}: not a gloss2ids file: the pickle is not a dict gloss → id. Fix: pass data/<dataset>/gloss2ids.pkl from SLRT.");
        var pairs = new List<KeyValuePair<string, int>>();
        foreach (DictionaryEntry e in d)
        {
            if (e.Key is not string g || e.Value is not (int or long))
                throw new UserFacingException($"{path}: entry {e.Key} → {e.Value} is not gloss (str) → id (int). Fix: pass SLRT's gloss2ids.pkl.");
            pairs.Add(new(g, Convert.ToInt32(e.Value)));
        }
        // Python dicts keep insertion order but Razorvine's Hashtable does not; order by id, then name, so that the
        // gloss of a shared id resolves like SLRT's inverse map (spec §6: Phoenix-2014's id 4 decodes to REGEN).
        pairs = pairs.OrderBy(p => p.Value).ThenBy(p => p.Key.StartsWith('<') ? 0 : 1).ThenBy(p => p.Key, StringComparer.Ordinal).ToList();
        var (pad, unk, lower, first) = dataset switch
        {
            "phoenix-2014" => ("<pad>", "<unk>", false, 5),
            "phoenix-2014t" => ("<pad>", "<unk>", true, 9),
            "csl-daily" => ("<pad>", "<unk>", true, 4),
            _ => throw new UserFacingException($"unknown dataset '{dataset}'. Fix: use one of {string.Join(", ", CorpusLayout.Names)}."),
        };
        var v = new Vocabulary(pairs, pad, unk, lower, first, path);
        if (v.BlankToken is not ("<s>" or "<si>"))
            throw new UserFacingException($"{path}: id 0 is '{v.BlankToken}', but the CTC blank must be id 0 (<s> for Phoenix, <si> for CSL-Daily; spec §6). " +
                                          "Fix: this is not a recognition vocabulary (gloss2ids_old.pkl or a tokenizer file?).");
        return v;
    }

    /// <summary>Writes a vocabulary as a gloss2ids.pkl that SLRT's code reads (protocol 2, every key with its id).</summary>
    public static void Write(Vocabulary vocabulary, string path)
    {
        var dict = new Hashtable();
        foreach (var (g, id) in vocabulary.GlossToId) dict[g] = id;
        using var pickler = new Pickler();
        File.WriteAllBytes(path, pickler.dumps(dict));
    }

    /// <summary>Every way two vocabularies disagree, one sentence each; empty when ids and glosses are identical.</summary>
    public static List<string> Differences(Vocabulary official, Vocabulary ours, int maxListed = 10)
    {
        var d = new List<string>();
        if (official.Count != ours.Count)
            d.Add($"{official.Count} classes in the official vocabulary, {ours.Count} in ours: a checkpoint's classifier (gloss_output_layer) will not load");
        var moved = official.GlossToId.Where(p => ours.GlossToId.TryGetValue(p.Key, out var id) && id != p.Value).ToList();
        if (moved.Count > 0)
            d.Add($"{moved.Count} glosses have other ids ({string.Join(", ", moved.OrderBy(p => p.Value).Take(maxListed).Select(p => $"{p.Key} {p.Value}→{ours.GlossToId[p.Key]}"))}): predictions would decode to wrong glosses");
        var missing = official.GlossToId.Keys.Where(k => !ours.GlossToId.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        if (missing.Count > 0) d.Add($"{missing.Count} official glosses are not in ours ({string.Join(' ', missing.Take(maxListed))}{(missing.Count > maxListed ? " …" : "")})");
        var extra = ours.GlossToId.Keys.Where(k => !official.GlossToId.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        if (extra.Count > 0) d.Add($"{extra.Count} of our glosses are not official ({string.Join(' ', extra.Take(maxListed))}{(extra.Count > maxListed ? " …" : "")})");
        if (official.LowerCase != ours.LowerCase) d.Add($"lower-casing differs (official {official.LowerCase}, ours {ours.LowerCase})");
        return d;
    }
}
