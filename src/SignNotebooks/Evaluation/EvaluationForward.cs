using System.Diagnostics;
using SignNotebooks.Data;
using SignNotebooks.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace SignNotebooks.Evaluation;

/// <summary>How evaluation groups clips into forward passes.</summary>
public enum EvaluationBatching
{
    /// <summary>
    /// Batches hold only clips of the same input length (up to the loader's batch size), so nothing is padded and a
    /// clip's scores do not depend on its batch-mates (issue 20 item 3): eval-mode BatchNorm uses running statistics,
    /// and every other layer works per clip.
    /// </summary>
    ExactLength,
    /// <summary>
    /// The loader's batches, shorter clips padded with their last frame. The padding frames reach the valid frames
    /// through the temporal convolutions, so a clip's scores depend on its batch-mates. What evaluation did before
    /// issue 20; kept so `signnb bench evaluate` can time before and after in one run.
    /// </summary>
    Padded,
}

/// <summary>Evaluation settings; the defaults are the exact and fast ones.</summary>
public sealed record EvaluationSettings
{
    public EvaluationBatching Batching { get; init; } = EvaluationBatching.ExactLength;
    /// <summary>Forward passes under libtorch's inference mode (no version counters or autograd metadata) instead of no_grad.</summary>
    public bool InferenceMode { get; init; } = true;
    /// <summary>
    /// libtorch intra-op threads while evaluating (loading and forward passes), restored afterwards; null leaves them
    /// as they are (training's setting, one per core). On the idle 2-core machine the workbook gets, 2 threads evaluate
    /// a standard dev split in 14.5 s against 24.6 s with 1 (`bench evaluate`, 100 clips, load average 1.6). Set 1 on
    /// a machine shared with other busy processes: there 2 threads cost 2.8× the forward CPU time and 9× the loading
    /// CPU time (OpenMP threads spin while their partner is descheduled; `bench evaluate --clips 8`, load average 12–17).
    /// </summary>
    public int? TorchThreads { get; init; }
    /// <summary>Threads of the CTC beam search. It runs between forward passes, never beside them: see <see cref="EvaluationForward"/>.</summary>
    public int DecodeThreads { get; init; } = Math.Max(1, Environment.ProcessorCount);

    public static EvaluationSettings Default { get; } = new();
    /// <summary>Evaluation as it was before issues 16 and 20: padded batches, no_grad, the process's torch threads, one decoding thread.</summary>
    public static EvaluationSettings Previous { get; } = new() { Batching = EvaluationBatching.Padded, InferenceMode = false, TorchThreads = null, DecodeThreads = 1 };
}

/// <summary>Wall-clock and process CPU seconds of one phase (on a shared machine the CPU time is the steadier number).</summary>
public sealed class PhaseTime
{
    public double Seconds { get; private set; }
    public double CpuSeconds { get; private set; }

    /// <summary>Runs <paramref name="work"/> and adds its wall-clock and process CPU time.</summary>
    public T Measure<T>(Func<T> work)
    {
        var cpu = Environment.CpuUsage.TotalTime;
        var clock = Stopwatch.StartNew();
        try { return work(); }
        finally
        {
            Seconds += clock.Elapsed.TotalSeconds;
            CpuSeconds += (Environment.CpuUsage.TotalTime - cpu).TotalSeconds;
        }
    }
}

/// <summary>Where evaluation spent its time (filled in when passed to RecognitionEvaluator.Evaluate).</summary>
public sealed class EvaluationTimings
{
    /// <summary>Building the batches (rendering or reading clips, preprocessing).</summary>
    public PhaseTime Load { get; } = new();
    /// <summary>The network's forward passes, with the one copy of each decoded head's scores to managed memory.</summary>
    public PhaseTime Forward { get; } = new();
    /// <summary>CTC beam search of every decoded head.</summary>
    public PhaseTime Decode { get; } = new();
    public int Clips { get; set; }
    public int Batches { get; set; }
}

/// <summary>One clip's frame log-probabilities per head: (Steps, Vocab) row-major, valid steps only.</summary>
public sealed record ClipScores(int Position, string Name, string[] Glosses, IReadOnlyDictionary<string, (ReadOnlyMemory<float> LogProbs, int Steps)> Heads, int Vocab);

/// <summary>
/// The forward half of evaluation: every clip of an eval loader through the model, per clip and head the valid
/// steps' log-probabilities. Each head's (B, T', V) scores are copied to managed memory once per batch; clips are
/// views into that copy.
/// </summary>
public static class EvaluationForward
{
    /// <summary>The clip positions of each forward pass, in the loader's clip order (by first clip).</summary>
    public static IReadOnlyList<int[]> Groups(SignLoader loader, EvaluationBatching batching)
    {
        if (batching == EvaluationBatching.Padded) return loader.Batches(0);
        var order = loader.Order(0);
        return order.GroupBy(p => loader.SampledLength(p, 0))
            .SelectMany(g => g.Chunk(loader.Options.BatchSize))
            .OrderBy(g => Array.IndexOf(order, g[0])).ToList();
    }

    /// <summary>Each forward pass's clips with their scores, in the order of <see cref="Groups"/>.</summary>
    /// <param name="heads">Copy only these heads (null: every head).</param>
    public static IEnumerable<IReadOnlyList<ClipScores>> Run(RecognitionModel model, SignLoader loader, EvaluationSettings? settings = null,
        IReadOnlyCollection<string>? heads = null, Device? device = null, EvaluationTimings? timings = null)
    {
        if (loader.Options.Train) throw new ArgumentException("evaluate with an eval-mode loader (LoaderOptions.Train = false)");
        settings ??= EvaluationSettings.Default;
        timings ??= new EvaluationTimings();
        bool wasTraining = model.training;
        int threads = torch.get_num_threads();
        model.eval();
        if (settings.TorchThreads is { } n) torch.set_num_threads(n);
        try
        {
            foreach (var group in Groups(loader, settings.Batching))
            {
                var batch = timings.Load.Measure(() => loader.Build(group, 0));
                IReadOnlyList<ClipScores> clips;
                using (batch) clips = timings.Forward.Measure(() => Forward(model, batch, group, settings, heads, device));
                timings.Clips += clips.Count;
                timings.Batches++;
                yield return clips;
            }
        }
        finally
        {
            model.train(wasTraining);
            torch.set_num_threads(threads);
        }
    }

    private static IReadOnlyList<ClipScores> Forward(RecognitionModel model, SignBatch batch, int[] positions, EvaluationSettings settings,
        IReadOnlyCollection<string>? heads, Device? device)
    {
        using var gcOff = Util.NoGcRegion.Enter(); // see NoGcRegion: TorchSharp's implicit Scalars
        using var scope = NewDisposeScope();
        using IDisposable mode = settings.InferenceMode ? inference_mode() : no_grad();
        // The loader builds batches on the CPU; a model moved to a GPU (--device cuda) reads copies there.
        var outputs = device is null || device.type == DeviceType.CPU
            ? model.Forward(batch.Video, batch.Heatmaps, batch.LengthsTensor)
            : model.Forward(batch.Video?.to(device), batch.Heatmaps?.to(device), batch.LengthsTensor.to(device));
        var perClip = Enumerable.Range(0, batch.Size).Select(_ => new Dictionary<string, (ReadOnlyMemory<float>, int)>(StringComparer.Ordinal)).ToArray();
        int vocab = 0;
        foreach (var (head, output) in outputs.Heads)
        {
            if (heads is not null && !heads.Contains(head)) continue;
            // (B, T', V) -> one row-major copy; clip b's valid steps are a view into it.
            int frames = (int)output.LogProbs.shape[1];
            vocab = (int)output.LogProbs.shape[2];
            var data = output.LogProbs.to(ScalarType.Float32).cpu().contiguous().data<float>().ToArray();
            var lengths = output.ValidLengths.cpu().data<long>().ToArray();
            for (int b = 0; b < batch.Size; b++)
            {
                var scores = new ReadOnlyMemory<float>(data, b * frames * vocab, (int)lengths[b] * vocab);
                // Non-finite scores mean broken weights or inputs: say which head and clips, not a decoder stack trace.
                if (HasNaN(scores.Span))
                    throw new Util.UserFacingException($"the {head} head produced NaN scores for the batch of clips {string.Join(", ", batch.Names)}. " +
                        "Fix: check the checkpoint (`signnb checkpoint inspect` reports damaged or non-finite tensors) and that the inputs are finite; " +
                        "a run whose training loss became NaN must be retrained from an earlier checkpoint.");
                perClip[b][head] = (scores, (int)lengths[b]);
            }
        }
        return Enumerable.Range(0, batch.Size).Select(b => new ClipScores(positions[b], batch.Names[b], batch.Glosses[b], perClip[b], vocab)).ToList();
    }

    private static bool HasNaN(ReadOnlySpan<float> a)
    {
        foreach (var x in a) if (float.IsNaN(x)) return true;
        return false;
    }
}
