using SignNotebooks.Data;
using SignNotebooks.Synthetic;

namespace SignNotebooks.Tests.Data;

public sealed class LengthBucketTests
{
    private static SignLoader Loader(SynthSignDataset ds, int pool) => new(ds, "train", Vocabulary.SynthSign(ds.Glosses),
        InputConfig.Cpu with { RgbSize = 16, HeatmapSize = 8 },
        new LoaderOptions(BatchSize: 4, Train: true, Shuffle: true, Seed: 5, Streams: InputStreams.Heatmaps, Prefetch: 0, BucketPool: pool));

    [Fact]
    public void Buckets_keep_every_clip_once_per_epoch_and_cut_padding()
    {
        var ds = new SynthSignDataset("tiny");
        var plain = Loader(ds, 0);
        var bucketed = Loader(ds, 4);
        for (int epoch = 0; epoch < 3; epoch++)
        {
            var batches = bucketed.Batches(epoch);
            Assert.Equal(Enumerable.Range(0, ds.ClipNames("train").Count), batches.SelectMany(b => b).Order());
            Assert.Equal(plain.BatchCount, batches.Count);
            double before = plain.PaddingFraction(epoch), after = bucketed.PaddingFraction(epoch);
            Assert.True(after < before / 2, $"epoch {epoch}: padding {after:P1} with buckets vs {before:P1} without");
        }
        // The order changes with the epoch, as without buckets.
        Assert.NotEqual(bucketed.Batches(0)[0], bucketed.Batches(1)[0]);
    }

    [Fact]
    public void The_length_a_bucket_sorts_by_is_the_length_the_clip_gets()
    {
        var ds = new SynthSignDataset("tiny");
        var loader = Loader(ds, 4);
        var groups = loader.Batches(2);
        int i = 0;
        foreach (var batch in loader.Epoch(2).Take(3))
        {
            using (batch)
                Assert.Equal(groups[i].Select(p => loader.SampledLength(p, 2)), batch.Lengths);
            i++;
        }
    }
}
