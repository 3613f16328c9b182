using SignNotebooks.Synthetic;
using SignNotebooks.Util;

namespace SignNotebooks.Tests.Synthetic;

public class SynthSplitTests(TinyCorpus corpus) : IClassFixture<TinyCorpus>
{
    private static string Key(SynthClip c) => string.Join(' ', c.Glosses);

    [Fact]
    public void Test_shift_has_unseen_signers_and_unseen_backgrounds()
    {
        var train = corpus.Clips["train"];
        var shift = corpus.Clips["test-shift"];
        var seenSigners = train.Concat(corpus.Clips["dev"]).Concat(corpus.Clips["test"]).Select(c => c.Signer.Id).ToHashSet();
        var seenBackgrounds = train.Select(c => c.BackgroundFamily).ToHashSet();
        Assert.True(seenSigners.Count >= 8, $"only {seenSigners.Count} signers in tiny train/dev/test");
        Assert.True(seenBackgrounds.Count >= 3);
        Assert.All(shift, c => Assert.DoesNotContain(c.Signer.Id, seenSigners));
        Assert.All(shift, c => Assert.DoesNotContain(c.BackgroundFamily, seenBackgrounds));
        Assert.True(SynthSigner.Count >= 12 + 1 && SynthSigner.SeenCount >= 12);
    }

    [Fact]
    public void Dev_and_test_sentences_are_unseen_in_train_and_test_shift_repeats_test()
    {
        var train = corpus.Clips["train"].Select(Key).ToHashSet();
        Assert.All(corpus.Clips["dev"], c => Assert.DoesNotContain(Key(c), train));
        Assert.All(corpus.Clips["test"], c => Assert.DoesNotContain(Key(c), train));
        Assert.Equal(corpus.Clips["test"].Select(Key), corpus.Clips["test-shift"].Select(Key));
        Assert.Equal(corpus.Clips["test"].Select(c => c.Translation), corpus.Clips["test-shift"].Select(c => c.Translation));
    }

    [Fact]
    public void Clips_satisfy_the_SignClip_contract_with_frame_labels()
    {
        var ds = corpus.Dataset;
        Assert.Equal(["train", "dev", "test", "test-shift"], ds.Splits);
        Assert.Equal(48, ds.ClipNames("train").Count);
        Assert.Equal(16, ds.ClipNames("test-shift").Count);
        var clip = ds.Load("test", ds.ClipNames("test")[3]);
        Assert.Equal("test-00003", clip.Name);
        Assert.Equal(clip.FrameCount * clip.Height * clip.Width * 3, clip.Frames!.Length);
        Assert.Equal(clip.FrameCount * 133 * 3, clip.Keypoints.Length);
        Assert.All(clip.Glosses, g => Assert.Contains(g, ds.Glosses));
        Assert.EndsWith(" .", clip.Translation);
        foreach (var c in corpus.All)
        {
            var labels = c.FrameGlossIndex;
            Assert.Equal(c.FrameCount, labels.Length);
            Assert.Equal(-1, labels[0]);
            Assert.Equal(-1, labels[^1]);
            var order = labels.Where(l => l >= 0).ToArray();
            // Every gloss is signed, in order, in one contiguous span.
            Assert.Equal(Enumerable.Range(0, c.Glosses.Length), order.Distinct());
            Assert.True(order.Zip(order.Skip(1)).All(p => p.First <= p.Second));
            Assert.All(c.GlossSpans(), s => Assert.Equal(s.End - s.Start + 1, labels.Count(l => l == labels[s.Start])));
            Assert.InRange(c.Glosses.Length, ds.Profile.MinGlosses, ds.Profile.MaxGlosses);
            Assert.Contains(-1, labels.Skip(1).SkipLast(1));   // transitions between glosses
        }
    }

    [Fact]
    public void Unknown_profile_and_split_are_clear_errors()
    {
        var e = Assert.Throws<UserFacingException>(() => new SynthSignDataset("huge"));
        Assert.Contains("huge", e.Message);
        Assert.Contains("tiny, standard, large", e.Message);
        var s = Assert.Throws<UserFacingException>(() => corpus.Dataset.ClipNames("validation"));
        Assert.Contains("train, dev, test, test-shift", s.Message);
        Assert.Throws<UserFacingException>(() => corpus.Dataset.Load("train", "train-99999"));
        Assert.Throws<UserFacingException>(() => SynthProfile.Tiny.WithSize("64"));
        Assert.Throws<UserFacingException>(() => SynthProfile.Tiny.WithSize("8x8"));
        Assert.Throws<UserFacingException>(() => corpus.Dataset.Load("train", "dev-00001"));
    }

    [Fact]
    public void Grammar_gives_zipf_like_frequencies_and_reordered_translations()
    {
        var g = new SynthGrammar(Lexicon.Default);
        var rng = new SynthRng(7);
        var counts = new Dictionary<string, int>();
        for (int i = 0; i < 3000; i++)
        {
            var s = g.Generate(ref rng, 2, 8);
            Assert.InRange(s.Glosses.Length, 2, 8);
            foreach (var w in s.Glosses) counts[w] = counts.GetValueOrDefault(w) + 1;
        }
        var weather = Lexicon.Default.Category("weather").Select(w => counts.GetValueOrDefault(w)).ToArray();
        Assert.True(weather[0] > 3 * weather[^1], $"RAIN {weather[0]} vs THUNDER {weather[^1]}");
        Assert.Equal(40, counts.Count);   // every sign is reachable
        // Adjective before the noun, place phrase at the end: "NORTH RAIN STRONG" → "... strong rain in the north".
        var r2 = new SynthRng(1);
        SynthSentence? hit = null;
        for (int i = 0; i < 5000 && hit is null; i++)
        {
            var s = g.Generate(ref r2, 3, 3);
            if (s.Glosses is ["NORTH", "RAIN", "STRONG"]) hit = s;
        }
        Assert.NotNull(hit);
        Assert.Equal("there will be strong rain in the north .", hit!.Translation);
    }
}
