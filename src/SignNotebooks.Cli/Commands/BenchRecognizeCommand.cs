using System.Diagnostics;
using System.Globalization;
using SignNotebooks.Inference;
using SignNotebooks.Pose;
using SignNotebooks.Synthetic;
using SignNotebooks.Training;
using SignNotebooks.Util;

namespace SignNotebooks.Cli.Commands;

/// <summary>`signnb bench recognize`: end-to-end time of `recognize` on a SynthSign clip of a given length, written as mp4.</summary>
public sealed class BenchRecognizeCommand : ICommand
{
    public string Name => "bench recognize";
    public string Summary => "End-to-end `recognize` time (mp4 decode, pose, network, beam search) for a SynthSign video of N seconds.";
    public string Usage => """
        signnb bench recognize --checkpoint RUN [--seconds 10] [--fps 25] [--pose-model P.onnx|mediapipe-holistic] [--threads N]
                               [--keep V.mp4]
          Joins dev clips of the run's SynthSign profile into one video of --seconds at --fps, writes it as H.264 mp4
          with ffmpeg, then times what `signnb recognize --video` does: opening the checkpoint and pose model, decoding
          the video, extracting keypoints, the network and CTC beam search.
        """;

    public int Run(CliArgs args)
    {
        string checkpoint = args.Require("checkpoint");
        double seconds = args.GetDouble("seconds", 10, min: 0, exclusiveMin: true), fps = args.GetDouble("fps", 25, min: 0, exclusiveMin: true);
        string? poseModel = args.Get("pose-model"), keep = args.Get("keep");
        int threads = args.GetInt("threads", 0, min: 0);
        args.EnsureAllUsed();
        if (seconds <= 0 || fps <= 0) throw new UsageException("--seconds and --fps must be positive");

        var (_, _, config, opened, _) = RunEvaluation.Open(checkpoint);
        var dataset = opened as SynthSignDataset ?? throw new UserFacingException($"{checkpoint} was trained on {config.Corpus}; bench recognize builds its video from SynthSign clips. Fix: pass a SynthSign run.");
        int want = (int)Math.Round(seconds * fps);
        var frames = new List<RgbFrame>(want);
        for (int i = 0; frames.Count < want; i++)
        {
            var clip = dataset.Generate("dev", i % dataset.Profile.DevClips);
            frames.AddRange(Enumerable.Range(0, Math.Min(clip.FrameCount, want - frames.Count)).Select(t => SynthPoseTrainer.FrameOf(clip, t)));
        }
        string video = keep ?? Path.Combine(Path.GetTempPath(), $"signnb-bench-recognize-{Environment.ProcessId}.mp4");
        try
        {
            FfmpegVideoReader.Write(video, frames, fps);
            if (poseModel is null && config.Streams.HasFlag(Data.InputStreams.Heatmaps))
                SynthPoseModel.GetOrTrain(config.CorpusProfile, log: Console.Out);   // trained outside the timing
            var total = Stopwatch.StartNew();
            using var recognizer = VideoRecognizer.Open(checkpoint, poseModel, poseOptions: new PoseEstimatorOptions(Threads: threads));
            double open = total.Elapsed.TotalSeconds;
            var decodeClock = Stopwatch.StartNew();
            var decoded = VideoReader.Read(video).ToList();
            double decode = decodeClock.Elapsed.TotalSeconds;
            var r = recognizer.Recognize(decoded, VideoReader.FrameRate(video) ?? fps);
            double all = total.Elapsed.TotalSeconds;
            var load = BenchCommon.LoadAverage();
            var inv = CultureInfo.InvariantCulture;
            Console.WriteLine(string.Create(inv, $"video      : {r.Frames} frames of {frames[0].Width}×{frames[0].Height} at {fps:0.##} fps = {r.Frames / fps:F1} s (SynthSign {config.CorpusProfile} dev clips)"));
            Console.WriteLine(string.Create(inv, $"machine    : {Environment.ProcessorCount} cores, load average (1 min) {load}"));
            Console.WriteLine(string.Create(inv, $"recognize  : {all:F1} s end to end = open {open:F1} s + decode {decode:F1} s + pose {r.PoseSeconds:F1} s ({r.Frames / Math.Max(r.PoseSeconds, 1e-9):F0} frames/s) + network and beam {r.ModelSeconds:F1} s"));
            Console.WriteLine($"glosses    : {r.Glosses.Count} ({r.Head}): {r.GlossText}");
            return 0;
        }
        finally
        {
            if (keep is null && File.Exists(video)) File.Delete(video);
        }
    }
}
