using SignNotebooks.Data;
using SignNotebooks.Util;

namespace SignNotebooks.Synthetic;

/// <summary>
/// SynthSign as an <see cref="ISignDataset"/>: clips are generated on demand (fast enough that no cache is
/// needed; see `signnb bench synth`). <see cref="Load"/> returns the detected (noisy) keypoints like a real
/// corpus; <see cref="LoadSynth"/> gives everything, including the clean keypoints and frame labels.
/// Splits: train, dev, test (seen signers and background families, unseen sentences) and test-shift (unseen
/// signers and unseen background families, the test sentences).
/// </summary>
public sealed class SynthSignDataset : ISignDataset
{
    public static readonly string[] SplitNames = ["train", "dev", "test", "test-shift"];

    public SynthCorpus Corpus { get; }
    public SynthProfile Profile => Corpus.Profile;
    public string Name => "synthsign";
    public IReadOnlyList<string> Splits => SplitNames;
    public IReadOnlyList<string> Glosses => Corpus.Lexicon.Glosses;

    /// <param name="profile">tiny, standard or large (UserFacingException otherwise).</param>
    public SynthSignDataset(string profile = "tiny", int seed = 0, SynthKnobs? knobs = null)
        : this(SynthProfile.Get(profile), seed, knobs) { }

    public SynthSignDataset(SynthProfile profile, int seed = 0, SynthKnobs? knobs = null)
    {
        Corpus = new SynthCorpus(profile, seed, knobs);
    }

    public IReadOnlyList<string> ClipNames(string split)
    {
        int n = Profile.ClipCount(split);
        return Enumerable.Range(0, n).Select(i => SynthGenerator.ClipName(split, i)).ToList();
    }

    public SignClip Load(string split, string name, bool withFrames = true) => LoadSynth(split, name, withFrames).ToSignClip();

    public SynthClip LoadSynth(string split, string name, bool withFrames = true) => Generate(split, IndexOf(split, name), withFrames);

    public bool CanRestage => true;

    /// <summary>
    /// The clip with its frames re-rendered over a background, lighting and the signer's clothes, skin and hair drawn from
    /// <paramref name="variant"/> (<see cref="SynthGenerator.Generate"/>); signing, keypoints and labels are the clip's own. Only for training: a clip
    /// of an evaluation split keeps the background the split defines.
    /// </summary>
    public SignClip LoadRestaged(string split, string name, int variant)
    {
        if (split != "train")
            throw new UserFacingException($"restaging (InputConfig.Restage) is a training augmentation; split '{split}' keeps its own backgrounds and signers. Fix: apply it to 'train' only.");
        return SynthGenerator.Generate(Corpus, split, IndexOf(split, name), withFrames: true, restageVariant: variant).ToSignClip();
    }

    /// <summary>Clip <paramref name="index"/> of a split.</summary>
    public SynthClip Generate(string split, int index, bool withFrames = true)
    {
        int n = Profile.ClipCount(split);
        if (index < 0 || index >= n)
            throw new UserFacingException($"SynthSign {Profile.Name}/{split} has clips 0–{n - 1}; index {index} does not exist");
        return SynthGenerator.Generate(Corpus, split, index, withFrames);
    }

    /// <summary>Generates clips [0, count) of a split in parallel; results are in index order and identical to sequential ones.</summary>
    public SynthClip[] GenerateMany(string split, int count, bool withFrames = true, int maxThreads = -1)
    {
        count = Math.Min(count, Profile.ClipCount(split));
        var clips = new SynthClip[count];
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = maxThreads }, i => clips[i] = Generate(split, i, withFrames));
        return clips;
    }

    private int IndexOf(string split, string name)
    {
        string prefix = split + "-";
        Profile.ClipCount(split);
        if (!name.StartsWith(prefix, StringComparison.Ordinal) || !int.TryParse(name.AsSpan(prefix.Length), out int index))
            throw new UserFacingException($"'{name}' is not a SynthSign clip name of split '{split}'; names look like {SynthGenerator.ClipName(split, 0)}");
        return index;
    }
}
