using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using SignNotebooks.Checkpoints;
using SignNotebooks.Corpora;
using SignNotebooks.Models;
using SignNotebooks.Synthetic;
using SignNotebooks.Training;
using SignNotebooks.Util;

namespace SignNotebooks.Cli.Commands;

public sealed class PretrainIsolatedCommand : ICommand
{
    public string Name => "pretrain-isolated";
    public string Summary => "Stage 0's isolated-sign phase: class-balanced sign windows train a stage-0 file's backbone further (SynthSign's WLASL stand-in).";
    public string Usage => """
        signnb pretrain-isolated --stream keypoint|video [--profile standard|tiny] [--init FILE.pt] [--steps 600]
                                 [--batch 32] [--window 8] [--clips N] [--seed 0] [--lr 1e-3] [--final-lr R]
                                 [--emphasis balanced|errors] [--config FILE.json] [--out FILE.pt]
          Cuts one window of --window input frames around every sign of SynthSign's train split (true gloss spans),
          trains the stream's S3D backbone with a linear gloss classifier on windows drawn class-balanced (every gloss
          equally often), and writes the stage-0 model with that backbone (heads unchanged) to --out, with
          FILE.meta.json saying how it was made. Use it as `signnb train --stage keypoint|video --init FILE.pt`.
          --init   the stage-0 weights to start from (default: the profile's committed frame-label stage-0 file,
                   data/pretrained/synthsign-standard-<stream>.pt;
                   the tiny profile has none and starts from scratch)
          --clips  cut windows from the first N train clips only (default: all; windows are held as float16,
                   about 1.3 GB for the standard keypoint stream's 7,255 windows)
          --final-lr  cosine from --lr at the first step to R at the last (default: constant --lr)
          --emphasis  balanced (default): every gloss equally often; errors: glosses in proportion to 0.1 plus
                      their running error rate in training (the glosses still confused get the steps)
          --config    overrides merged over the profile's stream config, as `signnb train --config` (e.g. a larger
                      Input.RgbSize to see whether a gloss becomes readable); the meta records the file's text
          Prints the running loss, eval-mode window accuracy (train, dev) and the five hardest dev glosses every 100 steps,
          and at the end the dev window accuracy of every gloss.
        """;

    public int Run(CliArgs args)
    {
        var streamName = args.Require("stream");
        var profile = args.GetOr("profile", "standard");
        var init = args.Get("init");
        var configFile = args.Get("config");
        var settings = new IsolatedSignConfig(
            Steps: args.GetInt("steps", 600, min: 1),
            BatchSize: args.GetInt("batch", 32, min: 1),
            WindowFrames: args.GetInt("window", 8, min: 4),
            MaxClips: args.GetIntOrNull("clips", min: 1),
            Seed: args.GetInt("seed", 0),
            LearningRate: args.GetDouble("lr", 1e-3, min: 0, exclusiveMin: true),
            FinalLearningRate: args.GetDoubleOrNull("final-lr", min: 0, exclusiveMin: true),
            Emphasis: args.GetOr("emphasis", "balanced") switch
            {
                "balanced" => DrawEmphasis.Balanced,
                "errors" => DrawEmphasis.Errors,
                var e => throw new UsageException($"--emphasis must be balanced or errors (got '{e}')"),
            });
        var stage = streamName switch
        {
            "keypoint" => TrainingStage.Keypoint,
            "video" => TrainingStage.Video,
            _ => throw new UsageException($"--stream must be keypoint or video (got '{streamName}')"),
        };
        var outPath = Path.GetFullPath(args.GetOr("out", $"runs/pretrain-isolated-{streamName}-{profile}.pt"));
        args.EnsureAllUsed();
        if (settings.WindowFrames % 4 != 0) throw new UsageException($"--window {settings.WindowFrames}: a window is a multiple of 4 frames (the backbone's temporal stride).");

        var config = TrainingProfiles.Get(profile, stage);
        // The phase continues the frame-label stage 0, not the profile's stream init (which is this phase's own output).
        var defaultInit = config.Init is null ? null : TrainingProfiles.PretrainedFile(profile, config.StreamKind);
        string? overrides = null;
        if (configFile is not null)
        {
            var keys = ConfigFileKeys.Read(configFile);
            keys.Contradicts("--init", init, "Init", v => v);
            if (keys.Has("Init")) defaultInit = null;
            config = ConfigJson.Load(config, configFile);
            if (config.Stage != stage)
                throw new UsageException($"--stream {streamName} contradicts {configFile}, which sets Stage = {config.Stage}. Fix: drop Stage from the file.");
            config.Validate(configFile);
            overrides = File.ReadAllText(configFile).Trim();
        }
        init ??= defaultInit ?? config.Init;
        var (dataset, vocabulary, description) = CorpusSource.ForRun(config.Corpus, config.DataRoot, config.CorpusProfile, config.CorpusSeed);
        if (dataset is not SynthSignDataset)
            throw new UserFacingException("pretrain-isolated needs SynthSign's gloss boundaries. Fix: use a SynthSign profile.");
        var model = ModelRegistry.Create(Trainer.Resolve(config, vocabulary).Model);
        if (init is not null)
        {
            if (!File.Exists(init)) throw new UserFacingException($"--init {init}: no such file. Fix: give a stage-0 file (signnb train --stage pretrain-{streamName}) or run from the repository root.");
            CheckpointLoader.Load(model, init, new LoadOptions { Strict = true });
        }
        Console.WriteLine($"corpus: {description}; {streamName} stream of the {profile} profile, from {init ?? "scratch"}");

        var open = config with { MaxTrainClips = null };
        using var train = IsolatedWindows.Cut(Trainer.EvalLoader(open, dataset, vocabulary, "train"), vocabulary.BlankId, settings.WindowFrames, settings.MaxClips);
        using var dev = IsolatedWindows.Cut(Trainer.EvalLoader(open, dataset, vocabulary, "dev"), vocabulary.BlankId, settings.WindowFrames);
        Console.WriteLine($"windows: {train.Count} train ({train.Labels.Distinct().Count()} glosses), {dev.Count} dev (first {config.MaxEvalClips} dev clips)");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        IsolatedSignPretraining.Progress? last = null;
        IsolatedSignPretraining.Run(model, train, dev, vocabulary.Count, settings, p =>
        {
            last = p;
            Console.WriteLine($"step {p.Step}/{settings.Steps}: loss {p.Loss:F3}, lr {p.LearningRate:G3}, window accuracy train {p.TrainAccuracy:F1}% dev {p.DevAccuracy:F1}% ({clock.Elapsed.TotalSeconds:F0} s)");
            if (p.DevClassAccuracy is { } perClass)
                Console.WriteLine("  hardest dev glosses: " + string.Join(", ", perClass.Select((a, c) => (a, c)).Where(x => !double.IsNaN(x.a))
                    .OrderBy(x => x.a).Take(5).Select(x => $"{vocabulary.Decode(x.c)} {x.a:F0}%")));
        });

        // Written beside, then moved: an interrupted run never leaves a half-written file under the name.
        var tmp = outPath + ".tmp";
        CheckpointExporter.Save(model, tmp, withPrefix: true);
        File.Move(tmp, outPath, overwrite: true);
        RunDirectory.WriteAtomic(InitProvenance.MetaPath(outPath), Meta(outPath, init, streamName, profile, settings, configFile, overrides, train.Count, last!, clock.Elapsed));
        if (last?.DevClassAccuracy is { } final)
            Console.WriteLine("dev window accuracy per gloss: " + string.Join(", ", final.Select((a, c) => (a, c)).Where(x => !double.IsNaN(x.a))
                .OrderBy(x => x.a).ThenBy(x => x.c).Select(x => $"{vocabulary.Decode(x.c)} {x.a:F0}%")));
        Console.WriteLine($"wrote {outPath} (use: signnb train --stage {streamName} --init {outPath})");
        return 0;
    }

    // The init's own history (its stage-0 run first, which InitProvenance reads), then this phase.
    private static string Meta(string file, string? init, string stream, string profile, IsolatedSignConfig s, string? configFile, string? overrides, int windows,
        IsolatedSignPretraining.Progress last, TimeSpan elapsed)
    {
        var runs = new JsonArray();
        var initMeta = init is null ? null : InitProvenance.MetaPath(init);
        if (initMeta is not null && File.Exists(initMeta) && JsonNode.Parse(File.ReadAllText(initMeta))?["runs"] is JsonArray earlier)
            foreach (var r in earlier) runs.Add(r?.DeepClone());
        var inv = CultureInfo.InvariantCulture;
        runs.Add(new JsonObject
        {
            ["command"] = $"signnb pretrain-isolated --stream {stream} --profile {profile} --steps {s.Steps} --batch {s.BatchSize} --window {s.WindowFrames}" +
                (s.MaxClips is { } c ? $" --clips {c}" : "") + $" --seed {s.Seed}" + FormattableString.Invariant($" --lr {s.LearningRate}") +
                (s.FinalLearningRate is { } f ? FormattableString.Invariant($" --final-lr {f}") : "") + $" --emphasis {s.Emphasis.ToString().ToLowerInvariant()}" +
                (configFile is null ? "" : $" --config {configFile}") + (init is null ? "" : $" --init {init}"),
            ["config"] = new JsonObject { ["Stage"] = stream == "video" ? "PretrainVideo" : "PretrainKeypoint", ["Corpus"] = "synthsign" },
            ["overrides"] = overrides is null ? null : JsonNode.Parse(overrides),
            ["init_sha256"] = init is null ? null : CheckpointDigest.Of(init),
            ["train_windows"] = windows,
            ["final"] = $"loss {last.Loss.ToString("F3", inv)}, window accuracy train {last.TrainAccuracy?.ToString("F1", inv)}% dev {last.DevAccuracy?.ToString("F1", inv)}%",
            ["minutes"] = Math.Round(elapsed.TotalMinutes, 1),
        });
        var meta = new JsonObject
        {
            ["what"] = $"SynthSign stage-0 pretraining with an isolated-sign phase ({(s.Emphasis == DrawEmphasis.Balanced ? "class-balanced" : "error-weighted")} gloss classification of sign windows): " +
                       "the workbook's stand-in for a Kinetics-400 + WLASL checkpoint, NOT the paper's data or weights",
            ["file"] = Path.GetFileName(file),
            ["sha256"] = CheckpointDigest.Of(file),
            ["made_on"] = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", inv),
            ["runs"] = runs,
        };
        return meta.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }
}
