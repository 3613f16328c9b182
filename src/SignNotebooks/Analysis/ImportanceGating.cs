using SignNotebooks.Data;
using SignNotebooks.Importance;
using SignNotebooks.Models;
using SignNotebooks.Plots;
using SignNotebooks.Training;
using SignNotebooks.Util;

namespace SignNotebooks.Analysis;

/// <summary>
/// The experiment of notebook 08's second half: estimators trained on the true boundaries or on the full model's CTC
/// pseudo-alignments, and the importance-gated keypoint stream trained and scored against the plain one, both alone
/// and inside the full TwoStream-SLR (the gated joint run starts from the gated keypoint stage and the plain video stage).
/// On a real corpus (no lexicon, no gloss boundaries) the dictionary is the user's file and every target comes from
/// CTC pseudo-alignments; the views that score against true boundaries say what they would need.
/// </summary>
public static class ImportanceGating
{
    /// <summary>What scoring against the truth needs, as <see cref="Workbench.NotAvailable"/> says it on a real corpus.</summary>
    public const string TruthNeeds = "true gloss boundaries per frame, which real corpora do not annotate";

    /// <summary>
    /// The sign dictionary and where it came from: the user's CSV (<paramref name="file"/>, the notebook's `dictionary`
    /// parameter) checked against the corpus's glosses, else on SynthSign the one generated from its lexicon. A real
    /// corpus without a file is an error naming the parameter: no dictionary is ever guessed.
    /// </summary>
    public static (SignDictionary Dictionary, string Source) Dictionary(Workbench wb, string? file)
    {
        if (!string.IsNullOrWhiteSpace(file)) return (SignDictionary.Load(file, DictionaryGlosses(wb)), Path.GetFileName(file));
        if (wb.IsSynthSign) return (SignDictionary.FromLexicon(wb.Corpus.Corpus.Lexicon), "generated from the SynthSign lexicon");
        throw new UserFacingException(
            $"notebook 08 on {wb.DatasetName} needs a sign dictionary, and the `dictionary` parameter is empty ({wb.DatasetName} has no lexicon to generate one from). " +
            "Fix: write a gloss,part,weight CSV covering the glosses of every split (format in src/SignNotebooks/Importance/README.md; check it with " +
            "`signnb dictionary check --file F.csv --glosses G.txt`) and pass it as the `dictionary` parameter: " +
            $"`signnb workbook --only 08 --dataset {wb.DatasetName} --data-root DIR --dictionary F.csv` (or SIGNNB_DICTIONARY=F.csv).");
    }

    /// <summary>
    /// The glosses a dictionary must cover: SynthSign's lexicon, or every gloss a real corpus's clips use in any split,
    /// since dev and test hold glosses the training vocabulary lacks and their targets need weights too (none is guessed).
    /// </summary>
    public static IReadOnlyList<string> DictionaryGlosses(Workbench wb) => wb.IsSynthSign ? wb.Dataset.Glosses
        : wb.Dataset.Splits.SelectMany(s => wb.Dataset.ClipNames(s).SelectMany(n => wb.Dataset.Load(s, n, withFrames: false).Glosses))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    /// <summary>Where the first estimator's targets come from: the true boundaries on SynthSign, CTC pseudo-alignments elsewhere.</summary>
    public static TargetSource BestSource(Workbench wb) => wb.IsSynthSign ? TargetSource.GroundTruthBoundaries : TargetSource.CtcPseudoAlignment;

    /// <summary>
    /// The estimator on the best targets the corpus has (<see cref="BestSource"/>), with those targets. On SynthSign it
    /// is the saved true-boundary estimator; on a real corpus it is the pseudo-alignment estimator of
    /// <see cref="Estimator"/> (both saved, so the notebook's second half reuses them).
    /// </summary>
    /// <returns>TruthDir: the saved true-boundary estimator (SynthSign), whose gate is the upper bound in <see cref="Rows"/>; null elsewhere.</returns>
    public static (ImportanceModel Model, Func<SignClip, ImportanceTargets> Targets, string? TruthDir) BestEstimator(Workbench wb, SignDictionary dictionary,
        ImportanceTrainingOptions options, TextWriter? log = null)
    {
        if (wb.IsSynthSign)
        {
            var truth = Estimator(wb, dictionary, TargetSource.GroundTruthBoundaries, options, log);
            return (truth.Model, ImportanceTrainer.GroundTruth(dictionary), truth.Dir);
        }
        var pseudo = Estimator(wb, dictionary, TargetSource.CtcPseudoAlignment, options, log);
        return (pseudo.Model, pseudo.Teacher!.For, null);
    }

    /// <summary>
    /// Per-part accuracy against the true boundaries on each split (what a corpus without them would get from an
    /// estimator), or none on a real corpus; <see cref="TruthTable"/> then says why.
    /// </summary>
    public static IReadOnlyList<ImportanceReport> ScoreAgainstTruth(Workbench wb, ImportanceModel model, SignDictionary dictionary, int clips) =>
        wb.IsSynthSign ? wb.EvalSplits.Select(s => ImportanceTrainer.Evaluate(model, wb.Dataset, s, ImportanceTrainer.GroundTruth(dictionary), clips)).ToList() : [];

    /// <summary>The accuracy table of <see cref="ScoreAgainstTruth"/>, or the line saying it needs SynthSign.</summary>
    public static ResultTable TruthTable(Workbench wb, IReadOnlyList<ImportanceReport> reports) =>
        reports.Count > 0 ? ImportanceViews.Accuracy(reports) : wb.NotAvailableTable(TruthNeeds);

    /// <summary>
    /// One clip over time: on SynthSign its frames, skeleton and true gloss timeline above targets and prediction;
    /// on a real corpus the targets (pseudo-alignments) and prediction, with a line saying the true timeline is missing.
    /// </summary>
    public static Notebooks.HtmlView ClipTimeline(Workbench wb, string split, ImportanceModel model, Func<SignClip, ImportanceTargets> targets)
    {
        var clip = wb.Dataset.Load(split, wb.Dataset.ClipNames(split)[0], withFrames: false);
        if (wb.IsSynthSign) return ImportanceViews.ClipTimeline(wb.Corpus.Generate(split, 0), targets(clip), ImportanceTrainer.Predict(model, clip));
        var charts = ImportanceViews.Timeline(clip.Name, targets(clip), ImportanceTrainer.Predict(model, clip));
        var note = System.Net.WebUtility.HtmlEncode($"true gloss timeline: {wb.NotAvailable(TruthNeeds)}");
        return new($"<div style=\"font-family:sans-serif;font-size:12px\">{note}</div>" + charts.Html, $"{clip.Name}: {string.Join(' ', clip.Glosses)}");
    }
    /// <summary>A config whose heatmaps are gated by the estimator saved in <paramref name="estimatorDir"/>.</summary>
    public static TrainingConfig Gate(TrainingConfig c, string estimatorDir, double floor = 0.5) =>
        c with { Input = c.Input with { ImportanceGate = new ImportanceGateConfig { Estimator = Relative(estimatorDir), Floor = floor } } };

    /// <summary>
    /// The estimator of a profile trained on targets from <paramref name="source"/>, saved once under the profile's runs
    /// and reused. Pseudo-alignments come from the full model of seed 0 (its late ensemble, the self-distillation teacher).
    /// </summary>
    public static (ImportanceModel Model, string Dir, TeacherTargets? Teacher) Estimator(Workbench wb, SignDictionary dictionary,
        TargetSource source, ImportanceTrainingOptions options, TextWriter? log = null)
    {
        TeacherTargets? teacher = null;
        string identity = options.ToString();
        if (source == TargetSource.CtcPseudoAlignment)
        {
            var full = Ablation.FullModel(wb, 0);
            teacher = new TeacherTargets(AlignmentAnalysis.LoadModel(full), wb.Dataset, full.Config.Input, full.Config.Streams, wb.Vocabulary, dictionary);
            identity += full.Run.Root + $"|margin{TeacherTargets.DefaultSpanMargin}";   // a retrained teacher (new config hash) or other target rule means a new estimator
        }
        // A user's dictionary is part of what the estimator learnt (SynthSign's is fixed by the corpus, so its name stays).
        if (!wb.IsSynthSign) identity += "|" + Workbench.ShortHash(DictionaryText(dictionary));
        // The folder is named by everything the estimator depends on, so a changed setting never reuses an old one.
        var dir = Path.Combine(wb.RunsRoot, $"importance-{(source == TargetSource.GroundTruthBoundaries ? "truth" : "pseudo")}-{Workbench.ShortHash(identity)}");
        var model = ImportanceModelFile.Ensure(dir, () => ImportanceTrainer.Train(wb.Dataset,
            teacher is null ? ImportanceTrainer.GroundTruth(dictionary) : teacher.For, options, log: log));
        return (model, dir, teacher);
    }

    /// <summary>
    /// Plain and gated, alone and in the full network; every row scored on its natural head. The gate comes from the
    /// estimator trained on CTC pseudo-alignments (what a real corpus can do) and, when <paramref name="truthDir"/> is
    /// given, from the one trained on the true boundaries (the upper bound: the gate as good as this estimator gets).
    /// </summary>
    public static IReadOnlyList<AblationRow> Rows(string pseudoDir, string? truthDir = null, double floor = 0.5)
    {
        Func<TrainingConfig, TrainingConfig> pseudo = c => Gate(c, pseudoDir, floor);
        var rows = new List<AblationRow>
        {
            new("keypoint only", RecognitionOutputs.Keypoint, (wb, s) => wb.Stage(TrainingStage.Keypoint, s)),
            new("keypoint only, gated (pseudo-alignment estimator)", RecognitionOutputs.Keypoint, (wb, s) => wb.Stage(TrainingStage.Keypoint, s, "gated", pseudo)),
        };
        Func<TrainingConfig, TrainingConfig>? truth = truthDir is null ? null : c => Gate(c, truthDir, floor);
        if (truth is not null)
            rows.Add(new("keypoint only, gated (true-boundary estimator)", RecognitionOutputs.Keypoint, (wb, s) => wb.Stage(TrainingStage.Keypoint, s, "gated-truth", truth)));
        rows.Add(new("full TwoStream-SLR", RecognitionOutputs.EnsembleLast, (wb, s) => Ablation.FullModel(wb, s)));
        rows.Add(new("full TwoStream-SLR, gated (pseudo-alignment estimator)", RecognitionOutputs.EnsembleLast, (wb, s) => wb.Joint("full-gated", pseudo, s, ("gated", pseudo))));
        if (truth is not null)
            rows.Add(new("full TwoStream-SLR, gated (true-boundary estimator)", RecognitionOutputs.EnsembleLast, (wb, s) => wb.Joint("full-gated-truth", truth, s, ("gated-truth", truth))));
        return rows;
    }

    private static string DictionaryText(SignDictionary d) =>
        string.Join("\n", d.Glosses.Order(StringComparer.Ordinal).Select(g => g + ":" + string.Join(',', d.Weights(g))));

    /// <summary>
    /// Per split: how many points an estimator (scored against the truth, <paramref name="scored"/>) is above the majority
    /// label of the TRUE train targets (the baseline of <paramref name="truthTrained"/>, the estimator trained on the true
    /// boundaries). The pseudo-trained estimator's own baseline is its pseudo-targets' majority, which moves with the
    /// target rule; the truth's does not. Errors when a split or part is missing from either list.
    /// </summary>
    public static IReadOnlyList<(string Split, double Gain)> GainOverTruthBaseline(IReadOnlyList<ImportanceReport> scored,
        IReadOnlyList<ImportanceReport> truthTrained, string part) =>
        scored.Select(r => (r.Split, r.Parts.Single(p => p.Part == part).Accuracy
            - truthTrained.Single(t => t.Split == r.Split).Parts.Single(p => p.Part == part).BaselineAccuracy)).ToList();

    /// <summary>
    /// How the teacher's pseudo-targets compare with the truth on the first <paramref name="clips"/> clips of a split:
    /// % of frames given the same gloss (or both rest), and how many clips could not be aligned at all. On a real corpus
    /// there is no truth: <see cref="PseudoAgreement.NotAvailable"/> says so and nothing is scored.
    /// </summary>
    public static PseudoAgreement PseudoTargetAgreement(Workbench wb, TeacherTargets teacher, string split, int clips)
    {
        if (!wb.IsSynthSign) return new(double.NaN, 0, 0, split) { NotAvailable = wb.NotAvailable(TruthNeeds) };
        double sum = 0;
        int n = 0, before = teacher.Unaligned;
        foreach (var name in wb.Corpus.ClipNames(split).Take(clips))
        {
            var clip = wb.Corpus.Load(split, name, withFrames: true);
            sum += TeacherTargets.FrameAgreement(teacher.FrameGloss(clip), clip.FrameGlossIndex!);
            n++;
        }
        return new(sum / Math.Max(1, n), n, teacher.Unaligned - before, split);
    }

    /// <summary>
    /// The notebook's conclusion, computed from the results: each gated row against the plain row its name starts with;
    /// gating counts as a change only where the mean WER moves by more than the two rows' combined half-ranges (with one
    /// seed, no spread is known and the text says so).
    /// </summary>
    public static string Conclusion(IReadOnlyList<AblationResult> results, int seeds)
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var lines = new List<string>();
        foreach (var gated in results.Where(r => r.Row.Name.Contains(", gated", StringComparison.Ordinal)))
        {
            var plainName = gated.Row.Name[..gated.Row.Name.IndexOf(", gated", StringComparison.Ordinal)];
            var plain = results.Single(r => r.Row.Name == plainName);
            for (int i = 0; i < plain.Splits.Count; i++)
            {
                double d = gated.Mean(i) - plain.Mean(i), noise = (plain.Spread(i) + gated.Spread(i)) / 2;
                string verdict = seeds < 2 ? "one seed: no spread to judge against"
                    : Math.Abs(d) <= noise ? $"within the seed spread (±{noise.ToString("F1", inv)}): no measurable effect"
                    : d < 0 ? "gating helped" : "gating hurt";
                lines.Add($"{gated.Row.Name}, {plain.Splits[i]}: {plain.Mean(i).ToString("F1", inv)} → {gated.Mean(i).ToString("F1", inv)} ({(d >= 0 ? "+" : "")}{d.ToString("F1", inv)} points; {verdict})");
            }
        }
        return string.Join("\n", lines);
    }

    private static string Relative(string dir)
    {
        var rel = Path.GetRelativePath(Util.RepoPaths.Root, Path.GetFullPath(dir));
        return rel.StartsWith("..", StringComparison.Ordinal) ? Path.GetFullPath(dir) : rel;
    }
}

/// <summary>Pseudo-targets against the truth on a split's first clips; <see cref="NotAvailable"/> is set on a real corpus.</summary>
public sealed record PseudoAgreement(double FrameAgreement, int Clips, int Unaligned, string Split)
{
    public string? NotAvailable { get; init; }

    public override string ToString() => NotAvailable is { } why ? $"pseudo-targets against the truth: {why}"
        : FormattableString.Invariant($"pseudo-targets on {Clips} {Split} clips: {FrameAgreement:F1} % of frames get the true gloss (or rest); {Unaligned} clips could not be aligned");
}
