using SignNotebooks.Translation;
using TorchSharp;
using static TorchSharp.torch;

namespace SignNotebooks.Tests.Translation;

/// <summary>The key/value cache of beam search gives what recomputing the whole prefix gives, through beam reordering.</summary>
public class CachedStepTests
{
    private static readonly MBartConfig Config = MBartConfig.Tiny(40) with { Dropout = 0, AttentionDropout = 0 };

    [Fact]
    public void Cached_steps_equal_full_recomputation_and_beam_search_finds_the_same_sentences()
    {
        using var scope = NewDisposeScope();
        manual_seed(11);
        var model = new MBartForConditionalGeneration(Config);
        model.eval();
        using var noGrad = no_grad();
        var encoder = model.Model.Encoder.Run(randn(1, 7, Config.DModel), null);                   // (1, T, d)
        var mask = tensor(new[] { true, true, true, true, true, false, false }).unsqueeze(0);      // (T) -> (1, T): 2 padded positions
        Tensor Full(Tensor prefixes) => model.NextLogProbs(encoder.expand(prefixes.shape[0], -1, -1), mask.expand(prefixes.shape[0], -1), prefixes);

        // Step by step along prefixes that are reordered, duplicated and dropped as beam search does.
        using (var cached = new CachedStep(model, encoder, mask))
        {
            long[][] prefixes = [[3]];
            var rng = new Random(4);
            for (int step = 0; step < 9; step++)
            {
                var t = tensor(prefixes.SelectMany(p => p).ToArray()).view(prefixes.Length, prefixes[0].Length); // (N·L) -> (N, L)
                float diff = (cached.Next(t) - Full(t)).abs().max().item<float>();
                Assert.True(diff < 1e-4f, $"step {step}: max abs difference {diff}");
                // Next beams: each extends a random earlier one (some twice, some never), in a new order.
                prefixes = Enumerable.Range(0, 1 + rng.Next(4)).Select(_ => prefixes[rng.Next(prefixes.Length)].Append(4L + rng.Next(30)).ToArray()).ToArray();
            }
        }

        foreach (int beam in new[] { 1, 4 })
        {
            var options = new DecodeOptions(beam, 1.0, 12);
            var expected = BeamSearch.Search(Full, 3, 2, options, [0, 1, 3]);
            using var cached = new CachedStep(model, encoder, mask);
            var got = BeamSearch.Search(cached.Next, 3, 2, options, [0, 1, 3]);
            Assert.Equal(expected.Ids, got.Ids);
            Assert.Equal(expected.Score, got.Score, 4);
            Assert.NotEmpty(got.Ids);
        }

        // A prefix that does not extend the previous call's is a programming error, not a silent wrong answer.
        using var misuse = new CachedStep(model, encoder, mask);
        misuse.Next(tensor(new long[] { 3 }).view(1, 1));
        Assert.Throws<InvalidOperationException>(() => misuse.Next(tensor(new long[] { 3, 5, 6 }).view(1, 3)));
    }
}
