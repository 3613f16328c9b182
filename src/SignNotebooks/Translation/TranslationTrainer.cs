using System.Diagnostics;
using SignNotebooks.Checkpoints;
using SignNotebooks.Data;
using SignNotebooks.Synthetic;
using SignNotebooks.Training;
using SignNotebooks.Util;
using TorchSharp;
using static TorchSharp.torch;

namespace SignNotebooks.Translation;

/// <summary>The outcome of a translation run.</summary>
public sealed record TranslationResult(string RunDir, int EpochsRun, double BestBleu4, int BestEpoch, TranslationEvaluation? LastValidation, TimeSpan Elapsed);

/// <summary>
/// Trains Gloss2Text or Sign2Text on SynthSign or a real corpus with translations (spec §10.2, §10.4): Adam with L2 decay and per-group learning rates
/// (mBART, heads, mapper) on the per-epoch cosine schedule, label-smoothed translation loss (+ the three CTC losses
/// for Sign2Text), dev BLEU-4 after every epoch selects the best checkpoint (spec §8.4). The run folder holds
/// <c>config.json</c>, <c>vocab.json</c>, <c>epochs.csv</c>, <c>steps.csv</c> and <c>checkpoints/{last,best}</c>
/// (<c>model.pt</c>: a PyTorch state dict with SLRT's names, <c>translation_network.model.*</c> = Hugging Face mBART).
/// </summary>
public sealed class TranslationTrainer
{
    private readonly TranslationConfig _config;
    private readonly RunDirectory _run;
    private readonly ISignDataset _dataset;
    private readonly Vocabulary _glosses;
    private readonly TextWriter _log;

    /// <summary>The vocabularies of the corpus (saved with the run).</summary>
    public TranslationVocabulary Vocabulary { get; }

    /// <summary>Sign2Text: the trained TwoStream-SLR whose features are read (spec §10.3). Required for that stage.</summary>
    public SignFeatureStore? Features { get; init; }
    /// <summary>Sign2Text: a Gloss2Text model.pt whose <c>translation_network.*</c> initialises the translation side (spec §10.2).</summary>
    public string? Gloss2TextWeights { get; init; }

    /// <param name="glosses">The gloss vocabulary (a real corpus's, as its recognition runs use); null = SynthSign's.</param>
    public TranslationTrainer(TranslationConfig config, RunDirectory run, ISignDataset dataset, TextWriter log, Vocabulary? glosses = null)
    {
        _glosses = glosses ?? GlossVocabulary(dataset);
        Vocabulary = BuildVocabulary(dataset, _glosses);
        _config = Resolve(config, Vocabulary);
        _run = run;
        _dataset = dataset;
        _log = log;
    }

    public TranslationConfig Config => _config;

    /// <summary>The corpus vocabularies: recognition glosses + every split's translation words (spec §10.1 prunes to all splits' texts).</summary>
    public static TranslationVocabulary BuildVocabulary(ISignDataset dataset, Vocabulary? glosses = null)
    {
        var texts = dataset.Splits.SelectMany(s => TranslationExample.From(dataset, s)).Select(e => e.Text);
        // SLRT's language codes per corpus (spec §10.1): German / DGS, Chinese / CSL; SynthSign keeps its own.
        return dataset.Name switch
        {
            "phoenix-2014t" => TranslationVocabulary.Build(glosses ?? GlossVocabulary(dataset), texts, "de_DE", "de_DGS"),
            "csl-daily" => TranslationVocabulary.Build(glosses ?? GlossVocabulary(dataset), texts, "zh_CN", "zh_CSL"),
            _ => TranslationVocabulary.Build(glosses ?? GlossVocabulary(dataset), texts),
        };
    }

    private static Vocabulary GlossVocabulary(ISignDataset dataset) => dataset is SynthSignDataset
        ? Data.Vocabulary.SynthSign(dataset.Glosses)
        : throw new ArgumentException($"{dataset.Name}: pass the corpus's gloss vocabulary (TranslationConfig.OpenCorpus)", nameof(dataset));

    /// <summary>Validates and fixes the text vocabulary size from the corpus.</summary>
    public static TranslationConfig Resolve(TranslationConfig config, TranslationVocabulary vocabulary)
    {
        config.Validate();
        return config with { Model = config.Model with { VocabularySize = vocabulary.TextTokens.Count } };
    }

    /// <summary>Builds the network of a config; Sign2Text needs the feature store's recognition config and feature size.</summary>
    public static SignTranslationModel CreateModel(TranslationConfig config, TranslationVocabulary vocabulary, SignFeatureStore? features, int featureSize) =>
        new(config, vocabulary, config.Stage == TranslationStage.Sign2Text ? (features!.RecognitionConfig.Model, featureSize) : null);

    public TranslationResult Run()
    {
        var total = Stopwatch.StartNew();
        if (_run.HasCheckpoint("last"))
            throw new UserFacingException($"{_run.Root} already holds a run (checkpoints/last). Fix: choose a new --out folder; nothing was overwritten.");
        bool s2t = _config.Stage == TranslationStage.Sign2Text;
        if (s2t && Features is null)
            throw new UserFacingException("Sign2Text reads the features of a trained TwoStream-SLR (spec §10.3). Fix: pass the joint-stage run (--recognition RUN).");
        _run.Create();
        var configJson = System.Text.Json.JsonSerializer.Serialize(_config, ConfigJson.Options);
        RunDirectory.WriteAtomic(_run.ConfigPath, configJson);
        Vocabulary.Save(Path.Combine(_run.Root, "vocab.json"));
        if (s2t) new RecognitionSource(Features!.Weights, Features.RecognitionConfig).Save(_run.Root);

        var train = TranslationExample.From(_dataset, "train", _config.MaxTrainClips);
        var dev = TranslationExample.From(_dataset, "dev", _config.MaxEvalClips);
        var trainFeatures = s2t ? Features!.Split(_dataset, "train", _config.MaxTrainClips, _log, _glosses) : null;
        var devFeatures = s2t ? Features!.Split(_dataset, "dev", _config.MaxEvalClips, _log, _glosses) : null;

        torch.manual_seed(_config.Seed);
        var model = CreateModel(_config, Vocabulary, Features, Features?.FeatureSize ?? 0);
        _log.WriteLine($"run {_run.Root}: {_config.Stage}, profile {_config.Profile}, {_config.Epochs} epochs, {train.Length} train sentences, " +
                       $"{TensorStorage.UniqueParameters(model).Sum(p => p.numel()):N0} parameters");
        if (s2t) Initialise(model);
        if (_config.FreezesEmbeddings)
        {
            long frozen = FreezeEmbeddings(model);
            _log.WriteLine($"gloss and text embeddings frozen ({frozen:N0} parameters; spec §10.2, SLRT's freeze_txt_embed and GlossEmbedding.freeze)" +
                (_config.FreezeEmbeddings is null ? "; set FreezeEmbeddings to false to train them" : ""));
        }
        var groups = ParameterGroups(model);
        var optimizer = optim.Adam(groups.Select(g => new TorchSharp.Modules.Adam.ParamGroup(g.Parameters, g.LearningRate, _config.Beta1, _config.Beta2, _config.Epsilon, _config.WeightDecay)),
            _config.LearningRate, _config.Beta1, _config.Beta2, _config.Epsilon, _config.WeightDecay);
        var steps = new MetricsLog(_run.StepsCsv);
        var epochs = new MetricsLog(_run.EpochsCsv);
        double best = double.NegativeInfinity;
        int bestEpoch = -1;
        long step = 0;
        TranslationEvaluation? lastEval = null;
        var rng = new Random(_config.Seed);
        // spec §6 zero_infinity, as in recognition: a clip whose glosses its features cannot emit gets a zero CTC loss,
        // counted per epoch; the recognition run's Loss.ThrowOnImpossibleTarget = true stops at the first one instead.
        bool strictCtc = s2t && Features!.RecognitionConfig.Loss.ThrowOnImpossibleTarget;
        bool warnedZeroed = false;
        for (int epoch = 0; epoch < _config.Epochs; epoch++)
        {
            var sw = Stopwatch.StartNew();
            for (int g = 0; g < groups.Count; g++)
                optimizer.ParamGroups.ElementAt(g).LearningRate = CosineSchedule.LearningRate(groups[g].LearningRate, epoch, _config.Epochs);
            model.train();
            var order = Enumerable.Range(0, train.Length).OrderBy(_ => rng.Next()).ToArray();
            double lossSum = 0;
            int batches = 0;
            var zeroed = new SortedSet<string>(StringComparer.Ordinal);
            var chunks = TranslationBatch.Chunks(order, _config.BatchSize).ToList();
            var bar = ProgressBar.For(_log, $"epoch {epoch + 1}/{_config.Epochs}: steps", chunks.Count);
            foreach (var idx in chunks)
            {
                using var gcOff = NoGcRegion.Enter();
                using var scope = NewDisposeScope();
                var batch = MakeBatch(idx.Select(i => train[i]).ToArray(), trainFeatures);
                var (loss, terms, zeroedClips) = model.Loss(batch, strictCtc);
                double value = loss.item<float>();
                if (!double.IsFinite(value))
                    throw new TrainingDivergedException($"the translation loss became {value} at epoch {epoch + 1}, step {step + 1}. Fix: lower LearningRate.");
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
                step++;
                batches++;
                lossSum += value;
                var row = new Dictionary<string, double> { ["epoch"] = epoch + 1, ["step"] = step, ["loss"] = value };
                foreach (var (name, t) in terms) row[name] = t.item<float>();
                if (s2t) row["ctc_zeroed_clips"] = zeroedClips.Count;
                foreach (int i in zeroedClips) zeroed.Add(batch.Names[i]);
                steps.Append(row);
                bar.Report(batches, $"loss {value:F3}" + (zeroed.Count > 0 ? $", {zeroed.Count} {(zeroed.Count == 1 ? "clip" : "clips")} with CTC loss zeroed" : ""));
            }
            lastEval = Evaluate(model, "dev", dev, devFeatures, _config.ValidationDecoding);
            double score = lastEval.Bleu.Bleu4;
            bool improved = score > best;
            if (improved) { best = score; bestEpoch = epoch + 1; }
            var epochRow = new Dictionary<string, double>
            {
                ["epoch"] = epoch + 1, ["lr"] = optimizer.ParamGroups.First().LearningRate, ["train_loss"] = lossSum / Math.Max(1, batches),
                ["dev_bleu4"] = score, ["dev_rouge_l"] = lastEval.RougeL, ["best_dev_bleu4"] = best, ["train_seconds"] = sw.Elapsed.TotalSeconds,
            };
            if (s2t) epochRow["ctc_zeroed_clips"] = zeroed.Count;
            epochs.Append(epochRow);
            // The features are fixed, so the same clips are zeroed every epoch: one warning, the counts in the CSVs.
            if (zeroed.Count > 0 && !warnedZeroed)
            {
                warnedZeroed = true;
                _log.WriteLine($"epoch {epoch + 1}: {zeroed.Count} of {order.Length} training clips have more glosses than their features can emit; " +
                    $"their CTC loss is zeroed (spec §6 zero_infinity), every epoch (ctc_zeroed_clips in epochs.csv): {string.Join(", ", zeroed.Take(5))}" +
                    $"{(zeroed.Count > 5 ? ", …" : "")}. `signnb data check` lists such clips; the recognition run's Loss.ThrowOnImpossibleTarget = true stops at the first one.");
            }
            _log.WriteLine($"epoch {epoch + 1}: train loss {lossSum / Math.Max(1, batches):F3}, dev BLEU-4 {score:F2}, ROUGE-L {lastEval.RougeL:F2} ({sw.Elapsed.TotalSeconds:F0} s)");
            var state = new RunState(epoch, step, best, bestEpoch, "bleu4");
            // best before last, as in the recognition trainer: once `last` names a best epoch, its checkpoint exists.
            if (improved) _run.SaveCheckpoint("best", state, configJson, dir => Save(model, dir));
            _run.SaveCheckpoint("last", state, configJson, dir => Save(model, dir));
        }
        return new TranslationResult(_run.Root, _config.Epochs, best, bestEpoch, lastEval, total.Elapsed);
    }

    private TranslationBatch MakeBatch(IReadOnlyList<TranslationExample> examples, IReadOnlyDictionary<string, (Tensor, Tensor)>? features) =>
        TranslationBatch.Create(examples, Vocabulary, features is null ? null : examples.Select(e => Lookup(features, e.Name)).ToArray());

    internal static (Tensor, Tensor) Lookup(IReadOnlyDictionary<string, (Tensor, Tensor)> features, string name) =>
        features.TryGetValue(name, out var f) ? f : throw new UserFacingException($"no extracted features for clip {name}. Fix: extract features for the same corpus profile.");

    /// <summary>Decodes and scores sentences with one model (features required for Sign2Text).</summary>
    public TranslationEvaluation Evaluate(SignTranslationModel model, string split, IReadOnlyList<TranslationExample> examples,
                                          IReadOnlyDictionary<string, (Tensor, Tensor)>? features, DecodeOptions options) =>
        new Translator(model).Evaluate(split, SystemName(model.Config), examples, options, ex => MakeBatch(ex, features));

    /// <summary>g2t, or s2t-video / s2t-keypoint / s2t-joint (+ "-probs" for the gloss-probability mapper).</summary>
    public static string SystemName(TranslationConfig c) => c.Stage == TranslationStage.Gloss2Text ? "g2t"
        : "s2t-" + c.Source.ToString().ToLowerInvariant() + (c.Mapper == MapperKind.GlossProbabilities ? "-probs" : "");

    private void Initialise(SignTranslationModel model)
    {
        if (Gloss2TextWeights is not null)
        {
            var report = ModuleLoader.Load(model, StateDictFile.Read(Gloss2TextWeights), "", format: "Gloss2Text checkpoint");
            _log.WriteLine($"translation network from Gloss2Text: {report.Loaded.Count} tensors loaded, {report.Missing.Count} start fresh (heads, mapper)");
            if (report.ShapeMismatched.Count > 0)
                throw new UserFacingException($"the Gloss2Text checkpoint does not fit this model.\n{report}\nFix: train Gloss2Text with the same profile (model size, corpus).");
            if (model.Mapper?.Kind == MapperKind.GlossProbabilities) model.Mapper.InitFromGlossEmbedding(model.Translation.GlossEmbeddingWeight);
        }
        if (_config.HeadsFromRecognition)
        {
            var heads = StateDictFile.Read(Features!.Weights);
            var renamed = heads.Tensors.Where(kv => kv.Key.Contains("visual_head.") || kv.Key.Contains("visual_head_keypoint.") || kv.Key.Contains("visual_head_fuse."))
                .ToDictionary(kv => kv.Key.Replace(KeyMaps.RecognitionPrefix, "recognition_network."), kv => kv.Value);
            var report = ModuleLoader.Load(model.Heads!, new StateDictFile(Features.Weights, renamed, null, []), "recognition_network.", format: "TwoStream-SLR heads");
            _log.WriteLine($"recognition heads from {Features.Weights}: {report.Loaded.Count} tensors loaded");
        }
    }

    /// <summary>
    /// Stops the gradient of the gloss embedding and of mBART's shared text embedding (the same tensor as the input
    /// embeddings and <c>lm_head</c>, as in Hugging Face); returns the number of frozen values.
    /// </summary>
    public static long FreezeEmbeddings(SignTranslationModel model)
    {
        var weights = new[] { model.Translation.GlossEmbeddingWeight, model.Translation.Model.Model.Shared.weight! };
        foreach (var w in weights) w.requires_grad_(false);
        return weights.Sum(w => w.numel());
    }

    private List<(string Name, List<TorchSharp.Modules.Parameter> Parameters, double LearningRate)> ParameterGroups(SignTranslationModel model)
    {
        // Frozen tensors stay out of the optimiser: Adam's L2 decay would otherwise still move them.
        var groups = new List<(string, List<TorchSharp.Modules.Parameter>, double)>
            { ("translation", TensorStorage.UniqueParameters(model.Translation).Where(p => p.requires_grad).ToList(), _config.LearningRate) };
        if (model.Heads is not null) groups.Add(("heads", model.Heads.parameters().ToList(), _config.HeadLearningRate));
        if (model.Mapper is not null) groups.Add(("mapper", model.Mapper.parameters().ToList(), _config.MapperLearningRate));
        return groups;
    }

    private void Save(SignTranslationModel model, string dir)
    {
        CheckpointExporter.Save(model, Path.Combine(dir, "model.pt"), withPrefix: false);
        Vocabulary.Save(Path.Combine(dir, "vocab.json"));
    }
}
