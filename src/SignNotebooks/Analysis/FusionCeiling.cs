using System.Globalization;
using SignNotebooks.Evaluation;
using SignNotebooks.Plots;
using SignNotebooks.Synthetic;
using SignNotebooks.Training;
using SignNotebooks.Util;

namespace SignNotebooks.Analysis;

/// <summary>
/// One split's comparison of two single streams' hypotheses (<see cref="FusionCeiling"/>). Words are the references'
/// words; <see cref="MissedByBoth"/> counts those that neither stream's hypothesis gets right, by the kind of gloss.
/// </summary>
public sealed record FusionCeilingRow(string Split, int Words, double WerA, double WerB, double UtteranceOracleWer,
    int MissedByBoth, IReadOnlyDictionary<string, int> MissedByBothByKind)
{
    /// <summary>The word-level oracle: WER if a fusion kept every word that either stream recognises, and nothing else.</summary>
    public double WordOracleWer => 100.0 * MissedByBoth / Words;
}

/// <summary>
/// How far fusing two streams can go on what they already recognise. A late ensemble recombines the streams' outputs: the
/// reference words that both streams miss stay missed. Two oracles bound that recombination: per utterance (take the
/// better stream's sentence) and per word (keep every word either stream gets right, and nothing else). A joint head on
/// streams whose weights stay fixed (the standard profile's joint stage) reads their features rather than their outputs,
/// so it is bounded only by what those features hold; the oracles say how much the outputs alone leave. Words are matched
/// through the same alignment WER uses (sclite costs), so "gets right" means a Correct step of
/// <see cref="WordErrorRate.Align"/>. Why it is in the workbook: the paper's fusion gain needs streams that fail on
/// different words; on SynthSign's standard profile 40–50 % of the words both streams miss are minimal-pair members that
/// neither stream learns to tell apart (issue 15), which this table shows by gloss kind.
/// </summary>
public static class FusionCeiling
{
    public const string HandshapePair = "handshape pair", FacePair = "face pair", Other = "other";

    /// <summary>Compares two hypothesis sets of one split; both must score the same sentence ids.</summary>
    /// <param name="kindOf">Gloss → kind (e.g. <see cref="MinimalPairKinds"/>); null: every word is <see cref="Other"/>.</param>
    public static FusionCeilingRow Compute(string split, IReadOnlyList<ScoringPair> a, IReadOnlyList<ScoringPair> b,
        Func<string, string>? kindOf = null, GlossCleanup cleanup = GlossCleanup.None)
    {
        var ra = WordErrorRate.Score(a, cleanup);
        var scoredB = WordErrorRate.Score(b, cleanup);
        var rb = scoredB.Sentences.ToDictionary(s => s.Id);
        if (rb.Count != ra.Sentences.Count || ra.Sentences.Any(s => !rb.ContainsKey(s.Id)))
        {
            var missing = ra.Sentences.Select(s => s.Id).Except(rb.Keys).Concat(rb.Keys.Except(ra.Sentences.Select(s => s.Id))).First();
            throw new UserFacingException($"fusion ceiling on {split}: sentence '{missing}' is scored by one stream and not the other. " +
                                          "Fix: evaluate both runs on the same split with the same clip limit (MaxEvalClips).");
        }
        int oracleErrors = 0, missed = 0;
        var byKind = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var sa in ra.Sentences)
        {
            var sb = rb[sa.Id];
            var refA = ReferenceWords(sa);
            var refB = ReferenceWords(sb);
            if (!refA.Select(w => w.Word).SequenceEqual(refB.Select(w => w.Word)))
                throw new UserFacingException($"fusion ceiling on {split}: sentence '{sa.Id}' has different references in the two evaluations. " +
                                              "Fix: compare evaluations of the same corpus and split.");
            oracleErrors += Math.Min(sa.Errors, sb.Errors);
            for (int i = 0; i < refA.Count; i++)
            {
                if (refA[i].Correct || refB[i].Correct) continue;
                missed++;
                var kind = kindOf?.Invoke(refA[i].Word) ?? Other;
                byKind[kind] = byKind.GetValueOrDefault(kind) + 1;
            }
        }
        return new FusionCeilingRow(split, ra.N, ra.Wer, scoredB.Wer, 100.0 * oracleErrors / ra.N, missed, byKind);
    }

    // The reference words of an aligned sentence in order, each with whether the hypothesis got it (insertions carry none).
    private static List<(string Word, bool Correct)> ReferenceWords(SentenceAlignment s) =>
        s.Words.Where(w => w.Op != WerOp.Insertion).Select(w => (w.Ref!, w.Op == WerOp.Correct)).ToList();

    /// <summary>SynthSign's gloss kinds: a member of a handshape-only or a face-only minimal pair, or other.</summary>
    public static Func<string, string> MinimalPairKinds(Lexicon lexicon)
    {
        var hand = lexicon.HandshapePairs().SelectMany(p => new[] { p.A, p.B }).ToHashSet(StringComparer.Ordinal);
        var face = lexicon.FacePairs().SelectMany(p => new[] { p.A, p.B }).ToHashSet(StringComparer.Ordinal);
        return g => hand.Contains(g) ? HandshapePair : face.Contains(g) ? FacePair : Other;
    }

    /// <summary>
    /// The video and keypoint stage runs of each seed on every evaluation split (their own heads, the test beam, cached
    /// evaluations): one row per split and seed.
    /// </summary>
    public static IReadOnlyList<FusionCeilingRow> ForStreams(Workbench wb, int seeds)
    {
        var kinds = wb.IsSynthSign ? MinimalPairKinds(wb.Corpus.Corpus.Lexicon) : null;
        var cleanup = Corpora.CorpusSource.Cleanup(wb.DatasetName);
        var rows = new List<FusionCeilingRow>();
        foreach (var split in wb.EvalSplits)
            for (int s = 0; s < seeds; s++)
            {
                var video = wb.Evaluate(wb.Stage(TrainingStage.Video, s), split, heads: [Models.RecognitionOutputs.Video]);
                var keypoint = wb.Evaluate(wb.Stage(TrainingStage.Keypoint, s), split, heads: [Models.RecognitionOutputs.Keypoint]);
                rows.Add(Compute(split, video.Pairs[Models.RecognitionOutputs.Video], keypoint.Pairs[Models.RecognitionOutputs.Keypoint], kinds, cleanup));
            }
        return rows;
    }

    /// <summary>
    /// Per split (mean over the seeds' rows): the two streams' WER, both oracles, and the share of the words both miss
    /// that are minimal-pair glosses; <paramref name="fused"/> (e.g. the full model's mean WER per split, in the rows'
    /// split order) is shown beside them when given.
    /// </summary>
    public static ResultTable Table(IReadOnlyList<FusionCeilingRow> rows, IReadOnlyList<double>? fused = null, string nameA = "video", string nameB = "keypoint")
    {
        var inv = CultureInfo.InvariantCulture;
        string F(double x) => x.ToString("F1", inv);
        var splits = rows.Select(r => r.Split).Distinct().ToList();
        var kinds = rows.SelectMany(r => r.MissedByBothByKind.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        var body = splits.Select((split, i) =>
        {
            var rs = rows.Where(r => r.Split == split).ToList();
            int missed = rs.Sum(r => r.MissedByBoth);
            var shares = kinds.Select(k => missed == 0 ? "0" : F(100.0 * rs.Sum(r => r.MissedByBothByKind.GetValueOrDefault(k)) / missed));
            return (IReadOnlyList<string>)[split, F(rs.Average(r => r.WerA)), F(rs.Average(r => r.WerB)),
                .. (fused is null ? Array.Empty<string>() : new[] { F(fused[i]) }),
                F(rs.Average(r => r.UtteranceOracleWer)), F(rs.Average(r => r.WordOracleWer)), .. shares];
        }).ToList();
        int seeds = rows.Count / Math.Max(1, splits.Count);
        return new ResultTable(
            $"Fusion ceiling: WER % of the two single streams and of two oracles that recombine their hypotheses (mean of {seeds} seed(s)); " +
            "the last columns split the words both streams miss by gloss kind (% of those words)",
            ["split", nameA, nameB, .. (fused is null ? Array.Empty<string>() : new[] { "full model" }), "oracle per utterance", "oracle per word (missed by both)",
             .. kinds.Select(k => $"missed by both: {k} %")],
            body);
    }
}
