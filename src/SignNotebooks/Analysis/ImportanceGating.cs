using SignNotebooks.Importance;
using SignNotebooks.Models;
using SignNotebooks.Training;

namespace SignNotebooks.Analysis;

/// <summary>
/// The experiment of notebook 08's second half: estimators trained on the true boundaries or on the full model's CTC
/// pseudo-alignments, and the importance-gated keypoint stream trained and scored against the plain one, both alone
/// and inside the full TwoStream-SLR (the gated joint run starts from the gated keypoint stage and the plain video stage).
/// </summary>
public static class ImportanceGating
{
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
            teacher = new TeacherTargets(AlignmentAnalysis.LoadModel(full), wb.Corpus, full.Config.Input, full.Config.Streams, wb.Vocabulary, dictionary);
            identity += full.Run.Root + "|segments";   // a retrained teacher (new config hash) or other target rule means a new estimator
        }
        // The folder is named by everything the estimator depends on, so a changed setting never reuses an old one.
        var dir = Path.Combine(wb.RunsRoot, $"importance-{(source == TargetSource.GroundTruthBoundaries ? "truth" : "pseudo")}-{Workbench.ShortHash(identity)}");
        var model = ImportanceModelFile.Ensure(dir, () => ImportanceTrainer.Train(wb.Corpus,
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

    /// <summary>
    /// How the teacher's pseudo-targets compare with the truth on the first <paramref name="clips"/> clips of a split:
    /// % of frames given the same gloss (or both rest), and how many clips could not be aligned at all.
    /// </summary>
    public static (double FrameAgreement, int Clips, int Unaligned) PseudoTargetAgreement(Workbench wb, TeacherTargets teacher, string split, int clips)
    {
        double sum = 0;
        int n = 0, before = teacher.Unaligned;
        foreach (var name in wb.Corpus.ClipNames(split).Take(clips))
        {
            var clip = wb.Corpus.Load(split, name, withFrames: true);
            sum += TeacherTargets.FrameAgreement(teacher.FrameGloss(clip), clip.FrameGlossIndex!);
            n++;
        }
        return (sum / Math.Max(1, n), n, teacher.Unaligned - before);
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
