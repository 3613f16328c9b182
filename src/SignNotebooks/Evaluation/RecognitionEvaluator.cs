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
    public static SplitEvaluation Evaluate(RecognitionModel model, SignLoader loader, Vocabulary vocabulary, int beam,
        GlossCleanup cleanup = GlossCleanup.None, IProgress<int>? progress = null, IReadOnlyCollection<string>? heads = null, Device? device = null)
    {
        if (loader.Options.Train) throw new ArgumentException("evaluate with an eval-mode loader (LoaderOptions.Train = false)");
        var options = new CtcDecodeOptions { Method = CtcDecodeMethod.BeamSearch, BeamWidth = beam, Blank = vocabulary.BlankId };
        var pairs = new Dictionary<string, List<ScoringPair>>(StringComparer.Ordinal);
        bool wasTraining = model.training;
        model.eval();
        try
        {
            int done = 0;
            foreach (var batch in loader.Epoch(0))
            {
                using var _ = batch;
                using var gcOff = Util.NoGcRegion.Enter(); // see NoGcRegion: TorchSharp's implicit Scalars
                using var scope = NewDisposeScope();
                using var noGrad = no_grad();
                // The loader builds batches on the CPU; a model moved to a GPU (--device cuda) reads copies there.
                var outputs = device is null || device.type == DeviceType.CPU
                    ? model.Forward(batch.Video, batch.Heatmaps, batch.LengthsTensor)
                    : model.Forward(batch.Video?.to(device), batch.Heatmaps?.to(device), batch.LengthsTensor.to(device));
                foreach (var (head, output) in outputs.Heads)
                {
                    if (heads is not null && !heads.Contains(head)) continue;
                    // Non-finite scores mean broken weights or inputs: say which head and clips, not a decoder stack trace.
                    if (output.LogProbs.isnan().any().item<bool>())
                        throw new Util.UserFacingException($"the {head} head produced NaN scores for the batch of clips {string.Join(", ", batch.Names)}. " +
                            "Fix: check the checkpoint (`signnb checkpoint inspect` reports damaged or non-finite tensors) and that the inputs are finite; " +
                            "a run whose training loss became NaN must be retrained from an earlier checkpoint.");
                    var decoded = CtcDecoder.DecodeBatch(output.LogProbs, output.ValidLengths, options);
                    var list = pairs.TryGetValue(head, out var l) ? l : pairs[head] = [];
                    for (int b = 0; b < batch.Size; b++)
                    {
                        var hyp = decoded[b].Length == 0 ? "" : string.Join(' ', vocabulary.Decode(decoded[b][0].Glosses));
                        list.Add(new ScoringPair(batch.Names[b], string.Join(' ', batch.Glosses[b]), hyp));
                    }
                }
                done += batch.Size;
                progress?.Report(done);
            }
        }
        finally
        {
            model.train(wasTraining);
        }
        var scored = pairs.Select(p =>
        {
            var r = WordErrorRate.Score(p.Value, cleanup);
            return new HeadWer(p.Key, r.Wer, r.S, r.D, r.I, r.N);
        }).ToList();
        if (scored.Count == 0)
            throw new ArgumentException($"none of the heads {string.Join(", ", heads ?? [])} exists in this model");
        return new SplitEvaluation(loader.Split, beam, scored, pairs.ToDictionary(p => p.Key, p => (IReadOnlyList<ScoringPair>)p.Value));
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
        Training.RunDirectory.WriteAtomic(Path.Combine(folder, $"{eval.Split}.csv"), csv);
        foreach (var (head, list) in eval.Pairs)
            Training.RunDirectory.WriteAtomic(Path.Combine(folder, $"{eval.Split}.{head}.tsv"),
                "id\treference\thypothesis\n" + string.Concat(list.Select(p => $"{p.Id}\t{p.Reference}\t{p.Hypothesis}\n")));
    }
}
