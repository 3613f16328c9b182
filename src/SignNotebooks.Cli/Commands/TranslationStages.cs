using System.Text.Json;
using SignNotebooks.Training;
using SignNotebooks.Translation;
using SignNotebooks.Util;

namespace SignNotebooks.Cli.Commands;

/// <summary>The translation side of `train` (--stage g2t|s2t) and `evaluate` (a translation checkpoint), kept out of the recognition commands.</summary>
internal static class TranslationStages
{
    public const string TrainUsage = """
          --stage g2t  Gloss2Text (spec §10.2); with --dataset phoenix-2014t|csl-daily --data-root DIR on a real corpus
                       (phoenix-2014 has no translations)
          --stage s2t  Sign2Text on a joint run's features: --recognition RUN [--g2t RUN] [--source video|keypoint|joint]
                       [--mapper projection|probabilities] (spec §10.4)
        """;

    public static bool IsTranslation(string stage) => stage.ToLowerInvariant() is "g2t" or "s2t";

    public static int Train(CliArgs args, string stageName)
    {
        var stage = stageName.ToLowerInvariant() == "g2t" ? TranslationStage.Gloss2Text : TranslationStage.Sign2Text;
        var profile = args.GetOr("profile", "standard");
        bool print = args.Flag("print-config");
        var recognition = args.Get("recognition");
        var g2t = args.Get("g2t");
        var source = args.Get("source");
        var mapper = args.Get("mapper");
        var configFile = args.Get("config");
        string? datasetName = args.Get("dataset"), dataRoot = args.Get("data-root");
        var outDir = args.GetOr("out", Path.Combine("runs", $"{stageName.ToLowerInvariant()}-{profile}"));
        args.EnsureAllUsed();
        var config = TranslationProfiles.Get(profile, stage);
        if (source is not null) config = config with { Source = ParseSource(source) };
        if (mapper is not null) config = config with
        {
            Mapper = mapper.ToLowerInvariant() switch
            {
                "projection" => MapperKind.Projection,
                "probabilities" => MapperKind.GlossProbabilities,
                _ => throw new UsageException($"--mapper must be projection or probabilities (got '{mapper}')"),
            },
        };
        config = config.ForCorpus(datasetName, dataRoot);
        if (configFile is not null)
        {
            // Flags and the file name the same setting differently: neither silently wins.
            var fileSets = ConfigFileKeys.Read(configFile);
            fileSets.Contradicts("--dataset", datasetName, "Corpus", v => v is "" or "synthsign" ? "synthsign" : v);
            fileSets.Contradicts("--data-root", dataRoot, "DataRoot", v => v.Length == 0 ? v : Path.GetFullPath(v));
            fileSets.Contradicts("--source", source, "Source", v => v.ToLowerInvariant());
            fileSets.Contradicts("--mapper", mapper, "Mapper", v => v.ToLowerInvariant() is "glossprobabilities" or "probabilities" ? "probabilities" : v.ToLowerInvariant());
            config = ConfigJson.Load(config, configFile);
        }
        config.Validate(configFile ?? "translation config");
        if (print) { Console.WriteLine(ConfigJson.ForReading(config)); return 0; }
        if (stage == TranslationStage.Sign2Text && recognition is null)
            throw new UsageException("--stage s2t needs --recognition RUN (a joint-stage run: signnb train --stage joint)");
        if (stage == TranslationStage.Gloss2Text && (recognition ?? g2t) is not null)
            throw new UsageException("--recognition and --g2t belong to --stage s2t");
        var (dataset, glosses) = config.OpenCorpus();
        SignFeatureStore? features = null;
        if (recognition is not null)
        {
            var rec = RecognitionSource.FromRun(recognition);
            string Named(string? corpus) => corpus is null or "synthsign" ? "synthsign" : corpus;
            if (Named(rec.Config.Corpus) != Named(config.Corpus))
                throw new UserFacingException($"--recognition {recognition} was trained on {Named(rec.Config.Corpus)}, this run reads {Named(config.Corpus)}. Fix: pass the same --dataset and --data-root as the recognition run.");
            if (config.Corpus is null && rec.Config.CorpusProfile != config.CorpusProfile)
                throw new UserFacingException($"--recognition {recognition} was trained on SynthSign {rec.Config.CorpusProfile}, this profile uses {config.CorpusProfile}. Fix: use the same --profile for both.");
            features = new SignFeatureStore(rec.Config, rec.Weights);
        }
        string? g2tWeights = null;
        if (g2t is not null)
        {
            var dir = new RunDirectory(g2t).ResolveCheckpoint("best")
                ?? throw new UserFacingException($"--g2t {g2t}: no best checkpoint there. Fix: train it first (signnb train --stage g2t --out {g2t}).");
            g2tWeights = Path.Combine(dir, "model.pt");
        }
        var trainer = new TranslationTrainer(config, new RunDirectory(outDir), dataset, Console.Out, glosses) { Features = features, Gloss2TextWeights = g2tWeights };
        var result = trainer.Run();
        Console.WriteLine($"done: best dev BLEU-4 {result.BestBleu4:F2} at epoch {result.BestEpoch}; {result.EpochsRun} epoch(s) in {result.Elapsed.TotalMinutes:F1} min; " +
                          $"checkpoints in {Path.Combine(result.RunDir, "checkpoints")}");
        return 0;
    }

    private static TranslationSource ParseSource(string s) => s.ToLowerInvariant() switch
    {
        "video" => TranslationSource.Video,
        "keypoint" => TranslationSource.Keypoint,
        "joint" => TranslationSource.Joint,
        _ => throw new UsageException($"--source must be video, keypoint or joint (got '{s}')"),
    };

    /// <summary>True when the folder is a translation run or checkpoint (it has vocab.json).</summary>
    public static bool IsTranslationCheckpoint(string checkpoint) =>
        checkpoint.Split(',').All(c => File.Exists(Path.Combine(c, "vocab.json")) || File.Exists(Path.Combine(c, "checkpoints", "best", "vocab.json"))
                                       || File.Exists(Path.Combine(c, "checkpoints", "last", "vocab.json")));

    /// <summary>Scores one run, or the multi-source ensemble of comma-separated runs, with BLEU-1..4 and ROUGE-L.</summary>
    /// <param name="dataRoot">A real corpus's folder when it moved since training (default: the recorded one).</param>
    public static int Evaluate(string checkpoint, string split, int? beam, string? dataRoot = null)
    {
        var paths = checkpoint.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var first = TranslationRun.Load(paths[0]);
        var runs = new List<TranslationRun> { first };
        runs.AddRange(paths.Skip(1).Select(p => TranslationRun.Load(p, first.Features)));
        var options = first.Config.TestDecoding with { Beam = beam ?? first.Config.TestBeam };
        var eval = TranslationRun.Evaluate(runs, split, options, log: Console.Out, dataRoot: dataRoot);
        var outDir = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(first.CheckpointDir)!)!, "eval", Path.GetFileName(first.CheckpointDir));
        eval.Save(outDir);
        Console.WriteLine(eval.ToString());
        Console.WriteLine($"{split}, beam {options.Beam}, length penalty {options.LengthPenalty}, {eval.Names.Count} sentences; translations in {Path.Combine(outDir, $"{split}.{eval.System}.tsv")}");
        return 0;
    }
}
