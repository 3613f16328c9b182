using SignNotebooks.Synthetic;

namespace SignNotebooks.Tests.Synthetic;

/// <summary>The tiny corpus generated once (keypoints only) and shared by the tests that read many clips.</summary>
public sealed class TinyCorpus
{
    public SynthSignDataset Dataset { get; } = new("tiny");
    public IReadOnlyDictionary<string, SynthClip[]> Clips { get; }

    public TinyCorpus()
    {
        Clips = Dataset.Splits.ToDictionary(s => s, s => Dataset.GenerateMany(s, int.MaxValue, withFrames: false));
    }

    public IEnumerable<SynthClip> All => Clips.Values.SelectMany(c => c);
}
