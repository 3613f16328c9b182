using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using SignNotebooks.Data;
using SignNotebooks.Synthetic;
using SignNotebooks.Util;

namespace SignNotebooks.Translation;

/// <summary>One sentence of a corpus split: clip name, gloss sequence and reference translation.</summary>
public sealed record TranslationExample(string Name, string[] Glosses, string Text)
{
    private static readonly ConcurrentDictionary<(string, int, string, int), TranslationExample[]> Cache = new();
    private static readonly ConditionalWeakTable<ISignDataset, ConcurrentDictionary<(string, int), TranslationExample[]>> RealCache = new();

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

    /// <summary>
    /// The first <paramref name="max"/> sentences of a split of any corpus (SynthSign as <see cref="SynthSign"/>); a
    /// real corpus's clips are read without frames and must carry a translation (Phoenix-2014 has none).
    /// </summary>
    public static TranslationExample[] From(ISignDataset dataset, string split, int? max = null)
    {
        if (dataset is SynthSignDataset synth) return SynthSign(synth, split, max);
        var names = dataset.ClipNames(split);
        int n = Math.Min(max ?? int.MaxValue, names.Count);
        return RealCache.GetOrCreateValue(dataset).GetOrAdd((split, n), _ => names.Take(n).Select(name =>
        {
            var clip = dataset.Load(split, name, withFrames: false);
            return string.IsNullOrWhiteSpace(clip.Translation)
                ? throw new UserFacingException(NoTranslation(dataset.Name, $"clip {name} of split {split} has no translation"))
                : new TranslationExample(clip.Name, clip.Glosses, dataset.Name == "csl-daily" ? Characters(clip.Translation) : clip.Translation);
        }).ToArray());
    }

    /// <summary>
    /// CSL-Daily is scored at character level (spec §8.4: characters joined by spaces, punctuation kept); the text
    /// vocabulary then holds characters too, so training and scoring see the same tokens.
    /// </summary>
    public static string Characters(string text) => string.Join(' ', text.EnumerateRunes().Where(r => !System.Text.Rune.IsWhiteSpace(r)));

    /// <summary>Refuses a corpus without a translation column before any compute is spent.</summary>
    public static void EnsureTranslated(string? corpus)
    {
        if (corpus == "phoenix-2014")
            throw new UserFacingException(NoTranslation(corpus, "its annotations have glosses only, no translation column"));
    }

    private static string NoTranslation(string corpus, string why) =>
        $"{corpus} cannot train or score translation: {why}. Fix: use --dataset phoenix-2014t (or csl-daily) for " +
        "Gloss2Text/Sign2Text; phoenix-2014 supports recognition only (signnb train --stage video|keypoint|joint).";
}
