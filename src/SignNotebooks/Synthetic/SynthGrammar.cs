namespace SignNotebooks.Synthetic;

/// <summary>A generated sentence: the gloss sequence (sign order) and its spoken-language translation.</summary>
public sealed record SynthSentence(string[] Glosses, string Translation)
{
    public string Key => string.Join(' ', Glosses);
}

/// <summary>
/// A small weather-report grammar. Sign order is topic-first (TIME REGION WEATHER ADJ MODAL; NUM DEGREE;
/// WEATHER VERB TIME), the English translation reorders (time first, modal before the predicate, adjective
/// before the noun, place phrase last) and adds function words ("there will be", "in the", "degrees").
/// Within each category a gloss is drawn with Zipf weights 1/rank^1.1, which gives the long-tailed gloss
/// frequencies of real corpora. The translation is a pure function of the derivation, hence deterministic.
/// </summary>
public sealed class SynthGrammar(Lexicon lexicon)
{
    private const double ZipfExponent = 1.1;

    private static readonly Dictionary<string, string> Words = new()
    {
        ["TODAY"] = "today", ["TOMORROW"] = "tomorrow", ["MORNING"] = "in the morning", ["EVENING"] = "in the evening",
        ["NIGHT"] = "at night", ["WEEKEND"] = "at the weekend",
        ["NORTH"] = "in the north", ["SOUTH"] = "in the south", ["WEST"] = "in the west", ["EAST"] = "in the east",
        ["COAST"] = "at the coast", ["MOUNTAIN"] = "in the mountains",
        ["RAIN"] = "rain", ["SUN"] = "sunshine", ["CLOUD"] = "clouds", ["SNOW"] = "snow", ["WIND"] = "wind",
        ["FOG"] = "fog", ["STORM"] = "storms", ["THUNDER"] = "thunder",
        ["WARM"] = "warm", ["HOT"] = "hot", ["COLD"] = "cold", ["STRONG"] = "strong", ["WEAK"] = "weak",
        ["ONE"] = "one", ["TWO"] = "two", ["THREE"] = "three", ["FOUR"] = "four", ["FIVE"] = "five",
        ["COME"] = "come", ["STAY"] = "stay", ["CHANGE"] = "change",
        ["MAYBE"] = "maybe", ["SURE"] = "certainly", ["MUCH"] = "a lot of", ["LITTLE"] = "little",
        ["ALSO"] = "and", ["THEN"] = ", then",
    };

    /// <summary>Draws one sentence with between <paramref name="minGlosses"/> and <paramref name="maxGlosses"/> signs.</summary>
    public SynthSentence Generate(ref SynthRng rng, int minGlosses, int maxGlosses)
    {
        for (int attempt = 0; ; attempt++)
        {
            var signs = new List<string>();
            var words = new List<string>();
            Clause(ref rng, signs, words);
            if (rng.Chance(0.35) && signs.Count < maxGlosses - 1)
            {
                string conj = Zipf(ref rng, "conjunction");
                signs.Add(conj);
                words.Add(Words[conj]);
                Clause(ref rng, signs, words);
            }
            if (signs.Count >= minGlosses && signs.Count <= maxGlosses)
                return new SynthSentence(signs.ToArray(), Finish(words));
            if (attempt > 1000) throw new InvalidOperationException($"grammar cannot make {minGlosses}–{maxGlosses} signs");
        }
    }

    private void Clause(ref SynthRng rng, List<string> signs, List<string> words)
    {
        double kind = rng.NextDouble();
        string? time = rng.Chance(0.45) ? Zipf(ref rng, "time") : null;
        string? region = rng.Chance(0.5) ? Zipf(ref rng, "region") : null;
        string? modal = rng.Chance(0.2) ? Zipf(ref rng, "modal") : null;
        if (kind < 0.6)
        {
            // Sign: [TIME] [REGION] WEATHER [ADJ|AMOUNT] [MODAL]  →  [time] there will [modal] be [adj] noun [region]
            string weather = Zipf(ref rng, "weather");
            string? adj = rng.Chance(0.45) ? Zipf(ref rng, rng.Chance(0.7) ? "adjective" : "amount") : null;
            Put(signs, time, region, weather, adj, modal);
            Put(words, W(time), "there will", W(modal), "be", W(adj), Words[weather], W(region));
        }
        else if (kind < 0.8)
        {
            // Sign: [TIME] [REGION] NUM DEGREE [MODAL]  →  [time] temperatures will [modal] reach num degrees [region]
            string num = Zipf(ref rng, "number");
            Put(signs, time, region, num, "DEGREE", modal);
            Put(words, W(time), "temperatures will", W(modal), "reach", Words[num], num == "ONE" ? "degree" : "degrees", W(region));
        }
        else
        {
            // Sign: WEATHER VERB [TIME] [MODAL]  →  [time] the noun will [modal] verb [region]
            string weather = Zipf(ref rng, "weather");
            string verb = Zipf(ref rng, "verb");
            Put(signs, region, weather, verb, time, modal);
            Put(words, W(time), "the", Words[weather], "will", W(modal), Words[verb], W(region));
        }
    }

    private static string? W(string? gloss) => gloss is null ? null : Words[gloss];

    private static void Put(List<string> list, params string?[] items)
    {
        foreach (var s in items) if (s is not null) list.Add(s);
    }

    private static string Finish(List<string> words)
    {
        var text = string.Join(' ', words).Replace(" , ", ", ");
        return text + " .";   // Phoenix-2014T translations end with " ." (spec §9)
    }

    private string Zipf(ref SynthRng rng, string category)
    {
        var glosses = lexicon.Category(category);
        if (glosses.Count == 0) throw new InvalidOperationException($"lexicon has no '{category}' signs");
        var w = new double[glosses.Count];
        for (int i = 0; i < w.Length; i++) w[i] = 1.0 / Math.Pow(i + 1, ZipfExponent);
        return glosses[rng.Weighted(w)];
    }
}
