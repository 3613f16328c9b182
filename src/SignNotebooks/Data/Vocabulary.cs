using SignNotebooks.Util;

namespace SignNotebooks.Data;

/// <summary>
/// Gloss ↔ class id. Id 0 is the CTC blank (spec §6, asserted by SLRT); special tokens come first, then the
/// corpus glosses in the corpus's fixed order. Several keys may share an id (Phoenix-2014's <c>&lt;mask&gt;</c> and
/// <c>REGEN</c>), so <see cref="Count"/> is the number of distinct ids, i.e. the classifier size V.
/// </summary>
public sealed class Vocabulary
{
    private readonly Dictionary<string, int> _toId;
    private readonly string[] _toGloss;

    /// <summary>Gloss → id, including special tokens.</summary>
    public IReadOnlyDictionary<string, int> GlossToId => _toId;
    /// <summary>Number of classes V (distinct ids).</summary>
    public int Count => _toGloss.Length;
    /// <summary>Lookup lower-cases glosses first (Phoenix-2014T, CSL-Daily).</summary>
    public bool LowerCase { get; }
    public string BlankToken => _toGloss[0];
    public int BlankId => 0;
    public int PadId { get; }
    public int UnkId { get; }
    /// <summary>Ids below this are special tokens, never a gloss.</summary>
    public int FirstGlossId { get; }

    /// <summary>
    /// From a gloss → id map (e.g. SLRT's gloss2ids.pkl). Ids must be 0..V−1 with no gaps; id 0 is the blank.
    /// When several keys share an id, id → gloss resolves to the last key given for it (SLRT builds its inverse map
    /// by iterating the dict, so Phoenix-2014's id 4 decodes to REGEN).
    /// </summary>
    public Vocabulary(IEnumerable<KeyValuePair<string, int>> glossToId, string pad, string unk, bool lowerCase, int firstGlossId, string source = "vocabulary")
    {
        LowerCase = lowerCase;
        _toId = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (g, id) in glossToId)
        {
            if (!_toId.TryAdd(g, id))
                throw new UserFacingException($"{source}: gloss '{g}' appears twice. Fix: keep one entry per gloss.");
        }
        int v = _toId.Count == 0 ? 0 : _toId.Values.Max() + 1;
        _toGloss = new string[v];
        foreach (var (g, id) in glossToId)
        {
            if (id < 0) throw new UserFacingException($"{source}: gloss '{g}' has negative id {id}. Fix: ids must be 0..V−1.");
            _toGloss[id] = g;
        }
        int gap = Array.IndexOf(_toGloss, null);
        if (v == 0 || gap >= 0)
            throw new UserFacingException($"{source}: id {Math.Max(gap, 0)} has no gloss. Fix: ids must be contiguous from 0 (the blank).");
        PadId = _toId.TryGetValue(pad, out var p) ? p : throw new UserFacingException($"{source}: no '{pad}' token. Fix: add the padding token.");
        UnkId = _toId.TryGetValue(unk, out var u) ? u : throw new UserFacingException($"{source}: no '{unk}' token. Fix: add the unknown token.");
        FirstGlossId = firstGlossId;
    }

    /// <summary>Id of one gloss; unknown glosses map to <c>&lt;unk&gt;</c> (spec §6).</summary>
    public int Encode(string gloss) => _toId.TryGetValue(LowerCase ? gloss.ToLowerInvariant() : gloss, out var id) ? id : UnkId;

    public int[] Encode(IEnumerable<string> glosses) => glosses.Select(Encode).ToArray();

    /// <summary>Gloss of one id.</summary>
    public string Decode(int id) => id >= 0 && id < _toGloss.Length ? _toGloss[id]
        : throw new ArgumentOutOfRangeException(nameof(id), id, $"ids are 0..{_toGloss.Length - 1}");

    public string[] Decode(IEnumerable<int> ids) => ids.Select(Decode).ToArray();

    /// <summary>True for the blank and the other special tokens.</summary>
    public bool IsSpecial(int id) => id < FirstGlossId;

    /// <summary>SynthSign: <c>&lt;blank&gt;</c> 0, <c>&lt;pad&gt;</c> 1, <c>&lt;unk&gt;</c> 2, then the glosses as given.</summary>
    public static Vocabulary SynthSign(IEnumerable<string> glosses) =>
        Build(["<blank>", "<pad>", "<unk>"], glosses, lowerCase: false, "<pad>", "<unk>", "SynthSign vocabulary");

    /// <summary>
    /// Phoenix-2014 (spec §6): <c>&lt;s&gt;</c> 0 (blank), <c>&lt;pad&gt;</c> 1, <c>&lt;/s&gt;</c> 2, <c>&lt;unk&gt;</c> 3,
    /// <c>&lt;mask&gt;</c> 4 shared with <c>REGEN</c>, then the other glosses; upper case kept. 1236 keys give V = 1235.
    /// </summary>
    public static Vocabulary Phoenix2014(IEnumerable<string> glosses)
    {
        var list = new List<KeyValuePair<string, int>>();
        string[] specials = ["<s>", "<pad>", "</s>", "<unk>", "<mask>"];
        for (int i = 0; i < specials.Length; i++) list.Add(new(specials[i], i));
        list.Add(new("REGEN", 4));   // spec §6 / §15.5: REGEN shares id 4 with <mask>
        int next = specials.Length;
        foreach (var g in glosses.Distinct(StringComparer.Ordinal))
            if (g != "REGEN" && !specials.Contains(g)) list.Add(new(g, next++));
        return new Vocabulary(list, "<pad>", "<unk>", lowerCase: false, specials.Length, "Phoenix-2014 vocabulary");
    }

    /// <summary>Phoenix-2014T (spec §6): mBART-style specials <c>&lt;s&gt; &lt;pad&gt; &lt;/s&gt; &lt;unk&gt; &lt;mask&gt; zh_CN de_DE zh_CSL de_DGS</c>, then lower-cased glosses.</summary>
    public static Vocabulary Phoenix2014T(IEnumerable<string> glosses) =>
        Build(["<s>", "<pad>", "</s>", "<unk>", "<mask>", "zh_CN", "de_DE", "zh_CSL", "de_DGS"],
            glosses.Select(g => g.ToLowerInvariant()), lowerCase: true, "<pad>", "<unk>", "Phoenix-2014T vocabulary");

    /// <summary>CSL-Daily (spec §6): <c>&lt;si&gt;</c> 0 (blank), <c>&lt;unk&gt;</c> 1, <c>&lt;pad&gt;</c> 2, <c>&lt;/s&gt;</c> 3, then lower-cased words.</summary>
    public static Vocabulary CslDaily(IEnumerable<string> glosses) =>
        Build(["<si>", "<unk>", "<pad>", "</s>"], glosses.Select(g => g.ToLowerInvariant()), lowerCase: true, "<pad>", "<unk>", "CSL-Daily vocabulary");

    private static Vocabulary Build(string[] specials, IEnumerable<string> glosses, bool lowerCase, string pad, string unk, string source)
    {
        var list = specials.Select((s, i) => new KeyValuePair<string, int>(s, i)).ToList();
        var seen = new HashSet<string>(specials, StringComparer.Ordinal);
        foreach (var g in glosses)
            if (seen.Add(g)) list.Add(new(g, list.Count));
        return new Vocabulary(list, pad, unk, lowerCase, specials.Length, source);
    }
}
