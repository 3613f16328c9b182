using System.Text.Json;
using SignNotebooks.Checkpoints;
using SignNotebooks.Data;
using SignNotebooks.Evaluation;
using SignNotebooks.Models;
using SignNotebooks.Synthetic;
using SignNotebooks.Util;

namespace SignNotebooks.Training;

/// <summary>A run's checkpoint evaluated on one split.</summary>
public sealed record RunEvaluationResult(string CheckpointDir, string OutputDir, SplitEvaluation Evaluation, TrainingConfig Config);

/// <summary>Loads a run's checkpoint with its saved config and scores every head on a split.</summary>
public static class RunEvaluation
{
    /// <param name="checkpoint">A run folder (its best checkpoint is used) or a checkpoint folder.</param>
    /// <param name="split">dev, test or test-shift.</param>
    /// <param name="beam">Beam width; null = the config's test beam (spec §8.1: 5).</param>
    public static RunEvaluationResult Evaluate(string checkpoint, string split, int? beam = null)
    {
        var (dir, run, config, dataset, vocabulary) = Open(checkpoint);
        if (!dataset.Splits.Contains(split))
            throw new UserFacingException($"unknown split '{split}'. Fix: use one of {string.Join(", ", dataset.Splits)}.");
        var model = Trainer.LoadModel(config, Path.Combine(dir, "model.pt"));
        var eval = RecognitionEvaluator.Evaluate(model, Trainer.EvalLoader(config, dataset, vocabulary, split), vocabulary, beam ?? config.TestBeam);
        var outDir = Path.Combine(run.EvalDir, Path.GetFileName(dir));
        RecognitionEvaluator.Save(eval, outDir);
        return new RunEvaluationResult(dir, outDir, eval, config);
    }

    /// <summary>
    /// A run's checkpoint folder, its saved config, the corpus it was trained on and that corpus's vocabulary (checked
    /// against the model's class count). <paramref name="checkpoint"/>: a run folder (best, else last) or a checkpoint folder.
    /// </summary>
    public static (string Dir, RunDirectory Run, TrainingConfig Config, SynthSignDataset Dataset, Vocabulary Vocabulary) Open(string checkpoint)
    {
        var (dir, run) = Resolve(checkpoint);
        var configPath = Path.Combine(dir, "config.json");
        TrainingConfig config;
        try { config = JsonSerializer.Deserialize<TrainingConfig>(File.ReadAllText(configPath), ConfigJson.Options)!; }
        catch (Exception e) when (e is IOException or JsonException)
        {
            throw new UserFacingException($"{configPath}: cannot read the run's config ({e.Message}). Fix: evaluate a checkpoint written by `signnb train`.");
        }
        var dataset = new SynthSignDataset(config.CorpusProfile, config.CorpusSeed);
        var vocabulary = Vocabulary.SynthSign(dataset.Glosses);
        if (vocabulary.Count != config.Model.VocabularySize)
            throw new UserFacingException($"{configPath}: the model has {config.Model.VocabularySize} classes but the corpus vocabulary has {vocabulary.Count}. Fix: evaluate on the corpus the run was trained on.");
        return (dir, run, config, dataset, vocabulary);
    }

    private static (string dir, RunDirectory run) Resolve(string checkpoint)
    {
        var full = Path.GetFullPath(checkpoint);
        if (File.Exists(Path.Combine(full, "state.json")) && File.Exists(Path.Combine(full, "model.pt")))
            return (full, new RunDirectory(Path.GetDirectoryName(Path.GetDirectoryName(full)!)!));
        var run = new RunDirectory(full);
        var best = run.ResolveCheckpoint("best") ?? run.ResolveCheckpoint("last")
            ?? throw new UserFacingException($"{checkpoint}: neither a run folder with checkpoints nor a checkpoint folder (state.json + model.pt). Fix: pass runs/NAME or runs/NAME/checkpoints/best.");
        return (best, run);
    }
}
