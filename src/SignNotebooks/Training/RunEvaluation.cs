using System.Text.Json;
using SignNotebooks.Checkpoints;
using SignNotebooks.Data;
using SignNotebooks.Evaluation;
using SignNotebooks.Models;
using SignNotebooks.Synthetic;
using SignNotebooks.Util;
using SignNotebooks.Corpora;
using TorchSharp;

namespace SignNotebooks.Training;

/// <summary>A run's checkpoint evaluated on one split.</summary>
public sealed record RunEvaluationResult(string CheckpointDir, string OutputDir, SplitEvaluation Evaluation, TrainingConfig Config);

/// <summary>Loads a run's checkpoint with its saved config and scores every head on a split.</summary>
public static class RunEvaluation
{
    /// <param name="checkpoint">A run folder (its best checkpoint is used; a run without one is refused) or a checkpoint folder.</param>
    /// <param name="split">dev, test or test-shift.</param>
    /// <param name="beam">Beam width; null = the config's test beam (spec §8.1: 5).</param>
    /// <param name="dataRoot">For a run on a real corpus: where its data is now (null: the folder the run recorded).</param>
    /// <param name="shard">Evaluate only this part of the split (job arrays); its hypotheses go to a shard folder.</param>
    /// <param name="device">cpu or cuda.</param>
    /// <param name="log">Where the clips-done progress with ETA goes (redrawn on a terminal, a few lines elsewhere); null: silent.</param>
    public static RunEvaluationResult Evaluate(string checkpoint, string split, int? beam = null, string? dataRoot = null, Shard? shard = null, string device = "cpu",
        TextWriter? log = null)
    {
        var torchDevice = ComputeDevice.Resolve(device);
        var (dir, run, config, dataset, vocabulary) = Open(checkpoint, dataRoot);
        if (!dataset.Splits.Contains(split))
            throw new UserFacingException($"unknown split '{split}'. Fix: use one of {string.Join(", ", dataset.Splits.Where(s => s != "train"))}.");
        var model = Trainer.LoadModel(config, Path.Combine(dir, "model.pt"));
        if (torchDevice.type != DeviceType.CPU) model.to(torchDevice);
        shard ??= Shard.All;
        // Shard after the config's clip limit, so the shards together are exactly what an unsharded run scores.
        var data = shard.Apply(Trainer.Subset(dataset, config));
        var loader = Trainer.EvalLoader(config with { MaxEvalClips = null, MaxTrainClips = null }, data, vocabulary, split);
        // A real corpus is scored after its own gloss clean-up (spec §8.3), as the paper's numbers are.
        var cleanup = CorpusSource.Cleanup(config.Corpus);
        var bar = log is null ? null : ProgressBar.For(log, $"evaluate {split}: clips", loader.ClipCount);
        var eval = RecognitionEvaluator.Evaluate(model, loader, vocabulary, beam ?? config.TestBeam, cleanup, device: torchDevice,
            progress: bar is null ? null : new CallbackProgress<int>(done => bar.Report(done)));
        var outDir = Path.Combine(run.EvalDir, Path.GetFileName(dir) + (shard.IsAll ? "" : "-" + ShardMerge.FolderName("", shard.Index, shard.Count)));
        RecognitionEvaluator.Save(eval, outDir);
        return new RunEvaluationResult(dir, outDir, eval, config);
    }

    /// <summary>
    /// A run's checkpoint folder, its saved config, the corpus it was trained on and that corpus's vocabulary (checked
    /// against the model's class count). <paramref name="checkpoint"/>: a run folder (its best checkpoint) or a checkpoint folder.
    /// <paramref name="dataRoot"/>: for a run on a real corpus, where its data is now (null: the folder the run recorded).
    /// </summary>
    public static (string Dir, RunDirectory Run, TrainingConfig Config, ISignDataset Dataset, Vocabulary Vocabulary) Open(string checkpoint, string? dataRoot = null)
    {
        var (dir, run) = Resolve(checkpoint);
        var configPath = Path.Combine(dir, "config.json");
        TrainingConfig config;
        try { config = JsonSerializer.Deserialize<TrainingConfig>(File.ReadAllText(configPath), ConfigJson.Options)!; }
        catch (Exception e) when (e is IOException or JsonException)
        {
            throw new UserFacingException($"{configPath}: cannot read the run's config ({e.Message}). Fix: evaluate a checkpoint written by `signnb train`.");
        }
        if (dataRoot is not null) config = config with { DataRoot = Path.GetFullPath(dataRoot) };
        var (dataset, vocabulary, _) = CorpusSource.ForRun(config.Corpus, config.DataRoot, config.CorpusProfile, config.CorpusSeed);
        var weights = Path.Combine(dir, "model.pt");
        if (CorpusSource.IsReal(config.Corpus))
        {
            // The ids the run trained with decode its predictions; the corpus as it is now must still fit them.
            var beside = VocabularyCheck.BesideCheckpoint(weights);
            var own = beside is null ? vocabulary : GlossIdsFile.Read(beside, config.Corpus);
            VocabularyCheck.Ensure(weights, config.Model.VocabularySize, own, beside ?? $"built from the train split of {config.DataRoot}", dataset.Glosses, beside is not null);
            vocabulary = own;
        }
        else if (vocabulary.Count != config.Model.VocabularySize)
            throw new UserFacingException($"{configPath}: the model has {config.Model.VocabularySize} classes but the corpus vocabulary has {vocabulary.Count}. Fix: evaluate on the corpus the run was trained on.");
        return (dir, run, config, dataset, vocabulary);
    }

    /// <summary>
    /// Joins the shard folders an `evaluate --shard i/N` job array wrote for one checkpoint and split into the
    /// unsharded result: every head's hypotheses are concatenated and rescored, so the WER is the one an unsharded run
    /// gives (corpus WER sums S, D, I and N over sentences). Refuses when a shard is missing or shard counts differ.
    /// </summary>
    public static RunEvaluationResult MergeShards(string checkpoint, string split)
    {
        var (dir, run) = Resolve(checkpoint);
        var config = JsonSerializer.Deserialize<TrainingConfig>(File.ReadAllText(Path.Combine(dir, "config.json")), ConfigJson.Options)!;
        var name = Path.GetFileName(dir);
        var merged = ShardMerge.Merge(run.EvalDir, name + "-", split, CorpusSource.Cleanup(config.Corpus), config.TestBeam,
            $"signnb evaluate --checkpoint {checkpoint} --split {split} --shard {{i}}/{{n}}");
        var outDir = Path.Combine(run.EvalDir, name);
        RecognitionEvaluator.Save(merged, outDir);
        return new RunEvaluationResult(dir, outDir, merged, config);
    }

    private static (string dir, RunDirectory run) Resolve(string checkpoint)
    {
        var full = Path.GetFullPath(checkpoint);
        if (File.Exists(Path.Combine(full, "state.json")) && File.Exists(Path.Combine(full, "model.pt")))
            return (full, new RunDirectory(Path.GetDirectoryName(Path.GetDirectoryName(full)!)!));
        var run = new RunDirectory(full);
        if (run.ResolveCheckpoint("best") is { } best) return (best, run);
        // Never a silent fallback to `last`: it is another model than the one the run selected.
        if (run.ResolveCheckpoint("last") is { } last)
            throw new UserFacingException($"{checkpoint}: the run has no best checkpoint, only checkpoints/last (epoch {run.ReadState(last).Epoch + 1}): it was " +
                "stopped before its first validation or while saving. Fix: finish it with `signnb train ... --out RUN --resume`, or evaluate " +
                $"{Path.Combine(checkpoint, "checkpoints", "last")} explicitly.");
        throw new UserFacingException($"{checkpoint}: neither a run folder with checkpoints nor a checkpoint folder (state.json + model.pt). Fix: pass runs/NAME or runs/NAME/checkpoints/best.");
    }
}
