using System.Text.RegularExpressions;
using SignNotebooks.Util;

namespace SignNotebooks.Evaluation;

/// <summary>
/// Joins the folders that the parts of a job array wrote (<c>&lt;prefix&gt;shard&lt;i&gt;of&lt;N&gt;/</c>, each a
/// <see cref="RecognitionEvaluator.Save"/> output) into the unsharded evaluation: each head's hypotheses are
/// concatenated and rescored, so the WER is exactly the unsharded one (corpus WER sums S, D, I and N).
/// </summary>
public static partial class ShardMerge
{
    /// <summary>The shard folder name of part <paramref name="index"/> of <paramref name="count"/>.</summary>
    public static string FolderName(string prefix, int index, int count) => $"{prefix}shard{index}of{count}";

    /// <param name="parent">The folder holding the shard folders.</param>
    /// <param name="prefix">Their common name prefix (e.g. "best-" or "").</param>
    /// <param name="rerun">The command that writes shard i of N, for the fix of a message ("{i}" and "{n}" are replaced).</param>
    public static SplitEvaluation Merge(string parent, string prefix, string split, GlossCleanup cleanup, int defaultBeam, string rerun)
    {
        var shards = (Directory.Exists(parent) ? Directory.GetDirectories(parent) : [])
            .Select(f => (f, m: ShardName().Match(Path.GetFileName(f))))
            .Where(x => x.m.Success && x.m.Groups[1].Value == prefix)
            .Select(x => (x.f, i: int.Parse(x.m.Groups[2].Value), n: int.Parse(x.m.Groups[3].Value))).OrderBy(x => x.i).ToList();
        if (shards.Count == 0)
            throw new UserFacingException($"{parent}: no shard folders ({prefix}shard<i>of<N>). Fix: run `{rerun.Replace("{i}", "i").Replace("{n}", "N")}` for every i first.");
        var counts = shards.Select(s => s.n).Distinct().ToList();
        if (counts.Count > 1)
            throw new UserFacingException($"{parent}: shard folders of different splits into parts ({string.Join(", ", counts.Select(c => $"of {c}"))}). Fix: delete the stale ones and merge one job array.");
        int n = counts[0];
        var parts = shards.Select(s => RecognitionEvaluator.Load(s.f, split, SavedBeam(s.f, split) ?? defaultBeam, cleanup)).ToList();
        var missing = Enumerable.Range(0, n).Where(i => !shards.Any(s => s.i == i)).Concat(shards.Where((s, k) => parts[k] is null).Select(s => s.i)).Order().ToList();
        if (missing.Count > 0)
            throw new UserFacingException($"{parent}: shards {string.Join(", ", missing.Select(i => $"{i}/{n}"))} of {split} are missing. " +
                                          $"Fix: run those tasks again ({rerun.Replace("{i}", "i").Replace("{n}", n.ToString(System.Globalization.CultureInfo.InvariantCulture))}).");
        var beams = parts.Select(p => p!.Beam).Distinct().ToList();
        if (beams.Count > 1)
            throw new UserFacingException($"{parent}: the shards of {split} were decoded with different beams ({string.Join(", ", beams)}). Fix: run every shard with the same beam.");
        var pairs = parts[0]!.Pairs.Keys.ToDictionary(h => h, h => (IReadOnlyList<ScoringPair>)parts.SelectMany(p => p!.Pairs[h]).ToList());
        var heads = pairs.Select(p => { var r = WordErrorRate.Score(p.Value, cleanup); return new HeadWer(p.Key, r.Wer, r.S, r.D, r.I, r.N); }).ToList();
        return new SplitEvaluation(split, beams[0], heads, pairs);
    }

    // The beam column of `<split>.csv` (RecognitionEvaluator.Save), or null when the file has none.
    private static int? SavedBeam(string folder, string split)
    {
        var csv = Path.Combine(folder, $"{split}.csv");
        var row = File.Exists(csv) ? File.ReadLines(csv).Skip(1).FirstOrDefault() : null;
        return row is not null && int.TryParse(row.Split(',')[^1], out var b) ? b : null;
    }

    [GeneratedRegex(@"^(.*)shard(\d+)of(\d+)$")]
    private static partial Regex ShardName();
}
