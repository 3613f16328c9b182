using SignNotebooks.Data;
using SignNotebooks.Util;
using TorchSharp;
using static TorchSharp.torch;

namespace SignNotebooks.Tests.Data;

public class LoaderTests
{
    private static readonly InputConfig Small = InputConfig.Cpu with { RgbSize = 16, HeatmapSize = 8 };

    private static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    private static SignLoader Loader(TinyDataset ds, LoaderOptions options) =>
        new(ds, "train", Vocabulary.SynthSign(ds.Glosses), Small, options);

    [Fact]
    public void Collate_pads_by_replicating_the_last_frame_and_reports_lengths()
    {
        using var scope = NewDisposeScope();
        var ds = new TinyDataset();
        var vocab = Vocabulary.SynthSign(ds.Glosses);
        var pipeline = new ClipPipeline(Small);
        var a = pipeline.Prepare(ds.Load("dev", "dev-00"), train: false, new Random(0));   // T = 9 -> 8
        var b = pipeline.Prepare(ds.Load("dev", "dev-02"), train: false, new Random(0));   // T = 15 -> 12
        using var batch = Collate.Batch([a, b], [["HELLO"], ["GO", "HOUSE", "TOMORROW"]], vocab);
        Assert.Equal([8, 12], batch.Lengths);
        Assert.Equal(new long[] { 8, 12 }, batch.LengthsTensor.data<long>().ToArray());
        Assert.Equal(new long[] { 2, 3, 12, 16, 16 }, batch.Video!.shape);
        Assert.Equal(new long[] { 2, 79, 12, 8, 8 }, batch.Heatmaps!.shape);
        Assert.Equal(new long[] { 2, 12, 79, 3 }, batch.Keypoints.shape);
        // Valid part copied, padding = the last valid frame repeated.
        Assert.True(Same(batch.Video[0].narrow(1, 0, 8), a.Video!));
        for (int t = 8; t < 12; t++)
        {
            Assert.True(Same(batch.Video[0, TensorIndex.Colon, t], a.Video![TensorIndex.Colon, 7]));
            Assert.True(Same(batch.Heatmaps[0, TensorIndex.Colon, t], a.Heatmaps![TensorIndex.Colon, 7]));
            Assert.True(Same(batch.Keypoints[0, t], a.Keypoints[7]));
        }
        Assert.True(Same(batch.Video[1], b.Video!));
        // Targets (B, Lmax) padded with <pad> = 1; HELLO = 3, GO = 5, HOUSE = 6, TOMORROW = 7.
        Assert.Equal(new long[] { 3, 1, 1, 5, 6, 7 }, batch.Targets.flatten().data<long>().ToArray());
        Assert.Equal(new long[] { 1, 3 }, batch.TargetLengths.data<long>().ToArray());
        a.Dispose(); b.Dispose();
    }

    [Fact]
    public void Same_seed_gives_identical_batches_and_another_seed_does_not()
    {
        var ds = new TinyDataset();
        var opts = new LoaderOptions(BatchSize: 3, Seed: 11);
        static List<(string[] Names, float[] Video, float[] Heat, int[] Len)> Run(SignLoader l, int epoch) =>
            l.Epoch(epoch).Select(b =>
            {
                using (b) return (b.Names, b.Video!.flatten().data<float>().ToArray(), b.Heatmaps!.flatten().data<float>().ToArray(), b.Lengths);
            }).ToList();
        var r1 = Run(Loader(ds, opts), 0);
        var r2 = Run(Loader(ds, opts), 0);
        Assert.Equal(3, r1.Count);   // 7 clips, batches of 3
        for (int i = 0; i < r1.Count; i++)
        {
            Assert.Equal(r1[i].Names, r2[i].Names);
            Assert.Equal(r1[i].Len, r2[i].Len);
            Assert.Equal(r1[i].Video, r2[i].Video);
            Assert.Equal(r1[i].Heat, r2[i].Heat);
        }
        var other = Run(Loader(ds, opts with { Seed = 12 }), 0);
        Assert.False(other.Zip(r1).All(p => p.First.Video.SequenceEqual(p.Second.Video)));
        var epoch1 = Run(Loader(ds, opts), 1);
        Assert.NotEqual(r1.SelectMany(r => r.Names), epoch1.SelectMany(r => r.Names));
        Assert.Equal(r1.SelectMany(r => r.Names).Order(), epoch1.SelectMany(r => r.Names).Order());
    }

    [Fact]
    public void Keypoint_only_loading_never_decodes_frames()
    {
        var ds = new TinyDataset(4);
        var loader = Loader(ds, new LoaderOptions(BatchSize: 2, Streams: InputStreams.Heatmaps));
        foreach (var b in loader.Epoch(0))
            using (b) { Assert.Null(b.Video); Assert.Equal(79, b.Heatmaps!.shape[1]); Assert.All(b.Lengths, l => Assert.Equal(0, l % 4)); }
        Assert.Equal(4, ds.Loads.Count);
        Assert.All(ds.Loads, l => Assert.False(l.WithFrames));
    }

    [Fact]
    public void Eval_loader_keeps_order_and_early_break_stops_the_producer()
    {
        var ds = new TinyDataset(7);
        var loader = Loader(ds, new LoaderOptions(BatchSize: 2, Train: false, Shuffle: false, Prefetch: 1));
        var names = new List<string>();
        foreach (var b in loader.Epoch(0)) using (b) names.AddRange(b.Names);
        Assert.Equal(ds.ClipNames("train"), names);
        int seen = 0;
        foreach (var b in loader.Epoch(0)) { using (b) seen++; break; }
        Assert.Equal(1, seen);
        Assert.Equal(4, loader.BatchCount);
        Assert.Equal(3, Loader(ds, new LoaderOptions(BatchSize: 2, DropLast: true)).BatchCount);
    }

    [Fact]
    public void Bad_clip_error_reaches_the_consumer_with_the_clip_name()
    {
        var ds = new TinyDataset(5)
        {
            Corrupt = c => c.Name == "train-03" ? c with { Keypoints = c.Keypoints.Select((v, i) => i == 133 * 3 * 4 + 1 ? float.NaN : v).ToArray() } : c,
        };
        var loader = Loader(ds, new LoaderOptions(BatchSize: 2, Shuffle: false));
        var e = Assert.Throws<UserFacingException>(() => { foreach (var b in loader.Epoch(0)) b.Dispose(); });
        Assert.Contains("train-03", e.Message);
        Assert.Contains("frame 4", e.Message);
        var split = Assert.Throws<UserFacingException>(() => new SignLoader(ds, "test", Vocabulary.SynthSign(ds.Glosses), Small, new LoaderOptions()));
        Assert.Contains("'test'", split.Message);
    }
}

public class LoaderPrefetchTests
{
    [Fact]
    public void Next_batch_is_built_while_the_consumer_works_on_the_current_one()
    {
        var ds = new TinyDataset(6);
        var loader = new SignLoader(ds, "train", Vocabulary.SynthSign(ds.Glosses), InputConfig.Cpu with { RgbSize = 16, HeatmapSize = 8 },
            new LoaderOptions(BatchSize: 2, Prefetch: 1, Streams: InputStreams.Heatmaps));
        using var e = loader.Epoch(0).GetEnumerator();
        Assert.True(e.MoveNext());
        using (e.Current)
        {
            // Without asking for batch 2, its clips get loaded in the background.
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (ds.Loads.Count < 4 && DateTime.UtcNow < deadline) Thread.Sleep(10);
            Assert.True(ds.Loads.Count >= 4, $"only {ds.Loads.Count} clips loaded while the consumer held batch 1");
        }
        while (e.MoveNext()) e.Current.Dispose();
        Assert.Equal(6, ds.Loads.Count);
    }
}

public class CollateSingleTests
{
    [Fact]
    public void Batch_of_one_survives_disposing_the_clip()
    {
        var ds = new TinyDataset(1);
        var pipeline = new ClipPipeline(InputConfig.Cpu with { RgbSize = 16, HeatmapSize = 8 });
        var clip = pipeline.Prepare(ds.Load("train", "train-00"), train: true, new Random(1));
        float first = clip.Video![0, 0, 0, 0].item<float>();
        using var batch = Collate.Batch([clip], [["HELLO"]], Vocabulary.SynthSign(ds.Glosses));
        clip.Dispose();
        GC.Collect();
        Assert.Equal(first, batch.Video![0, 0, 0, 0, 0].item<float>());
        Assert.Equal(new long[] { 1, 3, clip.Length, 16, 16 }, batch.Video.shape);
    }
}

public class LoaderSynchronousTests
{
    [Fact]
    public void Prefetch_zero_builds_lazily_on_the_callers_thread_with_the_same_batches()
    {
        var ds = new TinyDataset(5);
        var config = InputConfig.Cpu with { RgbSize = 16, HeatmapSize = 8 };
        var vocab = Vocabulary.SynthSign(ds.Glosses);
        var sync = new SignLoader(ds, "train", vocab, config, new LoaderOptions(BatchSize: 2, Prefetch: 0, Seed: 4));
        var bg = new SignLoader(new TinyDataset(5), "train", vocab, config, new LoaderOptions(BatchSize: 2, Prefetch: 2, Seed: 4));
        using var e = sync.Epoch(0).GetEnumerator();
        Assert.True(e.MoveNext());
        Thread.Sleep(200);
        Assert.Equal(2, ds.Loads.Count);   // nothing built ahead
        var a = new List<float[]>();
        using (e.Current) a.Add(e.Current.Video!.flatten().data<float>().ToArray());
        while (e.MoveNext()) using (e.Current) a.Add(e.Current.Video!.flatten().data<float>().ToArray());
        var b = bg.Epoch(0).Select(x => { using (x) return x.Video!.flatten().data<float>().ToArray(); }).ToList();
        Assert.Equal(b, a);
    }
}
