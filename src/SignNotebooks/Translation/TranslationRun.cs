using System.Text.Json;
using SignNotebooks.Checkpoints;
using SignNotebooks.Training;
using SignNotebooks.Util;

namespace SignNotebooks.Translation;

/// <summary>Where a Sign2Text run's features came from: the recognition run's resolved config and weights (<c>recognition.json</c>).</summary>
public sealed record RecognitionSource(string Weights, TrainingConfig Config)
{
    public const string FileName = "recognition.json";

    public void Save(string runRoot) => File.WriteAllText(Path.Combine(runRoot, FileName), JsonSerializer.Serialize(this, ConfigJson.Options));

    public static RecognitionSource Load(string runRoot)
    {
        var path = Path.Combine(runRoot, FileName);
        try { return JsonSerializer.Deserialize<RecognitionSource>(File.ReadAllText(path), ConfigJson.Options)!; }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            throw new UserFacingException($"{path}: cannot read which recognition run this Sign2Text run used ({e.Message}). Fix: evaluate a run written by `signnb train --stage s2t`.");
        }
    }

    /// <summary>The best (else last) weights and the resolved config of a recognition run folder.</summary>
    public static RecognitionSource FromRun(string runFolder)
    {
        var run = new RunDirectory(runFolder);
        var dir = run.ResolveCheckpoint("best") ?? run.ResolveCheckpoint("last")
            ?? throw new UserFacingException($"{runFolder}: no complete checkpoint. Fix: pass a finished joint-stage run (signnb train --stage joint --out {runFolder}).");
        TrainingConfig config;
        try { config = JsonSerializer.Deserialize<TrainingConfig>(File.ReadAllText(Path.Combine(dir, "config.json")), ConfigJson.Options)!; }
        catch (Exception e) when (e is IOException or JsonException)
        {
            throw new UserFacingException($"{dir}/config.json: not a recognition run config ({e.Message}). Fix: pass the folder of `signnb train --stage joint`.");
        }
        return new RecognitionSource(Path.Combine(dir, "model.pt"), config);
    }
}

/// <summary>
/// A trained translation run loaded for use: its resolved config, vocabularies, network (best checkpoint, strict
/// load) and, for Sign2Text, the recognition run its features come from. This is the library entry point for
/// scripts and `recognize`: <c>TranslationRun.Load(dir).Translator.TranslateGlosses(glosses)</c> or
/// <c>.TranslateFeatures(video, keypoint)</c>.
/// </summary>
public sealed class TranslationRun
{
    public string CheckpointDir { get; }
    public TranslationConfig Config { get; }
    public TranslationVocabulary Vocabulary { get; }
    public SignTranslationModel Model { get; }
    public SignFeatureStore? Features { get; }
    public Translator Translator => new(Model);
    public string System => TranslationTrainer.SystemName(Config);

    private TranslationRun(string dir, TranslationConfig config, TranslationVocabulary vocabulary, SignTranslationModel model, SignFeatureStore? features)
    {
        (CheckpointDir, Config, Vocabulary, Model, Features) = (dir, config, vocabulary, model, features);
    }

    /// <param name="checkpoint">A run folder (best checkpoint, else last) or a checkpoint folder.</param>
    /// <param name="features">Share one feature store between Sign2Text runs of the same recognition model (ensembles).</param>
    public static TranslationRun Load(string checkpoint, SignFeatureStore? features = null)
    {
        var full = Path.GetFullPath(checkpoint);
        var root = RunDirectory.RootOf(full);
        var run = new RunDirectory(root);
        var dir = full != root ? full : run.ResolveCheckpoint("best") ?? run.ResolveCheckpoint("last")
            ?? throw new UserFacingException($"{checkpoint}: neither a run folder with checkpoints nor a checkpoint folder. Fix: pass runs/NAME or runs/NAME/checkpoints/best.");
        if (!File.Exists(Path.Combine(dir, "vocab.json")))
            throw new UserFacingException($"{dir}: no vocab.json, so this is not a translation checkpoint. Fix: pass a run of `signnb train --stage g2t|s2t`.");
        TranslationConfig config;
        try { config = JsonSerializer.Deserialize<TranslationConfig>(File.ReadAllText(Path.Combine(dir, "config.json")), ConfigJson.Options)!; }
        catch (Exception e) when (e is IOException or JsonException)
        {
            throw new UserFacingException($"{dir}/config.json: not a translation config ({e.Message}). Fix: pass a run of `signnb train --stage g2t|s2t`.");
        }
        var vocabulary = TranslationVocabulary.Load(Path.Combine(dir, "vocab.json"));
        if (config.Stage == TranslationStage.Sign2Text && features is null)
        {
            var source = RecognitionSource.Load(root);
            features = new SignFeatureStore(source.Config, source.Weights);
        }
        int featureSize = config.Stage == TranslationStage.Sign2Text ? FeatureSize(features!) : 0;
        var model = TranslationTrainer.CreateModel(config, vocabulary, features, featureSize);
        ModuleLoader.Load(model, StateDictFile.Read(Path.Combine(dir, "model.pt")), strict: true, format: "translation checkpoint");
        model.eval();
        return new TranslationRun(dir, config, vocabulary, model, config.Stage == TranslationStage.Sign2Text ? features : null);
    }

    // C4 channels of the recognition model: read from its visual_head.fc1 weight (in_features).
    private static int FeatureSize(SignFeatureStore features)
    {
        if (features.FeatureSize > 0) return features.FeatureSize;
        var file = StateDictFile.Read(features.Weights);
        var fc1 = file.Tensors.FirstOrDefault(kv => kv.Key.EndsWith("visual_head.fc1.weight", StringComparison.Ordinal)).Value
            ?? throw new UserFacingException($"{features.Weights}: no visual_head.fc1.weight, so the feature size is unknown. Fix: pass a two-stream recognition checkpoint.");
        return (int)fc1.shape[1];
    }

    /// <summary>
    /// Sign2Text for `recognize`: translates clip <paramref name="index"/> of a two-stream forward pass (eval mode) of
    /// the recognition model this run was trained on, from its pooled C4 features cut to the valid length.
    /// </summary>
    public string Translate(Models.RecognitionOutputs outputs, int index = 0, DecodeOptions? options = null)
    {
        if (Config.Stage != TranslationStage.Sign2Text)
            throw new UserFacingException($"{CheckpointDir} is a Gloss2Text run: it translates glosses. Fix: call Translator.TranslateGlosses(decoded glosses), or pass a Sign2Text run.");
        if (outputs.VideoFeatures is null || outputs.KeypointFeatures is null)
            throw new UserFacingException("Sign2Text reads both streams' pooled features, and these outputs have none. Fix: run the two-stream recognition model (not a single stream).");
        long expected = Model.Heads!.parameters().First().shape[1], got = outputs.VideoFeatures.shape[2];
        if (got != expected)
            throw new UserFacingException($"the recognition model gives {got} feature channels per stream but {CheckpointDir} was trained on {expected}. Fix: use the recognition run named in its {RecognitionSource.FileName}.");
        long valid = outputs[Models.RecognitionOutputs.Video].ValidLengths[index].item<long>();
        return Translator.TranslateFeatures(outputs.VideoFeatures[index].narrow(0, 0, valid), outputs.KeypointFeatures[index].narrow(0, 0, valid), options ?? Config.TestDecoding);
    }

    /// <summary>Decodes and scores one split with this run alone, or with <paramref name="ensemble"/> as the multi-source ensemble.</summary>
    /// <param name="dataRoot">A real corpus's folder when it moved since training (default: the run's recorded one).</param>
    public static TranslationEvaluation Evaluate(IReadOnlyList<TranslationRun> ensemble, string split, DecodeOptions? options = null, string? system = null,
                                                 TextWriter? log = null, string? dataRoot = null)
    {
        var first = ensemble[0];
        var config = dataRoot is null ? first.Config : first.Config.ForCorpus(first.Config.Corpus, dataRoot);
        var (dataset, glosses) = config.OpenCorpus();
        if (!dataset.Splits.Contains(split))
            throw new UserFacingException($"unknown split '{split}'. Fix: use one of {string.Join(", ", dataset.Splits)}.");
        var examples = TranslationExample.From(dataset, split, split == "train" ? first.Config.MaxTrainClips : first.Config.MaxEvalClips);
        var features = first.Features?.Split(dataset, split, split == "train" ? first.Config.MaxTrainClips : first.Config.MaxEvalClips, log, glosses);
        if (ensemble.Any(r => r.Features is not null && r.Features != first.Features))
            throw new UserFacingException("the ensemble's Sign2Text runs must share one feature store. Fix: load them with TranslationRun.Load(dir, features).");
        var translator = new Translator(ensemble.Select(r => r.Model).ToArray());
        var name = system ?? (ensemble.Count == 1 ? first.System : "ensemble");
        var bar = log is null ? null : ProgressBar.For(log, $"decode {name} {split}: sentences", examples.Length);
        return translator.Evaluate(split, name, examples, options ?? first.Config.TestDecoding,
            ex => TranslationBatch.Create(ex, first.Vocabulary, features is null ? null : ex.Select(e => TranslationTrainer.Lookup(features, e.Name)).ToArray()),
            progress: bar is null ? null : done => bar.Report(done));
    }
}
