using System.Diagnostics;
using SignNotebooks.Util;

namespace SignNotebooks.Evaluation;

/// <summary>The corpus totals of sclite's <c>rsum</c> report (the <c>Sum</c> row).</summary>
public sealed record ScliteTotals(int Sentences, int Words, int Correct, int Substitutions, int Deletions, int Insertions, int Errors);

/// <summary>Runs Debian's <c>sctk sclite</c> (package <c>sctk</c>) and reads its totals; used by the parity test and <c>score wer --sclite</c>.</summary>
public static class Sclite
{
    public const string InstallHint = "sclite is missing: install it with `apt-get install sctk` (Debian/Ubuntu; it provides the `sctk` command).";

    /// <summary>Scores two trn files; throws <see cref="UserFacingException"/> with <see cref="InstallHint"/> when sctk is not installed.</summary>
    public static ScliteTotals ScoreTrn(string refTrn, string hypTrn, bool caseSensitive = false) =>
        Run(caseSensitive, ["-r", refTrn, "trn", "-h", hypTrn, "trn", "-i", "spu_id"]);

    /// <summary>Scores an stm reference against a ctm hypothesis (the files <see cref="ScliteFiles.Export"/> writes).</summary>
    public static ScliteTotals ScoreStmCtm(string refStm, string hypCtm, bool caseSensitive = false) =>
        Run(caseSensitive, ["-r", refStm, "stm", "-h", hypCtm, "ctm"]);

    private static ScliteTotals Run(bool caseSensitive, string[] inputs)
    {
        var args = new List<string> { "sclite" };
        if (caseSensitive) args.Add("-s");
        args.AddRange(inputs);
        args.AddRange(["-o", "rsum", "stdout"]);
        var psi = new ProcessStartInfo("sctk") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        Process p;
        try { p = Process.Start(psi) ?? throw new UserFacingException(InstallHint); }
        catch (System.ComponentModel.Win32Exception e) { throw new UserFacingException(InstallHint, e); }
        using (p)
        {
            var errTask = p.StandardError.ReadToEndAsync();
            var output = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            var err = errTask.Result;
            if (p.ExitCode != 0) throw new InvalidOperationException($"sctk sclite exited with {p.ExitCode}: {err}\n{output}");
            return ParseSumRow(output) ?? throw new InvalidOperationException($"no Sum row in sclite's output:\n{output}\n{err}");
        }
    }

    /// <summary>Reads <c>| Sum | #Snt #Wrd | Corr Sub Del Ins Err S.Err |</c> (counts, as printed by <c>-o rsum</c>).</summary>
    public static ScliteTotals? ParseSumRow(string rsum)
    {
        foreach (var line in rsum.Split('\n'))
        {
            var cells = line.Split('|', StringSplitOptions.TrimEntries);
            if (cells.Length < 4 || cells[1] != "Sum") continue;
            var n = cells[2].Split(' ', StringSplitOptions.RemoveEmptyEntries).Concat(cells[3].Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Select(int.Parse).ToArray();
            return new ScliteTotals(n[0], n[1], n[2], n[3], n[4], n[5], n[6]);
        }
        return null;
    }
}
