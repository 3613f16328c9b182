using System.Globalization;
using SignNotebooks.Synthetic;
using SignNotebooks.Util;

namespace SignNotebooks.Importance;

/// <summary>
/// Gloss → how much each articulator (<see cref="ArticulatorParts"/>) carries the sign, weights in [0, 1]. The file
/// format is a CSV with the header <c>gloss,part,weight</c>, one row per (gloss, part) that matters; parts a gloss
/// does not list weigh 0; lines starting with <c>#</c> are comments. Every gloss of the vocabulary needs at least one
/// row: a missing gloss is an error, not a silent default, because a default would hide a typo in a big lexicon.
/// </summary>
public sealed class SignDictionary
{
    private readonly Dictionary<string, double[]> _weights;

    public SignDictionary(IReadOnlyDictionary<string, double[]> weights)
    {
        foreach (var (g, w) in weights)
            if (w.Length != ArticulatorParts.Count || w.Any(x => x is < 0 or > 1 || double.IsNaN(x)))
                throw new ArgumentException($"gloss {g}: need {ArticulatorParts.Count} weights in [0, 1]");
        _weights = weights.ToDictionary(kv => kv.Key, kv => (double[])kv.Value.Clone(), StringComparer.Ordinal);
    }

    public IReadOnlyCollection<string> Glosses => _weights.Keys;

    /// <summary>The weights of one gloss, one per part in <see cref="ArticulatorParts.Names"/> order.</summary>
    public double[] Weights(string gloss) => _weights.TryGetValue(gloss, out var w)
        ? (double[])w.Clone()
        : throw new UserFacingException($"sign dictionary: no entry for gloss '{gloss}'. Fix: add rows `{gloss},<part>,<weight>` for the parts it uses.");

    /// <summary>
    /// SynthSign's lexicon written as a dictionary. The generator knows each sign's parameters, so the weights are
    /// facts, not guesses: the dominant (right) hand always 1; the left hand 1 for two-handed symmetric signs and 0.5
    /// as the passive base hand; mouth 1 when the sign has a mouth shape; face 1 when it has a brow shape; body 0.25
    /// for every sign (the arms move, the torso is only the reference for the location).
    /// </summary>
    public static SignDictionary FromLexicon(Lexicon lexicon)
    {
        var d = new Dictionary<string, double[]>(StringComparer.Ordinal);
        foreach (var e in lexicon.Entries)
        {
            var w = new double[ArticulatorParts.Count];
            w[ArticulatorParts.RightHand] = 1;
            w[ArticulatorParts.LeftHand] = e.Hands switch { HandUse.TwoSymmetric => 1, HandUse.DominantPassive => 0.5, _ => 0 };
            w[ArticulatorParts.Mouth] = e.Mouth == MouthShape.Neutral ? 0 : 1;
            w[ArticulatorParts.Face] = e.Brows == BrowShape.Neutral ? 0 : 1;
            w[ArticulatorParts.Body] = 0.25;
            d[e.Gloss] = w;
        }
        return new SignDictionary(d);
    }

    public void Save(string path)
    {
        using var w = new StreamWriter(path);
        w.WriteLine("# sign dictionary: which articulators carry each gloss (weights in [0, 1]; unlisted parts weigh 0)");
        w.WriteLine($"# parts: {string.Join(", ", ArticulatorParts.Names)}");
        w.WriteLine("gloss,part,weight");
        foreach (var g in _weights.Keys.Order(StringComparer.Ordinal))
            for (int p = 0; p < ArticulatorParts.Count; p++)
                if (_weights[g][p] > 0) w.WriteLine($"{g},{ArticulatorParts.Names[p]},{_weights[g][p].ToString("0.###", CultureInfo.InvariantCulture)}");
    }

    /// <summary>
    /// Reads a dictionary for a vocabulary. Every problem of the file is collected and reported in one error that
    /// names the file and the lines: unknown part names, glosses outside the vocabulary, weights outside [0, 1],
    /// malformed rows, and the vocabulary's glosses that have no row.
    /// </summary>
    public static SignDictionary Load(string path, IEnumerable<string> vocabularyGlosses)
    {
        string[] lines;
        try { lines = StrictText.ReadAllLines(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserFacingException($"cannot read sign dictionary {path}: {e.Message}");
        }
        var vocab = new HashSet<string>(vocabularyGlosses, StringComparer.Ordinal);
        var d = new Dictionary<string, double[]>(StringComparer.Ordinal);
        var problems = new List<string>();
        var unknownParts = new SortedSet<string>(StringComparer.Ordinal);
        var unknownGlosses = new SortedSet<string>(StringComparer.Ordinal);
        bool header = false;
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var f = line.Split(',').Select(x => x.Trim()).ToArray();
            if (!header)
            {
                if (f.Length != 3 || f[0] != "gloss" || f[1] != "part" || f[2] != "weight")
                    throw new UserFacingException($"{path}:{i + 1}: the first row must be the header `gloss,part,weight` (got `{line}`). Fix: add the header line.");
                header = true;
                continue;
            }
            if (f.Length != 3) { problems.Add($"line {i + 1}: expected 3 fields gloss,part,weight, got {f.Length} (`{line}`)"); continue; }
            int part = ArticulatorParts.IndexOf(f[1]);
            if (part < 0) { unknownParts.Add(f[1]); problems.Add($"line {i + 1}: unknown part '{f[1]}'"); continue; }
            if (!vocab.Contains(f[0])) { unknownGlosses.Add(f[0]); problems.Add($"line {i + 1}: gloss '{f[0]}' is not in the vocabulary"); continue; }
            if (!double.TryParse(f[2], NumberStyles.Float, CultureInfo.InvariantCulture, out double weight) || weight is < 0 or > 1 || double.IsNaN(weight))
            { problems.Add($"line {i + 1}: weight '{f[2]}' must be a number in [0, 1]"); continue; }
            if (!d.TryGetValue(f[0], out var w)) d[f[0]] = w = new double[ArticulatorParts.Count];
            w[part] = weight;
        }
        if (!header) throw new UserFacingException($"{path}: no header `gloss,part,weight` and no rows. Fix: write the dictionary in that format (signnb dictionary write shows one).");
        var missing = vocab.Where(g => !d.ContainsKey(g)).Order(StringComparer.Ordinal).ToList();
        if (problems.Count > 0 || missing.Count > 0)
        {
            var msg = new List<string> { $"sign dictionary {path} has problems:" };
            msg.AddRange(problems.Select(p => "  " + p));
            if (unknownParts.Count > 0) msg.Add($"  unknown part names: {string.Join(", ", unknownParts)}; known parts: {string.Join(", ", ArticulatorParts.Names)}");
            if (unknownGlosses.Count > 0) msg.Add($"  glosses not in the vocabulary: {string.Join(", ", unknownGlosses)}");
            if (missing.Count > 0) msg.Add($"  glosses of the vocabulary with no entry: {string.Join(", ", missing)}");
            msg.Add("Fix: correct those rows; give every gloss at least one row (parts it does not use can be left out).");
            throw new UserFacingException(string.Join(Environment.NewLine, msg));
        }
        return new SignDictionary(d);
    }
}
