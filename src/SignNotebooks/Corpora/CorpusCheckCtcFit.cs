using SignNotebooks.Data;

namespace SignNotebooks.Corpora;

/// <summary><see cref="CorpusCheck"/>: clips whose gloss sequence cannot fit their frames even without augmentation.</summary>
public static partial class CorpusCheck
{
    /// <summary>
    /// CTC needs one output frame per gloss plus a blank between equal neighbours. Unaugmented, a clip of T frames reaches
    /// the main heads with ⌊min(T, 400) / 4⌋ frames (eval sampling, spec §7.3, §15.6); a clip with more glosses + repeats
    /// than that always gets a zero CTC loss in training (spec §6 zero_infinity) and is never recognised in full.
    /// </summary>
    /// <param name="where">The location text of a record (file and line or record number, and its name).</param>
    private static void CheckCtcFit(CorpusLayout layout, Dictionary<string, List<CorpusRecord>> records, Dictionary<CorpusRecord, int> frameCounts,
        Func<CorpusRecord, string> where, List<CheckProblem> problems)
    {
        var vocabulary = layout.BuildVocabulary(records.GetValueOrDefault("train", []).SelectMany(r => r.Glosses));
        var found = new List<CheckProblem>();
        foreach (var r in layout.Splits.SelectMany(s => records.GetValueOrDefault(s, [])))
        {
            int frames = frameCounts.TryGetValue(r, out int n) ? n : r.FrameCount ?? 0;
            if (frames <= 0 || r.Glosses.Length == 0) continue;
            int outputs = TemporalSampling.Eval(frames, InputConfig.Paper).Length / 4;
            var ids = vocabulary.Encode(r.Glosses);
            int repeats = Enumerable.Range(1, Math.Max(0, ids.Length - 1)).Count(i => ids[i] == ids[i - 1]);
            if (ids.Length + repeats <= outputs) continue;
            found.Add(CheckProblem.Warning(where(r),
                $"{ids.Length} glosses ({repeats} adjacent repeats) need {ids.Length + repeats} output frames, but its {frames} frames give only {outputs} " +
                "at the T/4 heads even unaugmented, so its CTC loss is always zeroed in training (spec §6 zero_infinity)",
                "check this row's glosses and frames (a truncated video or a misaligned annotation); if both are right, nothing: the clip only costs compute"));
        }
        problems.AddRange(found.Take(MaxLinesPerKind));
        if (found.Count > MaxLinesPerKind)
            problems.Add(CheckProblem.Warning("(all)", $"{found.Count - MaxLinesPerKind} more clips whose glosses cannot fit their frames, not listed",
                "look at the ones listed first"));
    }
}
