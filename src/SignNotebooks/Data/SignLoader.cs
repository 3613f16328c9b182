using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace SignNotebooks.Data;

/// <summary>How a <see cref="SignLoader"/> walks a split.</summary>
/// <param name="BatchSize">Clips per batch (the paper's effective batch is 8, spec §7.2).</param>
/// <param name="Train">Train-time augmentation (spec §7.3, §7.4) when true; eval sampling and plain resize when false.</param>
/// <param name="Shuffle">Shuffle the clip order each epoch.</param>
/// <param name="Seed">Seeds the order and every clip's augmentation: same seed and epoch → same batches.</param>
/// <param name="Streams">Which inputs to build; without RGB, frames are never decoded.</param>
/// <param name="Prefetch">Batches prepared ahead on the background thread; 0 builds each batch on the consumer's
/// thread when it is asked for (no background thread). Why 0 exists: TorchSharp 0.107 frees implicitly converted
/// Scalars (<c>x * 0.5</c>, <c>a + b</c>) in their finalizers, even mid-call, and a background thread that allocates
/// makes garbage collections land inside such calls on the training thread (reproduced: a crash within seconds).
/// Code that runs next to the loader should use explicit Scalars (see <see cref="Util.KeptScalars"/>).</param>
/// <param name="DropLast">Drop a final incomplete batch.</param>
/// <param name="BucketPool">Length buckets: 0 batches the shuffled order as it comes (the paper's random batches);
/// N &gt; 0 cuts the shuffled order into pools of N batches, sorts each pool by the clips' sampled lengths, batches it,
/// and shuffles the batches, so a batch holds clips of similar length (little padding) while every epoch still sees
/// every clip once, in an order that changes with the epoch.</param>
/// <param name="WorkerThreads">Torch intra-op threads on the loader thread (a per-thread setting; 0 = torch's
/// default). 1 keeps data preparation from competing with the training step for the cores: on a loaded 2-core
/// machine, two-thread parallel regions on both threads were measured 10–100× slower than one thread each.</param>
public sealed record LoaderOptions(
    int BatchSize = 8,
    bool Train = true,
    bool Shuffle = true,
    int Seed = 42,
    InputStreams Streams = InputStreams.Both,
    int Prefetch = 2,
    bool DropLast = false,
    int WorkerThreads = 1,
    int BucketPool = 0);

/// <summary>
/// Batches of one split of an <see cref="ISignDataset"/>, prepared on a background thread (a bounded queue of
/// <see cref="LoaderOptions.Prefetch"/> batches) so loading keeps ahead of training. Each clip's random choices
/// come from its own generator seeded by (seed, epoch, clip position in the split), so results do not depend on
/// batch size or thread timing. Dispose every batch you receive. <see cref="ISignDataset.Load"/> is called from
/// the background thread (one thread, one call at a time).
/// </summary>
public sealed class SignLoader(ISignDataset dataset, string split, Vocabulary vocabulary, InputConfig config, LoaderOptions options)
{
    private readonly ClipPipeline _pipeline = new(config);
    private readonly IReadOnlyList<string> _names = CheckSplit(dataset, split);
    private readonly double _restage = CheckRestage(dataset, config, options);

    public ISignDataset Dataset => dataset;
    public string Split => split;
    public LoaderOptions Options => options;
    public ClipPipeline Pipeline => _pipeline;

    /// <summary>Number of clips in the split.</summary>
    public int ClipCount => _names.Count;
    /// <summary>Batches per epoch.</summary>
    public int BatchCount => options.DropLast ? _names.Count / options.BatchSize : (_names.Count + options.BatchSize - 1) / options.BatchSize;

    /// <summary>Clip positions (into the split's name list) in the order of one epoch.</summary>
    public int[] Order(int epoch)
    {
        var order = Enumerable.Range(0, _names.Count).ToArray();
        if (options.Shuffle) new Random(Mix(options.Seed, epoch, -1)).Shuffle(order);
        return order;
    }

    /// <summary>The batches of one epoch, built ahead on a background thread (or lazily when Prefetch is 0).</summary>
    public IEnumerable<SignBatch> Epoch(int epoch)
    {
        var groups = Batches(epoch).ToList();
        return options.Prefetch <= 0 ? groups.Select(g => Build(g, epoch)) : Prefetched(groups, epoch);
    }

    /// <summary>
    /// The first <paramref name="count"/> clips of the split in split order, built in batches of the loader's size (epoch
    /// 0's random choices), whatever the shuffling and bucketing: for analyses that report "the first N clips".
    /// </summary>
    public IEnumerable<SignBatch> Leading(int count)
    {
        int n = Math.Min(count, _names.Count);
        for (int start = 0; start < n; start += options.BatchSize)
            yield return Build(Enumerable.Range(start, Math.Min(options.BatchSize, n - start)).ToArray(), 0);
    }

    /// <summary>The clip positions of each batch of one epoch, in order (<see cref="LoaderOptions.BucketPool"/>).</summary>
    public IReadOnlyList<int[]> Batches(int epoch)
    {
        var order = Order(epoch);
        IEnumerable<int[]> groups;
        if (options.BucketPool <= 0) groups = order.Chunk(options.BatchSize);
        else
        {
            var batches = order.Chunk(options.BucketPool * options.BatchSize)
                .SelectMany(pool => pool.OrderBy(p => SampledLength(p, epoch)).Chunk(options.BatchSize)).ToArray();
            // The pools' batches run from short to long; shuffled, an epoch does not sweep lengths in waves.
            new Random(Mix(options.Seed, epoch, -3)).Shuffle(batches);
            groups = batches;
        }
        return groups.Where(g => !options.DropLast || g.Length == options.BatchSize).ToList();
    }

    /// <summary>
    /// The input length clip <paramref name="position"/> gets in <paramref name="epoch"/>: the train-time draw its own
    /// generator will make (<see cref="TemporalSampling.TrainLength"/>), or the eval length.
    /// </summary>
    public int SampledLength(int position, int epoch)
    {
        int frames = RawLength(position);
        return options.Train
            ? TemporalSampling.TrainLength(frames, new Random(Mix(options.Seed, epoch, position)), _pipeline.Config)
            : TemporalSampling.Eval(frames, _pipeline.Config).Length;
    }

    /// <summary>Share of a batch's frames that are padding, over one epoch's batches (what bucketing lowers).</summary>
    public double PaddingFraction(int epoch)
    {
        long valid = 0, padded = 0;
        foreach (var g in Batches(epoch))
        {
            var lens = g.Select(p => SampledLength(p, epoch)).ToArray();
            valid += lens.Sum();
            padded += (long)lens.Max() * lens.Length;
        }
        return padded == 0 ? 0 : 1.0 - (double)valid / padded;
    }

    private int[]? _rawLengths;

    private int RawLength(int position)
    {
        // T of every clip, asked once per loader: SynthSign generates keypoints only (≈ 3 s for the standard train split).
        _rawLengths ??= _names.Select(n => dataset.FrameCount(split, n)).ToArray();
        return _rawLengths[position];
    }

    private IEnumerable<SignBatch> Prefetched(List<int[]> groups, int epoch)
    {
        using var queue = new BlockingCollection<SignBatch>(options.Prefetch);
        using var cts = new CancellationTokenSource();
        ExceptionDispatchInfo? failure = null;
        var producer = new Thread(() =>
        {
            try
            {
                if (options.WorkerThreads > 0) TorchSharp.torch.set_num_threads(options.WorkerThreads);
                foreach (var g in groups)
                {
                    var batch = Build(g, epoch);
                    try { queue.Add(batch, cts.Token); }
                    catch (OperationCanceledException) { batch.Dispose(); return; }
                }
            }
            catch (OperationCanceledException) { }
            catch (Exception e) { failure = ExceptionDispatchInfo.Capture(e); }
            finally { queue.CompleteAdding(); }
        }) { IsBackground = true, Name = $"signnb-loader-{split}" };
        producer.Start();
        try
        {
            foreach (var batch in queue.GetConsumingEnumerable()) yield return batch;
            producer.Join();
            failure?.Throw();
        }
        finally
        {
            // The consumer stopped early (break, exception): stop the producer and free what it queued.
            cts.Cancel();
            producer.Join();
            while (queue.TryTake(out var left)) left.Dispose();
        }
    }

    /// <summary>Builds one batch synchronously from clip positions (what the background thread runs).</summary>
    public SignBatch Build(IReadOnlyList<int> positions, int epoch)
    {
        bool frames = options.Streams.HasFlag(InputStreams.Rgb);
        var clips = new List<ClipInputs>(positions.Count);
        var glosses = new List<string[]>(positions.Count);
        var labels = new List<int[]?>(positions.Count);
        try
        {
            foreach (var p in positions)
            {
                var clip = _restage > 0 && new Random(Mix(options.Seed, epoch, -1_000_000 - p)) is var draw && draw.NextDouble() < _restage
                    ? dataset.LoadRestaged(split, _names[p], draw.Next())
                    : dataset.Load(split, _names[p], withFrames: frames);
                var rng = new Random(Mix(options.Seed, epoch, p));
                clips.Add(_pipeline.Prepare(clip, options.Train, rng, options.Streams));
                glosses.Add(clip.Glosses);
                labels.Add(clip.FrameGlossIndex);
            }
            if (options.Train && frames && _pipeline.Config.StaticMix is { } mix)
                StaticFrameMix.Apply(clips.Select(c => c.Video!).ToList(), new Random(Mix(options.Seed, epoch, -4 - positions[0])),
                    mix.P, mix.MaxWeight);
            return Collate.Batch(clips, glosses, vocabulary, labels);
        }
        finally
        {
            foreach (var c in clips) c.Dispose();
        }
    }

    /// <summary>SplitMix64 over (seed, epoch, position): independent, reproducible generator seeds.</summary>
    internal static int Mix(int seed, int epoch, int position)
    {
        ulong z = (ulong)(uint)seed * 0x9E3779B97F4A7C15UL ^ (ulong)(uint)epoch << 32 ^ (uint)position;
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (int)(z & 0x7FFFFFFF);
    }

    // Restaging re-renders training clips; a corpus that cannot is told so before the first batch.
    private static double CheckRestage(ISignDataset dataset, InputConfig config, LoaderOptions options)
    {
        if (config.Restage is not ({ } p and > 0) || !options.Train || !options.Streams.HasFlag(InputStreams.Rgb)) return 0;
        if (!dataset.CanRestage)
            throw new Util.UserFacingException($"InputConfig.Restage is {p}, but corpus '{dataset.Name}' cannot re-render its clips (only SynthSign can). Fix: remove Restage from the config.");
        return p;
    }

    private static IReadOnlyList<string> CheckSplit(ISignDataset dataset, string split)
    {
        if (!dataset.Splits.Contains(split))
            throw new Util.UserFacingException($"corpus '{dataset.Name}' has no split '{split}'. Known splits: {string.Join(", ", dataset.Splits)}. Fix: pick one of them.");
        var names = dataset.ClipNames(split);
        if (names.Count == 0)
            throw new Util.UserFacingException($"corpus '{dataset.Name}', split '{split}' has no clips. Fix: generate or export the corpus first.");
        return names;
    }
}
