using SignNotebooks.Corpora;
using SignNotebooks.Data;
using SignNotebooks.Synthetic;
using SignNotebooks.Training;
using SignNotebooks.Util;

namespace SignNotebooks.Cli.Commands;

public sealed class TrainCommand : ICommand
{
    public string Name => "train";
    public string Summary => "Train a stage (pretrain-video/keypoint, video, keypoint, joint, g2t, s2t); atomic checkpoints, --resume.";
    public string Usage => """
        signnb train [--stage pretrain-video|pretrain-keypoint|video|keypoint|joint|g2t|s2t] [--profile tiny|standard|paper]
                     [--config FILE.json] [--out runs/NAME] [--resume] [--device cpu|cuda] [--init FILE]
                     [--video RUN] [--keypoint RUN] [--print-config]
                     [--dataset synthsign|phoenix-2014|phoenix-2014t|csl-daily --data-root DIR]
                     [--recognition RUN] [--g2t RUN] [--source video|keypoint|joint] [--mapper projection|probabilities]
          --stage     which stage of the recipe (default joint; spec §7.1); pretrain-video|pretrain-keypoint is stage 0,
                      SynthSign's stand-in for the Kinetics-400 checkpoint (frame labels; SynthSign only)
          --init      weights the video/keypoint stage starts from: a Kinetics-400 S3D file (kylemin or torchvision)
                      or a stage-0 run's checkpoints/best/model.pt (default at the standard profile: the committed
                      data/pretrained/synthsign-standard-<stream>.pt)
          --profile   tiny (CI), standard (CPU workbook, default) or paper (the released recipe)
          --config    JSON file with overrides of the resolved config (see --print-config for the keys)
          --out       run folder (default runs/<stage>-<profile>)
          --resume    continue the run in --out from its last checkpoint
          --video, --keypoint   for --stage joint: the runs of the two single-stream stages to merge
          --print-config        print the resolved config and exit
          --dataset, --data-root  train on a real corpus instead of SynthSign: the unpacked release or SLRT's
                                data/<dataset>/ folder (gloss2ids.pkl and <dataset>-keypoints.pkl are taken from there)
          --device    cpu, or cuda with a CUDA build (-p:TorchBackend=cuda); not testable on a CPU-only machine
        """ + "\n" + TranslationStages.TrainUsage;

    public int Run(CliArgs args)
    {
        if (TranslationStages.IsTranslation(args.GetOr("stage", "joint"))) return TranslationStages.Train(args, args.GetOr("stage", "joint"));
        bool stageGiven = args.Has("stage"), profileGiven = args.Has("profile");
        var stage = ParseStage(args.GetOr("stage", "joint"));
        var profile = args.GetOr("profile", "standard");
        var configFile = args.Get("config");
        var device = args.GetOr("device", "cpu");
        string? datasetName = args.Get("dataset"), dataRoot = args.Get("data-root");
        bool resume = args.Flag("resume"), print = args.Flag("print-config");
        var video = args.Get("video");
        var keypoint = args.Get("keypoint");
        var init = args.Get("init");
        var outDir = args.GetOr("out", Path.Combine("runs", $"{stage.ToString().ToLowerInvariant()}-{profile}"));
        args.EnsureAllUsed();
        var torchDevice = ComputeDevice.Resolve(device);

        var config = TrainingProfiles.ForCorpus(TrainingProfiles.Get(profile, stage), datasetName, dataRoot);
        var fileSets = configFile is null ? null : ConfigFileKeys.Read(configFile);
        if (configFile is not null)
        {
            // Flags and the file name the same setting differently: neither silently wins.
            fileSets!.Contradicts("--init", init, "Init", v => v);
            fileSets.Contradicts("--dataset", datasetName, "Corpus", v => v is "" or "synthsign" ? "synthsign" : v);
            fileSets.Contradicts("--data-root", dataRoot, "DataRoot", v => v.Length == 0 ? v : Path.GetFullPath(v));
            config = ConfigJson.Load(config, configFile);
            // A flag given on the command line and a config file that says otherwise: neither silently wins.
            if (stageGiven && config.Stage != stage)
                throw new UsageException($"--stage {args.Get("stage")} contradicts {configFile}, which sets Stage = {config.Stage}. Fix: drop Stage from the file or change the flag.");
            if (profileGiven && config.Profile != profile)
                throw new UsageException($"--profile {profile} contradicts {configFile}, which sets Profile = {config.Profile}. Fix: drop Profile from the file or change the flag.");
        }
        if (init is not null) config = config with { Init = init };
        config.Validate(configFile ?? "config");
        // The weights a run starts from must fit its corpus and stream (e.g. SynthSign stage-0 weights on Phoenix).
        InitProvenance.Check(config,
            init is not null ? "--init" : fileSets?.Has("Init") == true ? $"Init in {configFile}" : $"the {profile} profile's Init",
            datasetName is not null ? "--dataset" : fileSets?.Has("Corpus") == true ? $"Corpus in {configFile}" : "no --dataset: SynthSign");
        var (dataset, vocabulary, description) = CorpusSource.ForRun(datasetName ?? config.Corpus, config.DataRoot, config.CorpusProfile, config.CorpusSeed);
        // The config the run will use: stream kind and classifier size fixed by the stage and the corpus.
        if (print) { Console.WriteLine(ConfigJson.ForReading(Trainer.Resolve(config, vocabulary))); return 0; }
        Console.WriteLine($"corpus: {description}");
        var trainer = new Trainer(config, new RunDirectory(outDir), dataset, vocabulary, Console.Out, liveProgress: ProgressBar.IsTerminal(Console.Out))
        {
            Device = torchDevice,
            InitFromStages = stage == TrainingStage.Joint && (video is not null || keypoint is not null)
                ? (StageWeights(video, "--video"), StageWeights(keypoint, "--keypoint")) : null,
        };
        Console.WriteLine(ConfigJson.Serialize(trainer.Config));
        var result = trainer.Run(resume);
        Console.WriteLine($"done: best {result.SelectionHead} dev WER {result.BestScore:F2} at epoch {result.BestEpoch}; " +
                          $"{result.EpochsRun} epoch(s) in {result.Elapsed.TotalMinutes:F1} min; checkpoints in {Path.Combine(result.RunDir, "checkpoints")}");
        return 0;
    }

    internal static TrainingStage ParseStage(string s) => s.ToLowerInvariant() switch
    {
        "video" => TrainingStage.Video,
        "pretrain-video" => TrainingStage.PretrainVideo,
        "pretrain-keypoint" => TrainingStage.PretrainKeypoint,
        "keypoint" => TrainingStage.Keypoint,
        "joint" => TrainingStage.Joint,
        _ => throw new UsageException($"--stage must be pretrain-video, pretrain-keypoint, video, keypoint, joint, g2t or s2t (got '{s}')"),
    };

    private static string StageWeights(string? run, string option)
    {
        if (run is null) throw new UsageException($"--stage joint needs both --video and --keypoint (missing {option})");
        var dir = new RunDirectory(run);
        var best = dir.ResolveCheckpoint("best") ?? throw new UserFacingException(
            $"{option} {run}: no complete best checkpoint there. Fix: train that stage first (signnb train --stage {option.TrimStart('-')} --out {run}).");
        return Path.Combine(best, "model.pt");
    }
}
