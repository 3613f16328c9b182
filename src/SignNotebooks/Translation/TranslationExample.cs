using System.Collections.Concurrent;
using SignNotebooks.Synthetic;

namespace SignNotebooks.Translation;

/// <summary>One sentence of a corpus split: clip name, gloss sequence and reference translation.</summary>
public sealed record TranslationExample(string Name, string[] Glosses, string Text)
{
    private static readonly ConcurrentDictionary<(string, int, string, int), TranslationExample[]> Cache = new();

    /// <summary>
    /// The first <paramref name="max"/> sentences of a SynthSign split (all when null). Only the sentence is needed,
    /// so clips are generated without frames; results are cached per process.
    /// </summary>
    public static TranslationExample[] SynthSign(SynthSignDataset dataset, string split, int? max = null)
    {
        int n = Math.Min(max ?? int.MaxValue, dataset.Profile.ClipCount(split));
        return Cache.GetOrAdd((dataset.Profile.Name, dataset.Corpus.Seed, split, n), _ =>
            dataset.GenerateMany(split, n, withFrames: false).Select(c => new TranslationExample(c.Name, c.Glosses, c.Translation)).ToArray());
    }
}
