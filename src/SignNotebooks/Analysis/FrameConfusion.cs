using System.Globalization;
using SignNotebooks.Data;
using SignNotebooks.Models;
using SignNotebooks.Plots;
using TorchSharp;
using static TorchSharp.torch;

namespace SignNotebooks.Analysis;

/// <summary>
/// What a head reads at each output step, against SynthSign's true frame labels (<see cref="FrameTargets"/> at the head's
/// stride): for every watched gloss, how many of its steps the head's argmax gives to each watched gloss, to blank, or to
/// another gloss. WER cannot tell a stream that never sees a difference from one that sees it and decodes it badly; this
/// can (issue 15: the streams read every TWO…FIVE step as ONE or blank, on their own training clips too).
/// </summary>
public sealed class FrameConfusion
{
    private readonly Vocabulary _vocabulary;
    private readonly int[] _ids;
    private readonly long[,] _counts;   // [watched row, watched column | blank | other]
    private long _steps, _correct;

    /// <summary>The watched glosses, rows and first columns of <see cref="Count"/>.</summary>
    public IReadOnlyList<string> Glosses { get; }

    /// <param name="glosses">The glosses to watch (e.g. <see cref="MinimalPairMembers"/>); each must be in the vocabulary.</param>
    public FrameConfusion(Vocabulary vocabulary, IReadOnlyList<string> glosses)
    {
        _vocabulary = vocabulary;
        Glosses = glosses.ToArray();
        _ids = Glosses.Select(g => vocabulary.Encode(g)).ToArray();
        var unknown = Glosses.Where((g, i) => _ids[i] == vocabulary.UnkId).ToList();
        if (unknown.Count > 0)
            throw new Util.UserFacingException($"gloss(es) {string.Join(", ", unknown)} are not in the model's vocabulary. Fix: watch glosses of its corpus.");
        _counts = new long[Glosses.Count, Glosses.Count + 2];
    }

    /// <summary>Column index of blank in <see cref="Count"/>; the next one is every other gloss.</summary>
    public int BlankColumn => Glosses.Count;

    /// <summary>Steps of watched gloss <paramref name="row"/> that the head gave to <paramref name="column"/>.</summary>
    public long Count(int row, int column) => _counts[row, column];

    /// <summary>Steps whose true label is watched gloss <paramref name="row"/>.</summary>
    public long Total(int row) => Enumerable.Range(0, Glosses.Count + 2).Sum(c => _counts[row, c]);

    /// <summary>Steps of watched gloss <paramref name="row"/> read as itself.</summary>
    public long Correct(int row) => _counts[row, row];

    /// <summary>Labelled steps seen (every gloss and blank, padding excluded) and the share the head got right, in %.</summary>
    public long Steps => _steps;
    public double StepAccuracy => _steps == 0 ? double.NaN : 100.0 * _correct / _steps;

    /// <summary>Adds one batch: <paramref name="logits"/> (B, T', V) of a head, its stride taken as T / T' of the targets.</summary>
    public void Add(Tensor logits, FrameTargets targets)
    {
        using var scope = NewDisposeScope();
        long steps = logits.shape[1];
        int stride = Math.Max(1, (int)(targets.MaxLength / steps));
        var truth = targets.At(stride, steps).data<long>().ToArray();   // (B, T') flattened
        var pred = logits.argmax(-1).cpu().data<long>().ToArray();
        for (int i = 0; i < truth.Length; i++)
        {
            if (truth[i] == FrameTargets.Ignore) continue;
            _steps++;
            if (truth[i] == pred[i]) _correct++;
            int row = Array.IndexOf(_ids, (int)truth[i]);
            if (row < 0) continue;
            int col = Array.IndexOf(_ids, (int)pred[i]);
            _counts[row, col >= 0 ? col : pred[i] == _vocabulary.BlankId ? BlankColumn : BlankColumn + 1]++;
        }
    }

    /// <summary>
    /// Runs <paramref name="head"/> of <paramref name="model"/> over the first <paramref name="maxClips"/> clips of
    /// <paramref name="loader"/> (an eval-mode loader on a corpus with frame labels) and counts them.
    /// <paramref name="batchStatistics"/>: BatchNorm uses each batch's statistics instead of the running ones (a check
    /// that a confusion is not an artefact of the running statistics).
    /// </summary>
    public static FrameConfusion Measure(RecognitionModel model, SignLoader loader, Vocabulary vocabulary, IReadOnlyList<string> glosses,
        string head, int maxClips, bool batchStatistics = false)
    {
        var result = new FrameConfusion(vocabulary, glosses);
        model.eval();
        if (batchStatistics)
            foreach (var m in model.modules())
                if (m is TorchSharp.Modules.BatchNorm1d or TorchSharp.Modules.BatchNorm2d or TorchSharp.Modules.BatchNorm3d) m.train();
        try
        {
            foreach (var built in loader.Leading(maxClips))
            {
                using var scope = NewDisposeScope();
                using var noGrad = no_grad();
                using var batch = built;
                if (batch.FrameTargets is null)
                    throw new Util.UserFacingException($"split '{loader.Split}' has no per-frame gloss labels (only SynthSign annotates gloss boundaries). Fix: measure a SynthSign run.");
                var outputs = model.Forward(batch.Video, batch.Heatmaps, batch.LengthsTensor);
                if (!outputs.Has(head))
                    throw new Util.UserFacingException($"the model has no head '{head}' (it has {string.Join(", ", outputs.Heads.Keys)}). Fix: pick one of those.");
                result.Add(outputs[head].Logits, batch.FrameTargets);
            }
        }
        finally { model.eval(); }
        return result;
    }

    /// <summary>SynthSign's minimal-pair members in lexicon order (handshape pairs, then face pairs).</summary>
    public static IReadOnlyList<string> MinimalPairMembers(Synthetic.Lexicon lexicon) =>
        lexicon.HandshapePairs().Concat(lexicon.FacePairs()).SelectMany(p => new[] { p.A, p.B }).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>One row per watched gloss: its steps, the columns it was read as, and its step accuracy.</summary>
    public ResultTable Table(string caption)
    {
        var inv = CultureInfo.InvariantCulture;
        var rows = Glosses.Select((g, r) =>
        {
            long total = Total(r);
            return (IReadOnlyList<string>)[g, total.ToString(inv),
                .. Enumerable.Range(0, Glosses.Count + 2).Select(c => _counts[r, c].ToString(inv)),
                total == 0 ? "–" : (100.0 * Correct(r) / total).ToString("F1", inv)];
        }).ToList();
        return new ResultTable(caption, ["true gloss", "steps", .. Glosses.Select(g => "→ " + g), "→ blank", "→ other", "correct %"], rows);
    }
}
