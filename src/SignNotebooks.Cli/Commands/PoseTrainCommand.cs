using System.Globalization;
using SignNotebooks.Keypoints;
using SignNotebooks.Pose;
using SignNotebooks.Synthetic;

namespace SignNotebooks.Cli.Commands;

/// <summary>`signnb pose train`: the SynthSign pose model, trained in TorchSharp and written as ONNX.</summary>
public sealed class PoseTrainCommand : ICommand
{
    public string Name => "pose train";
    public string Summary => "Train the small SynthSign pose model in TorchSharp and write it as ONNX (default: the artifacts/pose cache).";
    public string Usage => """
        signnb pose train [--profile tiny|standard] [--out P.onnx] [--steps N] [--eval-clips N]
          Trains the fixed small heatmap network (Pose/SynthPoseConfig) on SynthSign train frames with their true
          keypoints, folds BatchNorm into the convs and writes an ONNX model that `extract-keypoints --model` and
          `recognize --pose-model` open like any HRNet export. Then prints PCK on dev clips per part, next to the
          corpus's simulated detector and the mean-pose baseline.
          --out       default artifacts/pose/synthsign-<profile>.onnx (the model `recognize` uses by default)
          --steps N   optimiser steps (default: tiny 200, standard 1500)
          --eval-clips N   dev clips for PCK (default 8; 0 skips)
        """;

    public int Run(CliArgs args)
    {
        var profile = args.GetOr("profile", "tiny");
        var config = SynthPoseConfig.For(SynthProfile.Get(profile).Name);
        if (args.Has("steps")) config = config with { Steps = args.GetInt("steps", config.Steps, min: 1) };
        string outPath = args.GetOr("out", SynthPoseModel.CachePath(config.Profile));
        int evalClips = args.GetInt("eval-clips", 8, min: 1);
        args.EnsureAllUsed();
        if (config.Steps < 1) throw new UsageException("--steps must be at least 1");
        if (evalClips < 0) throw new UsageException("--eval-clips must be 0 or more");

        var trained = SynthPoseTrainer.Train(config, Console.Out);
        long parameters = SynthPoseExport.Write(trained.Net, outPath);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"pose train: {trained.Frames} frames, {config.Steps} steps in {trained.Seconds:F1} s, final loss {trained.Losses[^1]:E3}; {parameters:N0} parameters -> {outPath} ({new FileInfo(outPath).Length / 1024.0:F0} KB)"));
        if (evalClips == 0) return 0;
        using var est = PoseEstimator.Open(outPath, new PoseEstimatorOptions(ExpectedKeypoints: WholeBody.Count));
        var report = SynthPoseEvaluation.Evaluate(est, new SynthSignDataset(config.Profile, config.CorpusSeed), "dev", evalClips);
        Console.WriteLine(report.Table().ToMarkdown());
        return 0;
    }
}
