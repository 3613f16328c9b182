using SignNotebooks.Data;
using SignNotebooks.Decoding;
using SignNotebooks.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace SignNotebooks.Evaluation;

/// <summary>One head's corpus WER on a split.</summary>
public sealed record HeadWer(string Head, double Wer, int S, int D, int I, int N);

/// <summary>Every head's WER on one split, with the decoded hypotheses (id, reference, hypothesis) per head.</summary>
public sealed record SplitEvaluation(string Split, int Beam, IReadOnlyList<HeadWer> Heads, IReadOnlyDictionary<string, IReadOnlyList<ScoringPair>> Pairs)
{
    /// <summary>The same evaluation restricted to <paramref name="heads"/>.</summary>
    public SplitEvaluation Only(IReadOnlyCollection<string> heads) => this with
    {
        Heads = Heads.Where(h => heads.Contains(h.Head)).ToList(),
        Pairs = Pairs.Where(p => heads.Contains(p.Key)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal),
    };

    public double WerOf(string head) => Heads.FirstOrDefault(h => h.Head == head)?.Wer
        ?? throw new KeyNotFoundException($"no head '{head}' was evaluated on {Split} (have: {string.Join(", ", Heads.Select(h => h.Head))})");
}

/// <summary>
/// Decodes every head of a recognition model on a split (video, keypoint, joint, late and early ensemble, SPN aux
/// heads) and scores each with the sclite-equal WER. Every head is reported: nothing here takes the minimum over
/// heads (SLRT's logged `wer`, spec §8.2), so a reader always knows which head a number belongs to.
/// </summary>
public static class RecognitionEvaluator
{
    /// <param name="heads">Decode only these heads (null: every head the model produces).</param>
    /// <param name="settings">Batching, inference mode and decoding threads (null: <see cref="EvaluationSettings.Default"/>).</param>
    /// <param name="timings">Filled in with the time spent loading, in forward passes and decoding.</param>
    public static SplitEvaluation Evaluate(RecognitionModel model, SignLoader loader, Vocabulary vocabulary, int beam,
        GlossCleanup cleanup = GlossCleanup.None, IProgress<int>? progress = null, IReadOnlyCollection<string>? heads = null, Device? device = null,
        EvaluationSettings? settings = null, EvaluationTimings? timings = null) =>
        Evaluate(model, loader, vocabulary, [beam], cleanup, progress, heads, device, settings, timings)[0];

    /// <summary>
    /// One forward pass per clip, decoded at each beam width: one evaluation per entry of <paramref name="beams"/>, in
    /// that order. Training validates at beam 1 and gets the test beam's dev scores of the same weights for the cost of
    /// decoding, which is small beside the forward pass.
    /// </summary>
    public static IReadOnlyList<SplitEvaluation> Evaluate(RecognitionModel model, SignLoader loader, Vocabulary vocabulary, IReadOnlyList<int> beams,
        GlossCleanup cleanup = GlossCleanup.None, IProgress<int>? progress = null, IReadOnlyCollection<string>? heads = null, Device? device = null,
        EvaluationSettings? settings = null, EvaluationTimings? timings = null)
    {
        if (beams.Count == 0) throw new ArgumentException("give at least one beam width", nameof(beams));
        settings ??= EvaluationSettings.Default;
        timings ??= new EvaluationTimings();
        var options = beams.Select(b => new CtcDecodeOptions { Method = CtcDecodeMethod.BeamSearch, BeamWidth = b, Blank = vocabulary.BlankId }).ToArray();
        var hypotheses = beams.Select(_ => new Dictionary<string, string?[]>(StringComparer.Ordinal)).ToArray();
        var clips = new List<ClipScores>();
        var names = new string?[loader.ClipCount];
        var references = new string[loader.ClipCount];
        long pending = 0;
        int done = 0;
        void DecodeAll()
        {
            for (int i = 0; i < beams.Count; i++) Decode(clips, hypotheses[i], loader.ClipCount, vocabulary, options[i], settings, timings);
        }
        foreach (var batch in EvaluationForward.Run(model, loader, settings, heads, device, timings))
        {
            clips.AddRange(batch);
            foreach (var c in batch) (names[c.Position], references[c.Position]) = (c.Name, string.Join(' ', c.Glosses));
            pending += batch.Sum(c => c.Heads.Values.Sum(h => (long)h.LogProbs.Length));
            // Decoding waits until scores of many clips are in (bounded memory on long test splits), then runs on every
            // core while no forward pass does: libtorch's threads would compete with it, and a GC in the middle of a
            // native op is what NoGcRegion guards the forward against.
            if (pending > MaxPendingScores) { DecodeAll(); clips.Clear(); pending = 0; }
            done += batch.Count;
            progress?.Report(done);
        }
        DecodeAll();
        if (hypotheses[0].Count == 0)
            throw new ArgumentException($"none of the heads {string.Join(", ", heads ?? [])} exists in this model");
        return beams.Select((beam, i) =>
        {
            // Pairs in the loader's clip order, whatever order the forward passes took.
            var pairs = new Dictionary<string, IReadOnlyList<ScoringPair>>(StringComparer.Ordinal);
            foreach (var (head, hyps) in hypotheses[i])
                pairs[head] = loader.Order(0).Where(p => names[p] is not null).Select(p => new ScoringPair(names[p]!, references[p], hyps[p] ?? "")).ToList();
            var scored = pairs.Select(p =>
            {
                var r = WordErrorRate.Score(p.Value, cleanup);
                return new HeadWer(p.Key, r.Wer, r.S, r.D, r.I, r.N);
            }).ToList();
            return new SplitEvaluation(loader.Split, beam, scored, pairs);
        }).ToList();
    }

    // 32 M floats (128 MB) of scores wait for decoding at most.
    private const long MaxPendingScores = 32L << 20;

    private static void Decode(List<ClipScores> clips, Dictionary<string, string?[]> hypotheses, int clipCount, Vocabulary vocabulary, CtcDecodeOptions options,
        EvaluationSettings settings, EvaluationTimings timings)
    {
        var work = clips.SelectMany(c => c.Heads.Select(h => (Clip: c, Head: h.Key))).ToArray();
        var decoded = new string[work.Length];
        timings.Decode.Measure(() => Parallel.For(0, work.Length, new ParallelOptions { MaxDegreeOfParallelism = settings.DecodeThreads }, i =>
        {
            var (clip, head) = work[i];
            var (scores, steps) = clip.Heads[head];
            var best = CtcDecoder.Decode(scores.Span, clip.Vocab, steps, options);
            decoded[i] = best.Length == 0 ? "" : string.Join(' ', vocabulary.Decode(best[0].Glosses));
        }));
        for (int i = 0; i < work.Length; i++)
        {
            var (clip, head) = work[i];
            var list = hypotheses.TryGetValue(head, out var l) ? l : hypotheses[head] = new string?[clipCount];
            list[clip.Position] = decoded[i];
        }
    }

    /// <summary>Reads back what <see cref="Save"/> wrote (rescoring the saved hypotheses), or null when it is not there.</summary>
    public static SplitEvaluation? Load(string folder, string split, int beam, GlossCleanup cleanup = GlossCleanup.None)
    {
        var files = Directory.Exists(folder) ? Directory.GetFiles(folder, $"{split}.*.tsv") : [];
        if (files.Length == 0 || !File.Exists(Path.Combine(folder, $"{split}.csv"))) return null;
        var pairs = new Dictionary<string, IReadOnlyList<ScoringPair>>(StringComparer.Ordinal);
        foreach (var f in files.Order(StringComparer.Ordinal))
        {
            var head = Path.GetFileNameWithoutExtension(f)[(split.Length + 1)..];
            pairs[head] = File.ReadLines(f).Skip(1).Select(l => l.Split('\t')).Select(c => new ScoringPair(c[0], c[1], c.Length > 2 ? c[2] : "")).ToList();
        }
        var heads = pairs.Select(p => { var r = WordErrorRate.Score(p.Value, cleanup); return new HeadWer(p.Key, r.Wer, r.S, r.D, r.I, r.N); }).ToList();
        return new SplitEvaluation(split, beam, heads, pairs);
    }

    /// <summary>Writes `{split}.csv` (one row per head) and `{split}.{head}.tsv` (id, reference, hypothesis).</summary>
    public static void Save(SplitEvaluation eval, string folder)
    {
        Directory.CreateDirectory(folder);
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var csv = "head,wer,S,D,I,N,beam\n" + string.Concat(eval.Heads.Select(h => string.Create(inv, $"{h.Head},{h.Wer:F2},{h.S},{h.D},{h.I},{h.N},{eval.Beam}\n")));
        foreach (var (head, list) in eval.Pairs)
            Training.RunDirectory.WriteAtomic(Path.Combine(folder, $"{eval.Split}.{head}.tsv"),
                "id\treference\thypothesis\n" + string.Concat(list.Select(p => $"{p.Id}\t{p.Reference}\t{p.Hypothesis}\n")));
        // The summary last: Load takes a split as cached only when it is there, so an interrupted Save is not read back
        // with some heads missing.
        Training.RunDirectory.WriteAtomic(Path.Combine(folder, $"{eval.Split}.csv"), csv);
    }
}
