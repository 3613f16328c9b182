using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Analysis;
using SignNotebooks.Plots;
using SignNotebooks.Training;
using SignNotebooks.Translation;

namespace SignNotebooks.Analysis;

/// <summary>A trained translation run as notebook 06 uses it.</summary>
public sealed record TranslationExperiment(string Name, RunDirectory Run, TranslationConfig Config, bool Reused, TimeSpan TrainTime)
{
    /// <summary>Per-epoch metrics (train loss, dev BLEU-4 and ROUGE-L).</summary>
    public DataFrame Epochs => MetricsLog.Load(Run.EpochsCsv);
}

/// <summary>
/// Notebook 06's experiment store: Gloss2Text once per profile, and Sign2Text per head on the features of the
/// workbench's full two-stream model (<see cref="Ablation.FullModel"/>, the run notebooks 03–05 train), each
/// initialised from the Gloss2Text run (spec §10.2, §10.4). Runs live in
/// `artifacts/runs/&lt;profile&gt;/&lt;name&gt;-&lt;hash&gt;`; the hash covers the config and the runs it starts from.
/// </summary>
public sealed class TranslationWorkbench
{
    private readonly TextWriter _log;
    private readonly Dictionary<string, TranslationRun> _loaded = new();
    private readonly Dictionary<string, TranslationEvaluation> _evaluations = new();
    private SignFeatureStore? _features;
    private ExperimentRun? _recognition;

    public Workbench Workbench { get; }
    public string Profile => Workbench.Profile;

    public TranslationWorkbench(Workbench workbench, TextWriter? log = null)
    {
        Workbench = workbench;
        _log = log ?? Console.Out;
    }

    /// <summary>The profile's translation config for a stage (and Sign2Text source).</summary>
    public TranslationConfig Config(TranslationStage stage, TranslationSource source = TranslationSource.Joint) =>
        (TranslationProfiles.Get(Profile, stage) with { Source = source }).ForCorpus(Workbench.DatasetName, Workbench.DataRoot);

    /// <summary>The splits translation is scored on (the workbench's evaluation splits).</summary>
    public IReadOnlyList<string> Splits => Workbench.EvalSplits;

    /// <summary>
    /// The lowest Gloss2Text test BLEU-1 the notebook's check accepts: 20 on SynthSign (a model that ignores its input
    /// scores below 10); 0 on a real corpus, where a CPU profile sets no known floor.
    /// </summary>
    public double Gloss2TextBleu1Floor => Workbench.IsSynthSign ? 20 : 0;

    /// <summary>The trained two-stream recognition model whose features Sign2Text reads (trained on first use).</summary>
    public ExperimentRun Recognition => _recognition ??= Ablation.FullModel(Workbench);

    /// <summary>Gloss2Text: the upper bound (perfect glosses in), and the initialisation of every Sign2Text network.</summary>
    public TranslationExperiment Gloss2Text() => Ensure("g2t", Config(TranslationStage.Gloss2Text), null, null);

    /// <summary>Sign2Text on one head's gloss features (spec §10.4), started from <see cref="Gloss2Text"/>.</summary>
    public TranslationExperiment Sign2Text(TranslationSource source, MapperKind mapper = MapperKind.Projection)
    {
        var g2t = Gloss2Text();
        var weights = Path.Combine(g2t.Run.ResolveCheckpoint("best")!, "model.pt");
        var name = $"s2t-{source.ToString().ToLowerInvariant()}" + (mapper == MapperKind.Projection ? "" : "-probs");
        return Ensure(name, Config(TranslationStage.Sign2Text, source) with { Mapper = mapper }, Features, weights);
    }

    /// <summary>The feature store of <see cref="Recognition"/>, shared by every Sign2Text run (one extraction per split).</summary>
    public SignFeatureStore Features => _features ??= new SignFeatureStore(Recognition.Config, Recognition.BestWeights);

    /// <summary>BLEU/ROUGE of one run on a split (test beam), or of the multi-source ensemble of several runs.</summary>
    public TranslationEvaluation Evaluate(IReadOnlyList<TranslationExperiment> runs, string split, string? system = null)
    {
        var key = string.Join('+', runs.Select(r => r.Run.Root)) + "|" + split;
        if (_evaluations.TryGetValue(key, out var cached)) return cached;
        var loaded = runs.Select(Load).ToList();
        var eval = TranslationRun.Evaluate(loaded, split, system: system ?? (runs.Count == 1 ? runs[0].Name : "ensemble"), log: _log);
        return _evaluations[key] = eval;
    }

    public TranslationEvaluation Evaluate(TranslationExperiment run, string split) => Evaluate([run], split);

    /// <summary>One network loaded from its best checkpoint (Sign2Text runs share <see cref="Features"/>).</summary>
    public TranslationRun Load(TranslationExperiment run)
    {
        if (_loaded.TryGetValue(run.Run.Root, out var r)) return r;
        return _loaded[run.Run.Root] = TranslationRun.Load(run.Run.Root, run.Config.Stage == TranslationStage.Sign2Text ? Features : null);
    }

    /// <summary>Cross-attention of sentence <paramref name="index"/> of a split, decoded by one run.</summary>
    public CrossAttentionMap CrossAttention(TranslationExperiment run, string split, int index = 0)
    {
        var loaded = Load(run);
        var examples = Translation.TranslationExample.From(Workbench.Dataset, split, index + 1);
        var features = loaded.Features?.Split(Workbench.Dataset, split, run.Config.MaxEvalClips, _log, Workbench.Vocabulary);
        var batch = TranslationBatch.Create([examples[index]], loaded.Vocabulary,
            features is null ? null : [TranslationTrainer.Lookup(features, examples[index].Name)]);
        return CrossAttentionMap.Compute(loaded.Model, batch, 0, run.Config.TestDecoding, run.Name);
    }

    /// <summary>ROUGE-L and BLEU-1..4 per system and split (higher is better).</summary>
    public static ResultTable Table(IEnumerable<TranslationEvaluation> evaluations, int beam, string corpus = "SynthSign")
    {
        string F(double x) => x.ToString("F2", CultureInfo.InvariantCulture);
        var rows = evaluations.Select(e => (IReadOnlyList<string>)[e.System, e.Split, F(e.RougeL), F(e.Bleu.Bleu1), F(e.Bleu.Bleu2), F(e.Bleu.Bleu3), F(e.Bleu.Bleu4)]).ToList();
        return new ResultTable($"Translation on {corpus} (beam {beam}, word level; higher is better)", ["system", "split", "ROUGE-L", "BLEU-1", "BLEU-2", "BLEU-3", "BLEU-4"], rows);
    }

    /// <summary>The first <paramref name="count"/> sentences: reference, then each system's translation.</summary>
    public static ResultTable Examples(IReadOnlyList<TranslationEvaluation> evaluations, int count)
    {
        var first = evaluations[0];
        var rows = Enumerable.Range(0, Math.Min(count, first.Names.Count)).SelectMany(i =>
            new[] { (IReadOnlyList<string>)[first.Names[i], "reference", first.References[i]] }
                .Concat(evaluations.Select(e => (IReadOnlyList<string>)[first.Names[i], e.System, e.Hypotheses[i]]))).ToList();
        return new ResultTable($"Example translations ({first.Split})", ["clip", "system", "text"], rows);
    }

    private TranslationExperiment Ensure(string name, TranslationConfig config, SignFeatureStore? features, string? g2tWeights)
    {
        var vocabulary = TranslationTrainer.BuildVocabulary(Workbench.Dataset, Workbench.Vocabulary);
        var resolved = TranslationTrainer.Resolve(config, vocabulary);
        var identity = JsonSerializer.Serialize(resolved, ConfigJson.Options) + "|" + features?.Weights + "|" + g2tWeights;
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(identity)))[..8].ToLowerInvariant();
        var run = new RunDirectory(Path.Combine(Workbench.RunsRoot, $"{name}-{hash}"));
        if (run.ResolveCheckpoint("last") is { } last && run.ReadState(last).Epoch == resolved.Epochs - 1)
        {
            _log.WriteLine($"{name}: reusing the finished run {run.Root}");
            return new TranslationExperiment(name, run, resolved, true, TimeSpan.Zero);
        }
        if (Directory.Exists(run.Root)) Directory.Delete(run.Root, true); // an interrupted translation run restarts (they take minutes)
        _log.WriteLine($"{name}: training ({resolved.Stage}, {resolved.Epochs} epochs) in {run.Root}");
        var result = new TranslationTrainer(resolved, run, Workbench.Dataset, _log, Workbench.Vocabulary) { Features = features, Gloss2TextWeights = g2tWeights }.Run();
        return new TranslationExperiment(name, run, resolved, false, result.Elapsed);
    }
}
