using System.Globalization;
using SignNotebooks.Evaluation;
using SignNotebooks.Plots;
using SignNotebooks.Synthetic;

namespace SignNotebooks.Analysis;

/// <summary>
/// Where each stream fails: WER grouped by signer, background family and the keypoint detector's error on the
/// hands (the paper's motivation: RGB suffers from appearance and background, keypoints from detector failures).
/// Groups come from SynthSign's ground truth, so no real corpus could make this table.
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
    /// per-clip hand error over the split's clips.
    /// </summary>
    public static ResultTable ByGroup(Workbench wb, string split, params (string Label, SplitEvaluation Eval, string Head)[] columns)
    {
        var ids = columns[0].Eval.Pairs[columns[0].Head].Select(p => p.Id).ToList();
        var clips = ids.ToDictionary(id => id, id => wb.Corpus.LoadSynth(split, id, withFrames: false));
        var noise = clips.ToDictionary(c => c.Key, c => HandNoise(c.Value).ErrorPx + 10 * HandNoise(c.Value).MissedShare);
        var sorted = noise.Values.Order().ToList();
        double q1 = sorted[sorted.Count / 3], q2 = sorted[2 * sorted.Count / 3];
        string NoiseGroup(string id) => noise[id] <= q1 ? "1 low" : noise[id] <= q2 ? "2 mid" : "3 high";
        var groupings = new (string Kind, Func<string, string> Key)[]
        {
            ("signer", id => clips[id].Signer.Id),
            ("background", id => clips[id].BackgroundFamily),
            ("hand keypoint noise", NoiseGroup),
        };
        var rows = new List<IReadOnlyList<string>>();
        foreach (var (kind, key) in groupings)
            foreach (var g in ids.GroupBy(key).OrderBy(g => g.Key, StringComparer.Ordinal))
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
        return new ResultTable($"{split}: WER % by group (noise = detector's hand error, terciles)",
            ["grouped by", "group", "clips", .. columns.Select(c => c.Label)], rows);
    }
}
