using System.Globalization;
using SignNotebooks.Corpora;
using SignNotebooks.Plots;
using SignNotebooks.Util;

namespace SignNotebooks.Reproduction;

/// <summary>Where one card stands on this machine: what is missing, or what running it gave.</summary>
/// <param name="State">ready, data not present here, checkpoint not present here, awaiting translation, ran, could not run.</param>
/// <param name="DataRoot">&lt;data root&gt;/&lt;dataset&gt;, when present.</param>
/// <param name="Checkpoint">The card's checkpoint under the checkpoint root, when present.</param>
/// <param name="Message">Why it could not run (the command's own error), or null.</param>
/// <param name="Translation">A translation card's inputs found under the checkpoint root (S2T checkpoints, mBART folder, features or S2G checkpoint).</param>
public sealed record CardStatus(ReproductionCard Card, string State, string? DataRoot, string? Checkpoint, ReproductionResult? Result = null, string? Message = null,
    TranslationInputs? Translation = null)
{
    public const string Ready = "ready", NoData = "data not present here", NoCheckpoint = "checkpoint not present here",
        Awaiting = "awaiting translation", Ran = "ran", Failed = "could not run";
}

/// <summary>
/// Notebook 07's engine: surveys the cards against a data root laid out like SLRT's data/ folder
/// (&lt;root&gt;/phoenix-2014/, &lt;root&gt;/phoenix-2014t/, &lt;root&gt;/csl-daily/) and a checkpoint root (the cards'
/// checkpoint paths below it), runs those whose data and checkpoint are present, and lays the paper's numbers next to
/// what was measured, and the SynthSign ablation next to what the paper's ablation is known to say.
/// </summary>
public static class PaperTables
{
    /// <summary>Each card's status without running anything.</summary>
    public static IReadOnlyList<CardStatus> Survey(IReadOnlyList<ReproductionCard> cards, string? dataRoot, string? checkpointRoot = null)
    {
        dataRoot = string.IsNullOrWhiteSpace(dataRoot) ? null : dataRoot;
        checkpointRoot = string.IsNullOrWhiteSpace(checkpointRoot) ? (dataRoot is null ? null : Path.Combine(dataRoot, "checkpoints")) : checkpointRoot;
        return cards.Select(c =>
        {
            if (!c.IsRunnable) return new CardStatus(c, CardStatus.Awaiting, null, null);
            var data = dataRoot is null ? null : Path.Combine(dataRoot, c.Dataset);
            if (data is null || !Directory.Exists(data) || CorpusSource.DetectForm(c.Dataset, data) is null) return new CardStatus(c, CardStatus.NoData, null, null);
            if (checkpointRoot is null) return new CardStatus(c, CardStatus.NoCheckpoint, data, null);
            var ckpts = c.Checkpoints.Select(p => Path.Combine(checkpointRoot, p)).ToArray();
            if (!ckpts.All(File.Exists)) return new CardStatus(c, CardStatus.NoCheckpoint, data, null);
            if (c.Task != "translation") return new CardStatus(c, CardStatus.Ready, data, ckpts[0]);
            // A translation card also needs the mBART folder and the features (or the S2G checkpoint to extract them).
            string? Under(string? rel, Func<string, bool> exists) => rel is not null && exists(Path.Combine(checkpointRoot, rel)) ? Path.Combine(checkpointRoot, rel) : null;
            var mbart = Under(c.LanguageModel, Directory.Exists);
            var features = Under(c.Features, Directory.Exists);
            var recognition = features is null ? Under(c.Recognition, File.Exists) : null;
            if (mbart is null || (features is null && recognition is null)) return new CardStatus(c, CardStatus.NoCheckpoint, data, null);
            return new CardStatus(c, CardStatus.Ready, data, string.Join(",", ckpts), Translation: new TranslationInputs(ckpts, mbart, features, recognition));
        }).ToList();
    }

    /// <summary>Runs every ready card; a card that cannot run keeps the command's message instead of stopping the others.</summary>
    public static IReadOnlyList<CardStatus> RunReady(IReadOnlyList<CardStatus> statuses, TextWriter? log = null, string device = "cpu") =>
        statuses.Select(s =>
        {
            if (s.State != CardStatus.Ready) return s;
            try
            {
                var result = s.Translation is { } inputs
                    ? TranslationReproducer.Run(s.Card, s.DataRoot!, inputs, device, log)
                    : Reproducer.Run(s.Card, s.DataRoot!, s.Checkpoint!, device, log);
                return s with { State = CardStatus.Ran, Result = result };
            }
            catch (UserFacingException e) { return s with { State = CardStatus.Failed, Message = e.Message }; }
        }).ToList();

    /// <summary>Paper vs measured, one row per card.</summary>
    public static ResultTable Table(IReadOnlyList<CardStatus> statuses) => new(
        "Paper tables: every reproduction card (data/cards/), the paper's number and what was measured here",
        ["card", "dataset", "split", "head", "metric", "paper", "measured", "status", "how to get it"],
        statuses.Select(s => (IReadOnlyList<string>)
        [
            s.Card.Id, s.Card.Dataset, s.Card.Split, s.Card.Head, s.Card.Metric,
            F($"{s.Card.Expected:F2} ± {s.Card.Tolerance:F2}"),
            s.Result is { } r ? F($"{r.Measured:F2}") : "—",
            s.Result is { } rr ? (rr.Passed ? "PASS" : "FAIL") : s.State == CardStatus.Failed ? $"could not run: {s.Message}" : s.State,
            s.State is CardStatus.NoData or CardStatus.NoCheckpoint ? (s.State == CardStatus.NoCheckpoint ? $"{Needs(s.Card)}: {s.Card.CheckpointNote}" : s.Card.HowToGet ?? "") : "",
        ]).ToList());

    // What a card needs under the checkpoint root.
    private static string Needs(ReproductionCard c) => c.Task != "translation" ? c.Checkpoint
        : $"{c.Checkpoint} + {c.LanguageModel}/ + {c.Features}/ (or {c.Recognition})";

    /// <summary>
    /// The SynthSign ablation CSV notebook 04 wrote: the profile's own (artifacts/figures/&lt;profile&gt;), else the
    /// committed standard-profile one in figures/; null when neither exists.
    /// </summary>
    public static string? AblationCsv(string profile)
    {
        foreach (var dir in new[] { FigureExport.Folder(profile), RepoPaths.Figures }.Distinct())
        {
            var p = Path.Combine(dir, "ablation_table.csv");
            if (File.Exists(p)) return p;
        }
        return null;
    }

    // spec §11: only three rows of the paper's ablation are confirmed (single streams ≈ SLRT#40, full model = README);
    // the other rows must come from the PDF (spec §11.2, §16), so they are marked instead of guessed.
    private static string PaperRow(string configuration) =>
        configuration.StartsWith("video only", StringComparison.Ordinal) ? "≈ 22 (SLRT#40, spec §11.1)"
        : configuration.StartsWith("keypoint only", StringComparison.Ordinal) ? "≈ 27 (SLRT#40, spec §11.1)"
        : configuration.Contains("full TwoStream-SLR", StringComparison.Ordinal) ? "19.3 (README, spec §11.1)"
        : "not confirmed: take it from the paper PDF (spec §11.2)";

    /// <summary>
    /// Our ablation (mean ± half-range WER on SynthSign) next to the paper's Phoenix-2014T test WER for the same
    /// configuration where the spec confirms it. Null when no ablation CSV exists.
    /// </summary>
    public static ResultTable? AblationComparison(string? csvPath)
    {
        if (csvPath is null || !File.Exists(csvPath)) return null;
        var df = Microsoft.Data.Analysis.DataFrame.LoadCsv(csvPath);
        var header = df.Columns.Select(c => c.Name).ToList();
        var rows = df.Rows.Select(r => r.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "").ToList()).ToList();
        int cfg = header.IndexOf("configuration");
        if (cfg < 0) throw new UserFacingException($"{csvPath}: no 'configuration' column. Fix: use the ablation_table.csv notebook 04 writes.");
        return new ResultTable($"Ablation: SynthSign WER % ({Path.GetRelativePath(RepoPaths.Root, csvPath)}) next to the paper's Phoenix-2014T test WER %",
            [.. header.Select(h => h is "dev" or "test" or "test-shift" ? $"SynthSign {h}" : h), "paper, Phoenix-2014T test"],
            rows.Select(r => (IReadOnlyList<string>)[.. r, PaperRow(r[cfg])]).ToList());
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
