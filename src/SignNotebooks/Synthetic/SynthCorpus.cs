namespace SignNotebooks.Synthetic;

/// <summary>
/// Corpus-level pieces shared by every clip of one (profile, seed): the lexicon, the signers, and disjoint
/// sentence pools per split (dev/test sentences never occur in train; test-shift reuses the test sentences
/// clip for clip, so test vs test-shift isolates the signer + background shift).
/// </summary>
public sealed class SynthCorpus
{
    public SynthProfile Profile { get; }
    public int Seed { get; }
    public SynthKnobs Knobs { get; }
    public Lexicon Lexicon { get; }
    public SynthGrammar Grammar { get; }
    public IReadOnlyList<SynthSigner> Signers { get; }
    private readonly Dictionary<string, SynthSentence[]> _pools;

    public SynthCorpus(SynthProfile profile, int seed = 0, SynthKnobs? knobs = null, Lexicon? lexicon = null)
    {
        Profile = profile; Seed = seed; Knobs = knobs ?? new SynthKnobs();
        Lexicon = lexicon ?? Lexicon.Default;
        Grammar = new SynthGrammar(Lexicon);
        Signers = Enumerable.Range(0, SynthSigner.Count).Select(i => SynthSigner.Create(seed, i)).ToList();
        _pools = BuildPools();
    }

    /// <summary>Sentence pool of a split (train: about one sentence per 1.25 clips, so some repeat).</summary>
    public IReadOnlyList<SynthSentence> Sentences(string split) => _pools[split == "test-shift" ? "test" : split];

    public bool IsShift(string split) => split == "test-shift";

    private Dictionary<string, SynthSentence[]> BuildPools()
    {
        int train = Math.Max(1, (int)Math.Ceiling(Profile.TrainClips / 1.25)), dev = Profile.DevClips, test = Profile.TestClips;
        int need = train + dev + test;
        var rng = SynthRng.For((ulong)Seed, SynthRng.Hash("sentences"), SynthRng.Hash(Profile.Name));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var list = new List<SynthSentence>(need);
        for (int attempts = 0; list.Count < need; attempts++)
        {
            if (attempts > need * 200)
                throw new InvalidOperationException($"the grammar yields only {list.Count} distinct sentences of {Profile.MinGlosses}–{Profile.MaxGlosses} signs; {need} needed");
            var s = Grammar.Generate(ref rng, Profile.MinGlosses, Profile.MaxGlosses);
            if (seen.Add(s.Key)) list.Add(s);
        }
        // Shuffle before slicing: the first distinct sentences drawn are the most probable ones.
        for (int i = list.Count - 1; i > 0; i--) { int j = rng.Int(0, i); (list[i], list[j]) = (list[j], list[i]); }
        return new Dictionary<string, SynthSentence[]>
        {
            ["train"] = list.Take(train).ToArray(),
            ["dev"] = list.Skip(train).Take(dev).ToArray(),
            ["test"] = list.Skip(train + dev).Take(test).ToArray(),
        };
    }
}
