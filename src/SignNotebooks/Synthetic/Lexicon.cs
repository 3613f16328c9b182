namespace SignNotebooks.Synthetic;

/// <summary>
/// The SynthSign vocabulary: 40 weather-report signs (the Phoenix domain) written down by their phonological
/// parameters. It contains minimal pairs that differ only in handshape (ONE…FIVE) and pairs that differ only in
/// the face (WARM/HOT, MAYBE/SURE, LITTLE/MUCH), so finger keypoints and face pixels each carry information
/// the other stream has to work for. Within a category the order is the frequency rank (Zipf, see
/// <see cref="SynthGrammar"/>).
/// </summary>
public sealed class Lexicon
{
    public IReadOnlyList<SignEntry> Entries { get; }
    private readonly Dictionary<string, SignEntry> _byGloss;

    public Lexicon(IReadOnlyList<SignEntry> entries)
    {
        Entries = entries;
        _byGloss = entries.ToDictionary(e => e.Gloss, StringComparer.Ordinal);
        var dup = entries.GroupBy(e => e.ManualKey + "#" + e.FaceKey).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null)
            throw new ArgumentException($"lexicon: signs {string.Join(", ", dup.Select(e => e.Gloss))} have identical parameters; change one of them");
    }

    public SignEntry this[string gloss] => _byGloss[gloss];
    public bool Contains(string gloss) => _byGloss.ContainsKey(gloss);
    public IReadOnlyList<string> Glosses => Entries.Select(e => e.Gloss).ToList();

    /// <summary>Glosses of one category in frequency-rank order.</summary>
    public IReadOnlyList<string> Category(string category) =>
        Entries.Where(e => e.Category == category).Select(e => e.Gloss).ToList();

    /// <summary>Pairs of signs identical except for the dominant handshape.</summary>
    public IEnumerable<(string A, string B)> HandshapePairs() => Pairs(e => e.ManualKeyWithoutHandshape + "#" + e.FaceKey);

    /// <summary>Pairs of signs with the same manual part and a different face.</summary>
    public IEnumerable<(string A, string B)> FacePairs() => Pairs(e => e.ManualKey);

    private IEnumerable<(string, string)> Pairs(Func<SignEntry, string> key)
    {
        foreach (var g in Entries.GroupBy(key))
        {
            var list = g.ToList();
            for (int i = 0; i < list.Count; i++)
                for (int j = i + 1; j < list.Count; j++) yield return (list[i].Gloss, list[j].Gloss);
        }
    }

    /// <summary>The default 40-sign lexicon.</summary>
    public static Lexicon Default { get; } = new(BuildDefault());

    private static List<SignEntry> BuildDefault()
    {
        var l = new List<SignEntry>();
        void Add(string gloss, string cat, Handshape hs, SignLocation loc, Movement mv, HandUse hands = HandUse.OneHanded,
            Handshape? passive = null, MouthShape mouth = MouthShape.Neutral, BrowShape brows = BrowShape.Neutral, float angle = -90)
            => l.Add(new SignEntry(gloss, cat, hs, loc, mv, hands, passive, mouth, brows, angle));
        const HandUse Sym = HandUse.TwoSymmetric, DP = HandUse.DominantPassive;

        Add("TODAY", "time", Handshape.B, SignLocation.Neutral, new(PathShape.Tap, 0, 1, 0.15f, 2), angle: -60);
        Add("TOMORROW", "time", Handshape.A, SignLocation.Cheek, new(PathShape.Arc, -1, 0, 0.3f));
        Add("MORNING", "time", Handshape.B, SignLocation.Chest, new(PathShape.Arc, 0, -1, 0.35f), DP, Handshape.B);
        Add("EVENING", "time", Handshape.B, SignLocation.Neutral, new(PathShape.Arc, 0, 1, 0.3f), DP, Handshape.B, angle: -30);
        Add("NIGHT", "time", Handshape.Claw, SignLocation.Neutral, new(PathShape.Line, 1, 0.3f, 0.3f), DP, Handshape.S, angle: 60);
        Add("WEEKEND", "time", Handshape.V, SignLocation.Neutral, new(PathShape.Circle, 0, 1, 0.25f));

        Add("NORTH", "region", Handshape.One, SignLocation.Shoulder, new(PathShape.Line, 0, -1, 0.35f));
        Add("SOUTH", "region", Handshape.One, SignLocation.Neutral, new(PathShape.Line, 0, 1, 0.35f), angle: 90);
        Add("WEST", "region", Handshape.One, SignLocation.Neutral, new(PathShape.Line, -1, 0, 0.35f), angle: 180);
        Add("EAST", "region", Handshape.One, SignLocation.Neutral, new(PathShape.Line, 1, 0, 0.35f), angle: 0);
        Add("COAST", "region", Handshape.B, SignLocation.Neutral, new(PathShape.Zigzag, -1, 0, 0.4f, 2), Sym, angle: -150);
        Add("MOUNTAIN", "region", Handshape.A, SignLocation.Neutral, new(PathShape.Zigzag, 0, -1, 0.3f, 2), Sym);

        Add("RAIN", "weather", Handshape.Claw, SignLocation.Shoulder, new(PathShape.Tap, 0, 1, 0.2f, 3, 1.2f), Sym, angle: 90);
        Add("SUN", "weather", Handshape.Five, SignLocation.AboveHead, new(PathShape.Circle, 0, 1, 0.3f), angle: -60);
        Add("CLOUD", "weather", Handshape.C, SignLocation.AboveHead, new(PathShape.Arc, -1, 0, 0.35f), Sym, angle: -120);
        Add("SNOW", "weather", Handshape.Five, SignLocation.AboveHead, new(PathShape.Wiggle, 0, 1, 0.5f, 2, 0.8f), Sym, angle: 90);
        Add("WIND", "weather", Handshape.B, SignLocation.Neutral, new(PathShape.Arc, 1, 0, 0.45f, 2, 1.6f), Sym, angle: -20);
        Add("FOG", "weather", Handshape.Five, SignLocation.Neutral, new(PathShape.Circle, 0, 1, 0.2f, 2), DP, Handshape.Five, angle: -45);
        Add("STORM", "weather", Handshape.Claw, SignLocation.Neutral, new(PathShape.Circle, 0, 1, 0.4f, 2, 1.8f), Sym, angle: -70);
        Add("THUNDER", "weather", Handshape.One, SignLocation.AboveHead, new(PathShape.Zigzag, 0, 1, 0.55f, 1, 2.0f), angle: 90);

        // WARM/HOT: same hands, different face.
        Add("WARM", "adjective", Handshape.C, SignLocation.Mouth, new(PathShape.Circle, 0, 1, 0.15f), angle: -30);
        Add("HOT", "adjective", Handshape.C, SignLocation.Mouth, new(PathShape.Circle, 0, 1, 0.15f), mouth: MouthShape.Open, brows: BrowShape.Raised, angle: -30);
        Add("COLD", "adjective", Handshape.S, SignLocation.Chest, new(PathShape.Tap, 1, 0, 0.1f, 4, 1.5f), Sym, mouth: MouthShape.Wide, brows: BrowShape.Furrowed);
        Add("STRONG", "adjective", Handshape.S, SignLocation.Shoulder, new(PathShape.Line, 0, 1, 0.2f, 1, 1.3f), Sym, mouth: MouthShape.Pressed, brows: BrowShape.Furrowed);
        Add("WEAK", "adjective", Handshape.Five, SignLocation.Neutral, new(PathShape.Line, 0, 1, 0.2f), DP, Handshape.B, angle: 90);

        // Numbers: identical except for the handshape (spec-free design choice: the handshape minimal pairs).
        var number = new Movement(PathShape.Tap, 0, -1, 0.08f, 2);
        Add("ONE", "number", Handshape.One, SignLocation.Shoulder, number);
        Add("TWO", "number", Handshape.V, SignLocation.Shoulder, number);
        Add("THREE", "number", Handshape.W, SignLocation.Shoulder, number);
        Add("FOUR", "number", Handshape.Four, SignLocation.Shoulder, number);
        Add("FIVE", "number", Handshape.Five, SignLocation.Shoulder, number);
        Add("DEGREE", "unit", Handshape.O, SignLocation.Neutral, new(PathShape.Circle, 0, 1, 0.12f, 2), angle: -45);

        Add("COME", "verb", Handshape.One, SignLocation.Neutral, new(PathShape.Arc, 1, 0.3f, 0.35f), angle: -60);
        Add("STAY", "verb", Handshape.Y, SignLocation.Neutral, new(PathShape.Line, 0, 1, 0.15f), Sym, angle: 0);
        Add("CHANGE", "verb", Handshape.A, SignLocation.Neutral, new(PathShape.Circle, 0, 1, 0.2f), Sym, angle: -45);

        // MAYBE/SURE and LITTLE/MUCH: same hands, different face.
        var maybe = new Movement(PathShape.Tap, 0, 1, 0.12f, 3);
        Add("MAYBE", "modal", Handshape.B, SignLocation.Neutral, maybe, Sym, mouth: MouthShape.Round, brows: BrowShape.Raised, angle: -10);
        Add("SURE", "modal", Handshape.B, SignLocation.Neutral, maybe, Sym, mouth: MouthShape.Pressed, brows: BrowShape.Furrowed, angle: -10);
        var amount = new Movement(PathShape.Tap, 1, 0, 0.08f, 2);
        Add("MUCH", "amount", Handshape.L, SignLocation.Chest, amount, mouth: MouthShape.Wide, brows: BrowShape.Raised, angle: -45);
        Add("LITTLE", "amount", Handshape.L, SignLocation.Chest, amount, mouth: MouthShape.Round, brows: BrowShape.Furrowed, angle: -45);

        Add("ALSO", "conjunction", Handshape.One, SignLocation.Neutral, new(PathShape.Tap, 1, 0, 0.15f, 2), DP, Handshape.One, angle: 0);
        Add("THEN", "conjunction", Handshape.L, SignLocation.Neutral, new(PathShape.Arc, 1, 0, 0.25f), DP, Handshape.L, angle: -45);
        return l;
    }
}
