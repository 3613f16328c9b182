using System.Collections;
using SignNotebooks.Corpora;
using SignNotebooks.Util;
using static TorchSharp.torch;

namespace SignNotebooks.Translation;

/// <summary>
/// mBART vocabulary pruning (spec §10.1): keep the special tokens, the language codes, <c>&lt;mask&gt;</c> and every id
/// that occurs in a dataset's texts and glosses; new ids are the kept old ids in ascending order. The embedding,
/// <c>lm_head</c> and <c>final_logits_bias</c> rows are taken over by the same map.
/// </summary>
public sealed class MBartPruneMap
{
    private readonly Dictionary<int, int> _oldToNew;

    /// <summary>Kept old ids, indexed by new id.</summary>
    public IReadOnlyList<int> NewToOld { get; }
    public int Count => NewToOld.Count;

    public MBartPruneMap(IEnumerable<KeyValuePair<int, int>> oldToNew, string source = "prune map")
    {
        _oldToNew = new Dictionary<int, int>();
        foreach (var (o, n) in oldToNew)
            if (!_oldToNew.TryAdd(o, n)) throw new UserFacingException($"{source}: old id {o} appears twice. Fix: one entry per old id.");
        var inverse = new int[_oldToNew.Count];
        Array.Fill(inverse, -1);
        foreach (var (o, n) in _oldToNew)
        {
            if (n < 0 || n >= inverse.Length || inverse[n] != -1)
                throw new UserFacingException($"{source}: new ids must be 0..{inverse.Length - 1}, each once (old {o} → new {n}). Fix: rebuild the map.");
            inverse[n] = o;
        }
        NewToOld = inverse;
    }

    /// <summary>The map that keeps <paramref name="alwaysKept"/> (specials, language codes, mask) and every used id.</summary>
    public static MBartPruneMap Build(IEnumerable<int> usedIds, IEnumerable<int> alwaysKept) =>
        new(alwaysKept.Concat(usedIds).Distinct().Order().Select((old, i) => new KeyValuePair<int, int>(old, i)));

    /// <summary>New id of an old (full-vocabulary) id, or null when pruned away.</summary>
    public int? ToNew(int oldId) => _oldToNew.TryGetValue(oldId, out var n) ? n : null;

    public int ToOld(int newId) => newId >= 0 && newId < NewToOld.Count ? NewToOld[newId]
        : throw new ArgumentOutOfRangeException(nameof(newId), newId, $"pruned ids are 0..{NewToOld.Count - 1}");

    /// <summary>
    /// Reads a pickled dict old id → new id (the layout SLRT's pruning notebook is described to write as
    /// <c>map_ids.pkl</c>; the exact layout is unverified here, so anything else is refused with a message).
    /// </summary>
    public static MBartPruneMap Read(string path)
    {
        if (SafeUnpickler.Load(path) is not IDictionary d)
            throw new UserFacingException($"{path}: not a prune map: expected a pickled dict old id → new id. Fix: pass the map_ids.pkl of the pruned mBART folder.");
        var pairs = new List<KeyValuePair<int, int>>();
        foreach (DictionaryEntry e in d)
        {
            if (e.Key is not (int or long) || e.Value is not (int or long))
                throw new UserFacingException($"{path}: entry {e.Key} → {e.Value} is not int → int. Fix: pass the id map (old → new), not the token map.");
            pairs.Add(new(Convert.ToInt32(e.Key), Convert.ToInt32(e.Value)));
        }
        return new MBartPruneMap(pairs, path);
    }

    /// <summary>
    /// Prunes the vocabulary rows of a full mBART state dict (Hugging Face names under <paramref name="prefix"/>):
    /// <c>model.shared</c>, <c>model.{encoder,decoder}.embed_tokens</c>, <c>lm_head</c> (rows) and
    /// <c>final_logits_bias</c> (columns). Other tensors pass through.
    /// </summary>
    public Dictionary<string, Tensor> Prune(IReadOnlyDictionary<string, Tensor> stateDict, string prefix = "")
    {
        var index = tensor(NewToOld.Select(i => (long)i).ToArray());
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (key, t) in stateDict)
        {
            var k = key.StartsWith(prefix, StringComparison.Ordinal) ? key[prefix.Length..] : null;
            result[key] = k switch
            {
                "model.shared.weight" or "model.encoder.embed_tokens.weight" or "model.decoder.embed_tokens.weight" or "lm_head.weight" => t.index_select(0, index),
                "final_logits_bias" => t.index_select(1, index),
                _ => t,
            };
        }
        return result;
    }
}
