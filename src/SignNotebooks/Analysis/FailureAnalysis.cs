using System.Globalization;
using SignNotebooks.Evaluation;
using SignNotebooks.Plots;
using SignNotebooks.Synthetic;

namespace SignNotebooks.Analysis;

/// <summary>
/// Where each stream fails: WER grouped by signer, background family and the keypoint detector's error on the
/// hands (the paper's motivation: RGB suffers from appearance and background, keypoints from detector failures).
/// Background and noise groups come from SynthSign's ground truth; a real corpus has the signer grouping only.
/// </summary>
public static class FailureAnalysis
{
    /// <summary>Mean hand-keypoint error of the detector in pixels (missed detections excluded) and the missed share.</summary>
    public static (double ErrorPx, double MissedShare) HandNoise(SynthClip clip)
    {
        double err = 0; int n = 0, missed = 0, total = 0;
        for (int t = 0; t < clip.FrameCount; t++)
            for (int k = 91; k < 133; k++) // spec §1.2: hands are 91–132
            {
                int o = (t * 133 + k) * 3;
                total++;
                if (clip.DetectedKeypoints[o] == 0 && clip.DetectedKeypoints[o + 1] == 0 && clip.DetectedKeypoints[o + 2] == 0) { missed++; continue; }
                double dx = clip.DetectedKeypoints[o] - clip.CleanKeypoints[o], dy = clip.DetectedKeypoints[o + 1] - clip.CleanKeypoints[o + 1];
                err += Math.Sqrt(dx * dx + dy * dy);
                n++;
            }
        return (n == 0 ? double.NaN : err / n, (double)missed / Math.Max(1, total));
    }

    /// <summary>
    /// WER by group for each (label, evaluation, head) column, on one split. Noise groups are terciles of the
    /// per-clip hand error over the split's clips. On a real corpus only the signer grouping exists (from the
    /// annotations' signer ids); the background and noise groupings become a row saying what they would need.
    /// </summary>
    public static ResultTable ByGroup(Workbench wb, string split, params (string Label, SplitEvaluation Eval, string Head)[] columns)
    {
        var ids = columns[0].Eval.Pairs[columns[0].Head].Select(p => p.Id).ToList();
        var groupings = wb.IsSynthSign ? SynthGroupings(wb, split, ids) : RealGroupings(wb, split, ids);
        var rows = new List<IReadOnlyList<string>>();
        foreach (var (kind, key, unavailable) in groupings)
        {
            if (unavailable is not null) { rows.Add([kind, unavailable, "–", .. columns.Select(_ => "–")]); continue; }
            foreach (var g in ids.GroupBy(key!).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var members = g.ToHashSet();
                var row = new List<string> { kind, g.Key, members.Count.ToString(CultureInfo.InvariantCulture) };
                foreach (var (_, eval, head) in columns)
                {
                    var wer = WordErrorRate.Score(eval.Pairs[head].Where(p => members.Contains(p.Id))).Wer;
                    row.Add(wer.ToString("F1", CultureInfo.InvariantCulture));
                }
                rows.Add(row);
            }
        }
        return new ResultTable($"{split}: WER % by group{(wb.IsSynthSign ? " (noise = detector's hand error, terciles)" : $" ({wb.DatasetName})")}",
            ["grouped by", "group", "clips", .. columns.Select(c => c.Label)], rows);
    }

    private static (string Kind, Func<string, string>? Key, string? Unavailable)[] SynthGroupings(Workbench wb, string split, List<string> ids)
    {
        var clips = ids.ToDictionary(id => id, id => wb.Corpus.LoadSynth(split, id, withFrames: false));
        var noise = clips.ToDictionary(c => c.Key, c => HandNoise(c.Value).ErrorPx + 10 * HandNoise(c.Value).MissedShare);
        var sorted = noise.Values.Order().ToList();
        double q1 = sorted[sorted.Count / 3], q2 = sorted[2 * sorted.Count / 3];
        string NoiseGroup(string id) => noise[id] <= q1 ? "1 low" : noise[id] <= q2 ? "2 mid" : "3 high";
        return
        [
            ("signer", id => clips[id].Signer.Id, null),
            ("background", id => clips[id].BackgroundFamily, null),
            ("hand keypoint noise", NoiseGroup, null),
        ];
    }

    private static (string Kind, Func<string, string>? Key, string? Unavailable)[] RealGroupings(Workbench wb, string split, List<string> ids)
    {
        var signers = ids.ToDictionary(id => id, id => wb.Dataset.Load(split, id, withFrames: false).Signer);
        // CSL-Daily's and SLRT's lists carry signer ids; a corpus without them gets a line, not one "unknown" group.
        var signer = signers.Values.All(string.IsNullOrWhiteSpace)
            ? ("signer", (Func<string, string>?)null, (string?)$"not available on {wb.DatasetName}: its annotations have no signer ids")
            : ("signer", id => string.IsNullOrWhiteSpace(signers[id]) ? "(none)" : signers[id], null);
        return
        [
            signer,
            ("background", null, wb.NotAvailable("the background family each clip was rendered on")),
            ("hand keypoint noise", null, wb.NotAvailable("the clean keypoints the detector's error is measured against")),
        ];
    }
}
