using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Analysis;
using SignNotebooks.Data;
using SignNotebooks.Evaluation;
using SignNotebooks.Models;
using SignNotebooks.Synthetic;
using SignNotebooks.Training;
using SignNotebooks.Util;
using TorchSharp;

namespace SignNotebooks.Analysis;

/// <summary>A trained run as the notebooks use it: where it lives, its resolved config, and whether it was reused.</summary>
public sealed record ExperimentRun(string Name, RunDirectory Run, TrainingConfig Config, bool Reused, TimeSpan TrainTime)
{
    /// <summary>Per-step metrics (every loss term, learning rate, throughput).</summary>
    public DataFrame Steps => MetricsLog.Load(Run.StepsCsv);
    /// <summary>Per-epoch metrics (train loss, dev WER of every head).</summary>
    public DataFrame Epochs => MetricsLog.Load(Run.EpochsCsv);
    /// <summary>The weights of the best checkpoint (PyTorch state dict, official names).</summary>
    public string BestWeights => Path.Combine(Run.ResolveCheckpoint("best") ?? throw new InvalidOperationException($"{Name} has no best checkpoint"), "model.pt");

    /// <summary>The dev WER of the run's selection head (or <paramref name="head"/>) after each epoch, as validated.</summary>
    public IReadOnlyList<double> DevWer(string? head = null)
    {
        var epochs = Epochs;
        var column = "dev_wer_" + (head ?? Config.ResolvedSelectionHead);
        if (!epochs.Columns.Any(c => c.Name == column)) return [];
        return Enumerable.Range(0, (int)epochs.Rows.Count).Select(i => Convert.ToDouble(epochs[column][i], System.Globalization.CultureInfo.InvariantCulture)).ToList();
    }
}

/// <summary>
/// The notebooks' shared experiment store for one profile: trains a stage or a joint variant once and reuses it
/// (notebook 03 starts from 02's single-stream runs, 04 and 05 reuse 03's), resumes a run that was interrupted,
/// and caches evaluations. Runs live in `artifacts/runs/&lt;profile&gt;/&lt;name&gt;-&lt;config hash&gt;`, so a changed config
/// never silently reuses an old run.
/// </summary>
public sealed class Workbench
{
    public string Profile { get; }
    /// <summary>synthsign, or the real corpus (phoenix-2014, phoenix-2014t, csl-daily) the runs use.</summary>
    public string DatasetName { get; }
    /// <summary>The real corpus's folder, or null for SynthSign.</summary>
    public string? DataRoot { get; }
    /// <summary>The corpus every run trains and evaluates on (SynthSign or a real one).</summary>
    public ISignDataset Dataset { get; }
    public Vocabulary Vocabulary { get; }
    public string RunsRoot { get; }
    private readonly TextWriter _log;
    private readonly SynthSignDataset? _synth;

    /// <summary>SynthSign itself, for the views that need its ground truth (lexicon, true boundaries, backgrounds).</summary>
    public SynthSignDataset Corpus => _synth ?? throw new UserFacingException(
        $"this step needs SynthSign's ground truth (lexicon, gloss boundaries, signers and backgrounds), which {DatasetName} does not have. " +
        "Fix: run this notebook with dataset synthsign; the training and WER cells work on any corpus.");

    /// <param name="dataset">null or synthsign: SynthSign at the profile's size; else a real corpus (the "one parameter").</param>
    /// <param name="dataRoot">The real corpus's folder: its unpacked release or SLRT's data/&lt;dataset&gt;/ folder.</param>
    /// <param name="device">cpu or cuda; null = the notebooks' `device` parameter (SIGNNB_DEVICE, set by `signnb workbook
    /// --device`), so every notebook moves to a GPU without an edit. cuda needs a CUDA build (untested here: no GPU).</param>
    public Workbench(string profile, TextWriter? log = null, string? runsRoot = null, string? dataset = null, string? dataRoot = null, string? device = null)
    {
        Device = Util.ComputeDevice.Resolve(device ?? Notebooks.NotebookParameters.Get("device", "cpu"));
        Profile = profile;
        _log = log ?? Console.Out;
        var probe = TrainingProfiles.Get(profile, TrainingStage.Joint);
        DatasetName = string.IsNullOrWhiteSpace(dataset) ? "synthsign" : dataset;
        DataRoot = DatasetName == "synthsign" || string.IsNullOrWhiteSpace(dataRoot) ? null : Path.GetFullPath(dataRoot);
        var (corpus, vocabulary, description) = Corpora.CorpusSource.ForRun(DatasetName, DataRoot, probe.CorpusProfile, probe.CorpusSeed);
        (Dataset, Vocabulary, _synth) = (corpus, vocabulary, corpus as SynthSignDataset);
        if (_synth is null) _log.WriteLine($"corpus: {description}");
        // runs_root lets a headless run (the tests) keep a fixture corpus's runs out of artifacts/runs.
        RunsRoot = runsRoot ?? Notebooks.NotebookParameters.Get("runs_root", Path.Combine(RepoPaths.Artifacts, "runs", profile));
    }

    /// <summary>True when the runs use SynthSign, whose ground truth (boundaries, backgrounds, clean keypoints) some views need.</summary>
    public bool IsSynthSign => _synth is not null;

    /// <summary>The corpus as a figure title names it.</summary>
    public string CorpusLabel => IsSynthSign ? "SynthSign" : DatasetName;

    /// <summary>The split the notebooks look for failures on: test-shift on SynthSign (new signers and backgrounds), else test.</summary>
    public string HardestSplit => EvalSplits.Contains("test-shift") ? "test-shift" : EvalSplits[^1];

    /// <summary>A figure's file name: SynthSign's as is, a real corpus's suffixed, so it never overwrites the committed figures.</summary>
    public string FigureName(string name) => IsSynthSign ? name : $"{name}-{DatasetName}";

    /// <summary>The line a SynthSign-only view shows on a real corpus instead of failing or vanishing.</summary>
    /// <param name="needs">What of SynthSign's ground truth the view needs, in words.</param>
    public string NotAvailable(string needs) => $"not available on {DatasetName}: it needs SynthSign's ground truth ({needs})";

    /// <summary><see cref="NotAvailable"/> as a table view (caption and one row), for cells that show a table.</summary>
    public Plots.ResultTable NotAvailableTable(string needs) => new(NotAvailable(needs), ["view"], [[NotAvailable(needs)]]);

    /// <summary>Where runs train and evaluate.</summary>
    public TorchSharp.torch.Device Device { get; }

    /// <summary>The splits runs are scored on (every split but train).</summary>
    public IReadOnlyList<string> EvalSplits => Dataset.Splits.Where(s => s != "train").ToList();

    /// <summary>The profile's config for a stage; <paramref name="seed"/> offsets the recipe's seed (init, data order, dropout).</summary>
    public TrainingConfig Config(TrainingStage stage, int seed = 0)
    {
        var c = TrainingProfiles.ForCorpus(TrainingProfiles.Get(Profile, stage), DatasetName, DataRoot);
        return c with { Seed = c.Seed + seed };
    }

    /// <summary>A single-stream stage (video or keypoint), trained once per seed.</summary>
    /// <param name="variant">Names a changed stage (e.g. "gated"); <paramref name="modify"/> makes the change.</param>
    public ExperimentRun Stage(TrainingStage stage, int seed = 0, string? variant = null, Func<TrainingConfig, TrainingConfig>? modify = null)
    {
        if (stage == TrainingStage.Joint) throw new ArgumentException("use Joint(...) for the two-stream stage", nameof(stage));
        var cfg = Config(stage, seed);
        if (modify is not null) cfg = modify(cfg);
        cfg = WithStageZero(cfg);
        return Ensure($"{stage.ToString().ToLowerInvariant()}{(variant is null ? "" : "-" + variant)}-s{seed}", cfg, null);
    }

    /// <summary>
    /// Stage 0 of a stream (SynthSign's stand-in for the Kinetics-400 checkpoint): the committed file of the profile
    /// when there is one (the standard profile's, under data/pretrained/), else a run trained here once and shared by
    /// every seed and variant, as one downloaded checkpoint is. Null when the profile starts the stream from scratch.
    /// </summary>
    public string? StageZeroWeights(StreamKind stream)
    {
        var cfg = Config(stream == StreamKind.Video ? TrainingStage.Video : TrainingStage.Keypoint);
        return WithStageZero(cfg).Init is { } init ? Trainer.InitFile(init) : null;
    }

    /// <summary>
    /// Where each stream of the profile starts (stage 0): the file, and how it was made — from the committed file's
    /// `.meta.json` (its commands and dev WER) or from the stage-0 run trained here.
    /// </summary>
    public Plots.ResultTable StageZeroTable()
    {
        var rows = new List<IReadOnlyList<string>>();
        foreach (var stream in new[] { StreamKind.Video, StreamKind.Keypoint })
        {
            var file = StageZeroWeights(stream);
            string name = stream.ToString().ToLowerInvariant();
            if (file is null) { rows.Add([name, "random initialisation", "", ""]); continue; }
            var meta = Path.ChangeExtension(file, ".meta.json");
            if (File.Exists(meta))
            {
                using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(meta));
                var root = doc.RootElement;
                var runs = root.GetProperty("runs").EnumerateArray().ToList();
                var commands = string.Join(", then ", runs.Select(r => r.GetProperty("command").GetString()));
                // A frame-label stage 0 is measured by its greedy dev WER; an isolated-sign phase after it by its dev window accuracy.
                var result = root.TryGetProperty("dev_wer_of_these_weights", out var wer)
                    ? GreedyDevWer(wer.GetDouble())
                    : runs[^1].TryGetProperty("final", out var final) ? final.GetString() ?? "" : "";
                rows.Add([name, Path.GetRelativePath(RepoPaths.Root, file), commands, result]);
            }
            else
            {
                var run = new RunDirectory(Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(file)!)!)!);
                var epochs = MetricsLog.Load(run.EpochsCsv);
                rows.Add([name, file, $"trained here (stage {(stream == StreamKind.Video ? "pretrain-video" : "pretrain-keypoint")}, profile {Profile})",
                    GreedyDevWer(Convert.ToDouble(epochs["best_dev_wer"][epochs.Rows.Count - 1], System.Globalization.CultureInfo.InvariantCulture))]);
            }
        }
        static string GreedyDevWer(double wer) => "dev WER " + wer.ToString("F1", System.Globalization.CultureInfo.InvariantCulture) + " % (greedy)";
        return new Plots.ResultTable("Stage 0: where each stream starts (SynthSign pretraining, the stand-in for Kinetics-400 and WLASL)",
            ["stream", "weights", "made by", "result of stage 0 on dev"], rows);
    }

    private TrainingConfig WithStageZero(TrainingConfig cfg)
    {
        // The tiny profile has no committed stage 0 (the CLI's tiny streams start from scratch); the workbook still
        // walks the whole recipe at tiny, so its notebooks train one here.
        if (cfg.Init is null && Profile == "tiny" && IsSynthSign && cfg.Stage is TrainingStage.Video or TrainingStage.Keypoint)
            cfg = cfg with { Init = TrainingProfiles.PretrainedFile(Profile, cfg.StreamKind) };
        if (cfg.Init is not { } init || Trainer.InitFile(init) is not null) return cfg;
        // Only the profile's own slot is filled in here; a user's missing file stays an error that names it (Trainer).
        if (!IsSynthSign || init != TrainingProfiles.PretrainedFile(Profile, cfg.StreamKind)) return cfg;
        var stage = cfg.StreamKind == StreamKind.Video ? TrainingStage.PretrainVideo : TrainingStage.PretrainKeypoint;
        _log.WriteLine($"{init} is not in this checkout: training stage 0 of the {cfg.StreamKind.ToString().ToLowerInvariant()} stream first");
        var pre = Ensure(stage == TrainingStage.PretrainVideo ? "stage0-video" : "stage0-keypoint", Config(stage), null);
        return cfg with { Init = pre.BestWeights };
    }

    /// <summary>
    /// A two-stream variant initialised from the same seed's video and keypoint stages (spec §7.1).
    /// <paramref name="modify"/> switches components off for ablations (laterals, pyramid, joint head, distillation).
    /// </summary>
    /// <param name="keypointStage">A keypoint stage variant to start from instead of the plain one (name, change).</param>
    public ExperimentRun Joint(string name, Func<TrainingConfig, TrainingConfig>? modify = null, int seed = 0,
        (string Variant, Func<TrainingConfig, TrainingConfig> Modify)? keypointStage = null)
    {
        var video = Stage(TrainingStage.Video, seed);
        var keypoint = Stage(TrainingStage.Keypoint, seed, keypointStage?.Variant, keypointStage?.Modify);
        var cfg = Config(TrainingStage.Joint, seed);
        if (modify is not null) cfg = modify(cfg);
        return Ensure($"{name}-s{seed}", cfg, (video.BestWeights, keypoint.BestWeights));
    }

    /// <summary>Scores heads of a run's best checkpoint on a split (cached in the run's eval folder).</summary>
    public SplitEvaluation Evaluate(ExperimentRun run, string split, int? beam = null, IReadOnlyCollection<string>? heads = null)
    {
        int b = beam ?? run.Config.TestBeam;
        var all = run.Run.BestEvaluationDir(b);
        var folder = heads is null ? all : all + "-" + string.Join('+', heads.Order());
        var cleanup = Corpora.CorpusSource.Cleanup(DatasetName);
        if (RecognitionEvaluator.Load(folder, split, b, cleanup) is { } cached) return cached;
        // Training saves the best epoch's dev evaluation with every head (Trainer): a subset of heads is read from it.
        if (heads is not null && RecognitionEvaluator.Load(all, split, b, cleanup) is { } every && heads.All(every.Pairs.ContainsKey))
            return every.Only(heads);
        var model = Trainer.LoadModel(run.Config, run.BestWeights);
        if (Device.type != TorchSharp.DeviceType.CPU) model.to(Device);
        var eval = RecognitionEvaluator.Evaluate(model, Trainer.EvalLoader(run.Config, Dataset, Vocabulary, split), Vocabulary, b,
            cleanup, heads: heads, device: Device);
        RecognitionEvaluator.Save(eval, folder);
        return eval;
    }

    private ExperimentRun Ensure(string name, TrainingConfig config, (string Video, string Keypoint)? init)
    {
        var resolved = Trainer.Resolve(config, Vocabulary);
        var run = new RunDirectory(Path.Combine(RunsRoot, RunFolderName(name, resolved, init, RunsRoot)));
        if (run.ResolveCheckpoint("last") is { } last && run.ReadState(last).Epoch == resolved.Epochs - 1)
        {
            _log.WriteLine($"{name}: reusing the finished run {run.Root}");
            return new ExperimentRun(name, run, resolved, true, TimeSpan.Zero);
        }
        bool resume = run.HasCheckpoint("last");
        _log.WriteLine($"{name}: {(resume ? "resuming" : "training")} ({resolved.Stage}, {resolved.Epochs} epochs) in {run.Root}");
        var result = new Trainer(resolved, run, Dataset, Vocabulary, _log) { InitFromStages = init, Device = Device }.Run(resume);
        return new ExperimentRun(name, run, resolved, false, result.Elapsed);
    }

    /// <summary>
    /// A run's folder: its name and a hash of everything its weights depend on, the resolved config and, for a joint
    /// run, the stream runs it starts from (their folders carry their own configs' hashes). Without the latter, a joint
    /// run was reused after its streams changed (seen when the standard streams went from 2 to 4 epochs: the joint
    /// config, and so its folder, stayed the same). Stream paths count relative to the runs folder, so a moved cache
    /// keeps its names.
    /// </summary>
    public static string RunFolderName(string name, TrainingConfig resolved, (string Video, string Keypoint)? init, string runsRoot)
    {
        string identity = ConfigJson.Serialize(resolved);
        if (init is { } i)
            identity += "\ninit video " + Relative(i.Video) + "\ninit keypoint " + Relative(i.Keypoint);
        return name + "-" + ShortHash(identity);

        string Relative(string path) => Path.GetRelativePath(runsRoot, path).Replace('\\', '/');
    }

    /// <summary>8 hex digits of SHA-256: names a folder by everything its content depends on.</summary>
    public static string ShortHash(string identity) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(identity)))[..8].ToLowerInvariant();
}
