using System.Diagnostics;
using SignNotebooks.Checkpoints;
using SignNotebooks.Data;
using SignNotebooks.Evaluation;
using SignNotebooks.Models;
using SignNotebooks.Models.Losses;
using SignNotebooks.Util;
using TorchSharp;
using static TorchSharp.torch;

namespace SignNotebooks.Training;

/// <summary>The outcome of a training run.</summary>
public sealed record TrainingResult(string RunDir, int EpochsRun, double BestScore, int BestEpoch, string SelectionHead,
    SplitEvaluation? LastValidation, TimeSpan Elapsed);

/// <summary>Raised when a loss turns NaN or infinite; names the step, the batch and the last good checkpoint.</summary>
public sealed class TrainingDivergedException(string message) : UserFacingException(message);

/// <summary>
/// Trains one stage of the recipe (spec §7): Adam with L2 decay, the per-epoch cosine schedule, gradient
/// accumulation to the effective batch, validation every epoch on dev with every head scored, the best checkpoint
/// chosen by one explicit head, atomic `last`/`best` checkpoints and exact resumption at epoch boundaries.
/// </summary>
public sealed class Trainer
{
    private readonly TrainingConfig _config;
    private readonly RunDirectory _run;
    private readonly ISignDataset _dataset;
    private readonly Vocabulary _vocabulary;
    private readonly TextWriter _log;
    private readonly bool _live;

    /// <summary>Joint stage: the video- and keypoint-stage weights to merge (spec §7.1); required for that stage.</summary>
    public (string Video, string Keypoint)? InitFromStages { get; init; }

    /// <summary>
    /// Where the network runs (null or CPU: here). A CUDA device needs a CUDA build; the loader still builds batches on
    /// the CPU and each step copies them over. Not exercised by the tests, which have no GPU.
    /// </summary>
    public Device? Device { get; init; }

    /// <summary>Called after each epoch's checkpoint is written, with the 0-based epoch (progress displays, tests).</summary>
    public Action<int>? EpochCompleted { get; init; }

    public Trainer(TrainingConfig config, RunDirectory run, ISignDataset dataset, Vocabulary vocabulary, TextWriter log, bool liveProgress = false)
    {
        _config = Resolve(config, vocabulary);
        _run = run;
        _dataset = dataset;
        _vocabulary = vocabulary;
        _log = log;
        _live = liveProgress;
    }

    /// <summary>The config after resolving the stage and vocabulary, exactly what is saved with the run.</summary>
    public TrainingConfig Config => _config;

    /// <summary>Validates a config and fixes what the stage and the corpus decide: stream kind and classifier size.</summary>
    public static TrainingConfig Resolve(TrainingConfig config, Vocabulary vocabulary)
    {
        config.Validate();
        string? sha = config.Init is { } init && InitFile(init) is { } file ? CheckpointDigest.Of(file) : null;
        return config with { Model = config.Model with { VocabularySize = vocabulary.Count, Streams = config.StreamKind }, InitSha256 = sha };
    }

    /// <summary>The file an <see cref="TrainingConfig.Init"/> path names: as given, else relative to the repository (the
    /// committed pretraining files live in data/pretrained/); null when neither exists.</summary>
    public static string? InitFile(string path)
    {
        if (File.Exists(path)) return Path.GetFullPath(path);
        if (!Path.IsPathRooted(path))
        {
            try
            {
                var inRepo = Path.Combine(RepoPaths.Root, path);
                if (File.Exists(inRepo)) return inRepo;
            }
            catch (UserFacingException) { } // not inside a clone: only the given path counts
        }
        return null;
    }

    public TrainingResult Run(bool resume = false, CancellationToken cancel = default)
    {
        var total = Stopwatch.StartNew();
        foreach (var line in _run.Recover()) _log.WriteLine($"recovery: {line}");
        // A resumed run without a complete `last` was stopped during its first epoch: it starts again from epoch 1.
        bool fromCheckpoint = resume && _run.HasCheckpoint("last");
        CheckPrerequisites(resume, fromCheckpoint);
        _run.Create();
        if (!fromCheckpoint)
            foreach (var path in _run.ClearUnfinishedStart()) _log.WriteLine($"recovery: removed {path}, left by a start that completed no epoch");
        var configJson = ConfigJson.Serialize(_config);
        if (resume && File.Exists(_run.ConfigPath) && File.ReadAllText(_run.ConfigPath) != configJson)
            throw new UserFacingException($"--resume: {_run.ConfigPath} holds a different config than this invocation resolves to, so the " +
                "resumed run would not be the run that was started. Fix: resume with the same --profile/--config, or train into a new --out folder.");
        RunDirectory.WriteAtomic(_run.ConfigPath, configJson);
        _log.WriteLine($"run {_run.Root}: stage {_config.Stage}, profile {_config.Profile}, {_config.Epochs} epochs, " +
                       $"batch {_config.EffectiveBatch} ({_config.MicroBatch} per pass), selection head {_config.ResolvedSelectionHead}");

        torch.manual_seed(_config.Seed);
        var model = ModelRegistry.Create(_config.Model);
        bool gpu = Device is not null && Device.type != DeviceType.CPU;
        if (gpu) model.to(Device!);   // before the optimiser takes the parameters
        // One group (the paper), or one per rate: the laterals (LateralLearningRateScale) and the S3D backbones
        // (BackboneLearningRateScale; 0 leaves them out of the optimiser, so Adam's L2 term cannot move them either).
        double lateralScale = _config.LateralLearningRateScale ?? 1.0, backboneScale = _config.BackboneLearningRateScale ?? 1.0;
        var backboneParams = new HashSet<object>(model.modules().OfType<Models.Backbones.S3DBackbone>().SelectMany(b => b.parameters()),
            ReferenceEqualityComparer.Instance);
        var trainable = model.named_parameters().Where(p => p.parameter.requires_grad).ToList();
        var groups = trainable.GroupBy(p => StreamFreeze.IsLateral(p.name) ? lateralScale : backboneParams.Contains(p.parameter) ? backboneScale : 1.0)
            .Where(g => g.Key > 0)
            .Select(g => (Params: g.Select(p => p.parameter).ToList(), Scale: g.Key)).ToArray();
        var optimizer = optim.Adam(groups.Select(g => new TorchSharp.Modules.Adam.ParamGroup(g.Params, _config.LearningRate * g.Scale,
            _config.Beta1, _config.Beta2, _config.Epsilon, _config.WeightDecay)), _config.LearningRate, _config.Beta1, _config.Beta2,
            _config.Epsilon, _config.WeightDecay);
        void SetRate(double rate)
        {
            int i = 0;
            foreach (var g in optimizer.ParamGroups) g.LearningRate = rate * groups[i++].Scale;
        }
        var lossFn = new RecognitionLoss(_config.Model, _config.Loss);
        int startEpoch = 0;
        long step = 0;
        double best = double.PositiveInfinity;
        int bestEpoch = -1;
        if (fromCheckpoint && _run.ResolveCheckpoint("last") is { } lastDir)
        {
            CheckpointLoader.Load(model, Path.Combine(lastDir, "model.pt"), new LoadOptions { Strict = true });
            CheckpointDigest.Verify(Path.Combine(lastDir, "optimizer.bin"));
            optimizer.load_state_dict(Path.Combine(lastDir, "optimizer.bin"));
            var state = _run.ReadState(lastDir);
            RestoreBest(state, lastDir, configJson);
            (startEpoch, step, best, bestEpoch) = (state.Epoch + 1, state.Step, state.BestScore, state.BestEpoch);
            foreach (var f in new[] { _run.StepsCsv, _run.StepsJsonl, _run.EpochsCsv }) MetricsLog.TruncateAfterEpoch(f, state.Epoch + 1); // the CSVs count epochs from 1
            _log.WriteLine($"resuming after epoch {state.Epoch + 1} (step {step}, best {_config.ResolvedSelectionHead} dev WER {best:F2})");
        }
        else if (InitFromStages is { } init)
        {
            var report = StreamMerge.LoadInto(model, StateDictFile.Read(init.Video), StateDictFile.Read(init.Keypoint));
            _log.WriteLine($"initialised from the stage checkpoints: {report.Loaded.Count} tensors loaded, {report.Missing.Count} start random (laterals, pyramid, aux and joint heads)");
            if (_config.JointHeadFromKeypointHead == true && _config.Model.JointHead)   // ablation rows without a joint head skip it
                _log.WriteLine($"the joint head starts as the keypoint head ({Checkpoints.JointHeadWarmStart.Apply(model)} tensors copied, RGB half of fc1 at zero)");
        }
        else if (_config.Init is { } initPath)
        {
            var report = CheckpointLoader.Load(model, InitFile(initPath)!);
            RunDirectory.WriteAtomic(Path.Combine(_run.Root, "init_report.txt"), report.ToString());
            _log.WriteLine($"initialised from {initPath}: {report.Loaded.Count} tensors loaded, {report.Missing.Count} start random, " +
                           $"{report.ShapeMismatched.Count} of another shape kept random (report: {Path.Combine(_run.Root, "init_report.txt")})");
        }
        else if (_config.Streams.HasFlag(InputStreams.Rgb) && _config.Model.FreezeRgbStem && _config.Stage != TrainingStage.Joint)
            _log.WriteLine("note: the RGB stem is frozen (spec §1.1) but starts random, since no Init was given; the paper starts it from Kinetics-400 S3D.");

        var trainLoader = new SignLoader(Subset(_dataset, _config), "train", _vocabulary, _config.Input,
            new LoaderOptions(_config.MicroBatch, Train: true, Shuffle: true, Seed: _config.Seed, Streams: _config.Streams, Prefetch: 0,
                BucketPool: _config.LengthBuckets ?? 0));
        int accumulate = _config.EffectiveBatch / _config.MicroBatch;
        long totalSteps = (long)_config.Epochs * ((trainLoader.BatchCount + accumulate - 1) / accumulate);
        var devLoader = EvalLoader("dev");
        var streamFreeze = StreamFreeze.For(model, _config);
        var steps = new MetricsLog(_run.StepsCsv, _run.StepsJsonl);
        var epochs = new MetricsLog(_run.EpochsCsv);
        SplitEvaluation? lastEval = null;

        for (int epoch = startEpoch; epoch < _config.Epochs; epoch++)
        {
            cancel.ThrowIfCancellationRequested();
            double lr = _config.Schedule is { } schedule
                ? schedule.LearningRate(_config.LearningRate, step + 1, totalSteps)
                : CosineSchedule.LearningRate(_config.LearningRate, epoch, _config.Epochs);
            SetRate(lr);
            torch.manual_seed(SignLoader.Mix(_config.Seed, epoch, -2)); // dropout draws: same per epoch, so resuming is exact
            model.train();
            var bar = new ProgressBar(_log, $"epoch {epoch + 1}/{_config.Epochs}", trainLoader.BatchCount, _live);
            var sw = Stopwatch.StartNew();
            double lossSum = 0;
            int batches = 0, clips = 0, pending = 0;
            var zeroed = new List<string>();   // clips whose CTC target could not fit (loss zeroed, spec §6)
            optimizer.zero_grad();
            foreach (var batch in trainLoader.Epoch(epoch))
            {
                using var _ = batch;
                using var gcOff = NoGcRegion.Enter(); // TorchSharp's own implicit Scalars must not be finalised mid-call
                using var scope = NewDisposeScope();
                streamFreeze?.Apply(step);
                var outputs = gpu
                    ? model.Forward(batch.Video?.to(Device!), batch.Heatmaps?.to(Device!), batch.LengthsTensor.to(Device!))
                    : model.Forward(batch.Video, batch.Heatmaps, batch.LengthsTensor);
                var loss = gpu
                    ? lossFn.Compute(outputs, batch.Targets.to(Device!), batch.TargetLengths.to(Device!), batch.FrameTargets)
                    : lossFn.Compute(outputs, batch.Targets, batch.TargetLengths, batch.FrameTargets);
                double value = loss.Total.item<float>();
                if (!double.IsFinite(value))
                    throw new TrainingDivergedException($"the loss became {value} at epoch {epoch + 1}, step {step + 1}, batch [{string.Join(", ", batch.Names)}]. " +
                        $"Last good checkpoint: {_run.ResolveCheckpoint("last") ?? "none yet"}. Fix: lower LearningRate, or check those clips' inputs; resume with --resume.");
                // Each micro-batch loss is a mean over its clips; scaling by its share of the effective batch makes the
                // accumulated gradient the mean over all clips, what 8 GPUs × 1 clip with DDP averaging compute (spec §7.2).
                (loss.Total * ((double)batch.Size / _config.EffectiveBatch)).backward();
                double stepLr = lr;   // the rate this batch's step uses (a per-step schedule moves lr after the step)
                pending += batch.Size;
                clips += batch.Size;
                batches++;
                lossSum += value;
                foreach (int i in loss.ZeroedCtcClips) zeroed.Add(batch.Names[i]);
                if (pending >= _config.EffectiveBatch || batches == trainLoader.BatchCount)
                {
                    optimizer.step();
                    optimizer.zero_grad();
                    pending = 0;
                    step++;
                    if (_config.Schedule is { } s)
                    {
                        lr = s.LearningRate(_config.LearningRate, step + 1, totalSteps);   // the rate of the next step
                        SetRate(lr);
                    }
                }
                var row = new Dictionary<string, double> { ["epoch"] = epoch + 1, ["step"] = step, ["lr"] = stepLr, ["loss"] = value };
                foreach (var (name, t) in loss.Terms) row[name] = t.item<float>();
                row["ctc_zeroed_clips"] = loss.ZeroedCtcClips.Count;
                row["clips_per_s"] = clips / sw.Elapsed.TotalSeconds;
                steps.Append(row);
                bar.Report(batches, $"loss {value:F3}" + (zeroed.Count > 0 ? $", {zeroed.Count} {(zeroed.Count == 1 ? "clip" : "clips")} with CTC loss zeroed" : ""));
            }
            var epochRow = new Dictionary<string, double>
            {
                ["epoch"] = epoch + 1, ["lr"] = lr, ["train_loss"] = lossSum / Math.Max(1, batches), ["train_seconds"] = sw.Elapsed.TotalSeconds,
                ["ctc_zeroed_clips"] = zeroed.Count,
            };
            if (zeroed.Count > 0)
                _log.WriteLine($"epoch {epoch + 1}: {zeroed.Count} of {clips} training clips had more glosses than their (augmented) frames can emit; " +
                    $"their CTC loss was zeroed (spec §6 zero_infinity): {string.Join(", ", zeroed.Distinct().Take(5))}{(zeroed.Distinct().Count() > 5 ? ", …" : "")}. " +
                    "`signnb data check` lists the clips that cannot fit even unaugmented; Loss.ThrowOnImpossibleTarget = true stops at the first one.");
            bool validate = (epoch + 1) % _config.ValidateEvery == 0 || epoch == _config.Epochs - 1;
            double score = double.NaN;
            SplitEvaluation? testBeamDev = null;
            if (validate)
            {
                // A real corpus is validated after its gloss clean-up (spec §8.3), like its test numbers; SynthSign has none.
                // The same forward pass decoded at the test beam too: if this epoch is the best, that is the best
                // checkpoint's dev evaluation, saved where evaluating it would put it (eval/best-b{TestBeam}).
                int[] beams = _config.TestBeam == _config.ValidationBeam ? [_config.ValidationBeam] : [_config.ValidationBeam, _config.TestBeam];
                var evals = RecognitionEvaluator.Evaluate(model, devLoader, _vocabulary, beams, Corpora.CorpusSource.Cleanup(_config.Corpus), device: Device);
                (lastEval, testBeamDev) = (evals[0], evals[^1]);
                foreach (var h in lastEval.Heads) epochRow["dev_wer_" + h.Head] = h.Wer;
                score = lastEval.WerOf(_config.ResolvedSelectionHead);
                _log.WriteLine($"epoch {epoch + 1}: train loss {epochRow["train_loss"]:F3}, dev WER " +
                               string.Join(", ", lastEval.Heads.Select(h => $"{h.Head} {h.Wer:F1}")) + $" ({sw.Elapsed.TotalSeconds:F0} s)");
            }
            bool improved = validate && score < best;
            if (improved) { best = score; bestEpoch = epoch + 1; }
            epochRow["best_dev_wer"] = best;
            epochs.Append(epochRow);
            var runState = new RunState(epoch, step, best, bestEpoch, _config.ResolvedSelectionHead);
            // best before last: `last` records the best epoch, so once it is saved the best checkpoint must already exist.
            // A kill before `last` is saved redoes this epoch on --resume, which writes `best` again, identically.
            if (improved)
            {
                // Evaluations of the previous best describe weights that are about to be replaced: gone first, so a
                // kill at any point leaves no evaluation cached beside a checkpoint it does not belong to.
                _run.ForgetBestEvaluations();
                _run.SaveCheckpoint("best", runState, configJson, dir => SaveWeights(model, optimizer, _vocabulary, dir, _run, "best"));
                RecognitionEvaluator.Save(testBeamDev!, _run.BestEvaluationDir(_config.TestBeam));
                _run.Reached("best: write the dev evaluation");
            }
            _run.SaveCheckpoint("last", runState, configJson, dir => SaveWeights(model, optimizer, _vocabulary, dir, _run, "last"));
            EpochCompleted?.Invoke(epoch);
        }
        return new TrainingResult(_run.Root, _config.Epochs - startEpoch, best, bestEpoch, _config.ResolvedSelectionHead, lastEval, total.Elapsed);
    }

    // Batches are built on the training thread (Prefetch 0): in TorchSharp 0.107 a GC triggered by a loader thread can
    // free an implicit Scalar in the middle of a native op of the model (see Util/KeptScalars), and on two cores the
    // background thread would mostly compete with libtorch's own threads anyway.

    /// <summary>An eval-mode loader over a split (subset by MaxEvalClips).</summary>
    public SignLoader EvalLoader(string split) => EvalLoader(_config, _dataset, _vocabulary, split);

    /// <summary>The eval-mode loader a run uses on a split: its input config and streams, MaxEvalClips applied.</summary>
    public static SignLoader EvalLoader(TrainingConfig config, ISignDataset dataset, Vocabulary vocabulary, string split) =>
        new(Subset(dataset, config), split, vocabulary, config.Input,
            new LoaderOptions(config.MicroBatch, Train: false, Shuffle: false, Seed: config.Seed, Streams: config.Streams, Prefetch: 0));

    /// <summary>A model of the run's config with the given weights loaded strictly (evaluation, analysis).</summary>
    public static RecognitionModel LoadModel(TrainingConfig config, string weights)
    {
        var model = ModelRegistry.Create(config.Model);
        CheckpointLoader.Load(model, weights, new LoadOptions { Strict = true });
        return model;
    }

    private static void SaveWeights(RecognitionModel model, optim.Optimizer optimizer, Vocabulary vocabulary, string dir, RunDirectory run, string name)
    {
        CheckpointExporter.Save(model, Path.Combine(dir, "model.pt"), withPrefix: true);
        run.Reached($"{name}: write model.pt");
        // The ids the classifier rows mean, in SLRT's format: evaluation on another corpus can then name the glosses that differ.
        Corpora.GlossIdsFile.Write(vocabulary, Path.Combine(dir, "gloss2ids.pkl"));
        run.Reached($"{name}: write gloss2ids.pkl");
        ((TorchSharp.Modules.OptimizerHelper)optimizer).save_state_dict(Path.Combine(dir, "optimizer.bin"));
        run.Reached($"{name}: write optimizer.bin");
    }

    /// <summary>
    /// A run saved by an older version wrote `last` before `best`, so a kill between them left `last` naming a best
    /// epoch whose checkpoint never appeared. When that best epoch is the one `last` holds, `best` is re-created from it.
    /// </summary>
    private void RestoreBest(RunState last, string lastDir, string configJson)
    {
        if (last.BestEpoch < 1 || _run.HasCheckpoint("best")) return;
        if (last.BestEpoch != last.Epoch + 1)
        {
            _log.WriteLine($"warning: {_run.Root} records its best epoch as {last.BestEpoch}, but checkpoints/best is missing and only epoch " +
                           $"{last.Epoch + 1} is saved; best will be the next epoch that improves on dev WER {last.BestScore:F2}.");
            return;
        }
        _run.SaveCheckpoint("best", last, configJson, dir =>
        {
            foreach (var f in Directory.GetFiles(lastDir).Where(f => Path.GetFileName(f) is not (CheckpointDigest.StateFile or "config.json")))
                File.Copy(f, Path.Combine(dir, Path.GetFileName(f)));
        });
        _log.WriteLine($"recovery: re-created checkpoints/best from checkpoints/last (both epoch {last.BestEpoch})");
    }

    private void CheckPrerequisites(bool resume, bool fromCheckpoint)
    {
        if (!resume && _run.HasCheckpoint("last"))
            throw new UserFacingException($"{_run.Root} already holds a run (checkpoints/last). Fix: pass --resume to continue it, or choose a new --out folder; nothing was overwritten.");
        if (resume && !fromCheckpoint && !File.Exists(_run.ConfigPath))
            throw new UserFacingException($"--resume: {_run.Root} holds no started run (no config.json, no checkpoint). Fix: start the run without --resume.");
        resume = fromCheckpoint;   // the checks below are those of a start from epoch 1
        if (!resume && _config.Init is { } initPath && InitFile(initPath) is null)
            throw new UserFacingException($"Init file {initPath} does not exist (looked in {Directory.GetCurrentDirectory()} and the repository). Fix: " +
                (_config.Corpus == "synthsign"
                    ? $"train stage 0 (signnb train --stage pretrain-{(_config.StreamKind == Models.StreamKind.Video ? "video" : "keypoint")} --profile {_config.Profile} --out RUN), then pass --init RUN/checkpoints/best/model.pt."
                    : "pass a Kinetics-400 S3D file (kylemin's S3D_kinetics400.pt or torchvision's s3d-d76dad2f.pth) with --init."));
        if (!resume && _config.Profile == "paper" && _config.Model.FreezeRgbStem && _config.Init is null
            && _config.Streams.HasFlag(InputStreams.Rgb) && _config.Stage != TrainingStage.Joint)
            throw new UserFacingException("the paper profile freezes the RGB stem (spec §1.1: freeze_block 1), which only makes sense for a stem that " +
                "starts from Kinetics-400 S3D; this run has no Init, so it would freeze random weights. Fix: pass --init with kylemin's " +
                "S3D_kinetics400.pt (Google Drive id 1HJVDBOQpnTMDVUM3SsXLy0HUkf_wryGO, spec §12) or torchvision's s3d-d76dad2f.pth " +
                "(torchvision.models.video.S3D_Weights.KINETICS400_V1), or set Model.FreezeRgbStem to false in --config.");
        if (_config.Stage == TrainingStage.Joint && !resume)
        {
            if (InitFromStages is null)
                throw new UserFacingException("the joint stage starts from the video and keypoint stage checkpoints (spec §7.1). " +
                    "Fix: train --stage video and --stage keypoint first, then pass their runs (--video RUN --keypoint RUN).");
            foreach (var p in new[] { InitFromStages.Value.Video, InitFromStages.Value.Keypoint })
                if (!File.Exists(p)) throw new UserFacingException($"stage checkpoint {p} does not exist. Fix: train that stage first (signnb train --stage video|keypoint).");
        }
    }

    internal static ISignDataset Subset(ISignDataset dataset, TrainingConfig c)
    {
        var limits = new Dictionary<string, int>();
        if (c.MaxTrainClips is { } t) limits["train"] = t;
        if (c.MaxEvalClips is { } e) foreach (var s in dataset.Splits.Where(s => s != "train")) limits[s] = e;
        return limits.Count == 0 ? dataset : new DatasetSubset(dataset, limits);
    }
}
