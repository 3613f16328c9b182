using System.Globalization;
using SignNotebooks.Inference;
using SignNotebooks.Keypoints;
using SignNotebooks.Pose;
using SignNotebooks.Pose.Holistic;
using SignNotebooks.Synthetic;
using SignNotebooks.Training;
using SignNotebooks.Translation;

namespace SignNotebooks.Cli.Commands;

/// <summary>`signnb recognize`: a video (or frames folder) in, glosses with their time spans out, on the CPU.</summary>
public sealed class RecognizeCommand : ICommand
{
    public string Name => "recognize";
    public string Summary => "Glosses with their time spans in a video: pose model -> heatmaps -> trained checkpoint -> CTC beam search.";
    public string Usage => """
        signnb recognize (--video V | --frames DIR) --checkpoint RUN[/checkpoints/best] [--pose-model P.onnx|mediapipe-holistic]
                         [--beam 5] [--head NAME] [--fps F] [--threads N] [--translation RUN] [--detector D.onnx]
                         [--save-keypoints K.npy]
          --checkpoint   a run of `signnb train` (its best checkpoint) or a checkpoint folder; a Sign2Text
                         run (`train --stage s2t`) stands for its recognition run and adds its translation
          --translation  a translation run: Sign2Text (trained on this checkpoint's features) or Gloss2Text
          --pose-model   the keypoint extractor, one of:
                           P.onnx              an ONNX whole-body model (HRNet, RTMPose, … 133 COCO-WholeBody points)
                           mediapipe-holistic  MediaPipe Holistic (real video; `signnb mediapipe fetch` converts it),
                                               mapped to (T, 133, 3) as `extract-keypoints --model mediapipe-holistic`
                         default: the SynthSign pose model of the run's corpus profile,
                         artifacts/pose/synthsign-<profile>.onnx, trained on first use: `signnb pose train`
          --save-keypoints K.npy  also write the (T, 133, 3) keypoints the keypoint stream read (float32)
          --detector D   an mmdeploy/mmdet end2end ONNX person detector (see extract-keypoints); default: the whole frame
          --beam N       CTC prefix beam width (default: the run's test beam, 5)
          --head NAME    which head to decode (default: the head the run selected checkpoints by)
          --fps F        frame rate for the time spans (default: the video's own; 25 for a frames folder)
        Prints one line per gloss: start–end in seconds, frames, gloss; then the gloss sentence (and the translation).
        """;

    public int Run(CliArgs args)
    {
        string checkpoint = args.Require("checkpoint");
        string? video = args.Get("video"), frames = args.Get("frames"), poseModel = args.Get("pose-model"), head = args.Get("head"),
            translation = args.Get("translation"), detector = args.Get("detector"), saveKeypoints = args.Get("save-keypoints");
        int? beam = args.GetIntOrNull("beam", min: 1);
        double? fps = args.GetDoubleOrNull("fps", min: 0, exclusiveMin: true);
        int threads = args.GetInt("threads", 0, min: 0);
        args.EnsureAllUsed();
        if ((video is null) == (frames is null)) throw new UsageException("give exactly one of --video V and --frames DIR");
        if (poseModel is not null && poseModel != HolisticPipeline.ModelName && !File.Exists(poseModel))
            throw new UsageException($"--pose-model {poseModel}: no such file. --pose-model takes an ONNX whole-body model file (P.onnx) or " +
                $"{HolisticPipeline.ModelName}; leave it out for the SynthSign pose model");
        if (saveKeypoints is not null && !saveKeypoints.EndsWith(".npy", StringComparison.OrdinalIgnoreCase)) throw new UsageException("--save-keypoints must end in .npy");
        if (poseModel == HolisticPipeline.ModelName && detector is not null)
            throw new UsageException($"--detector is for ONNX top-down pose models; {HolisticPipeline.ModelName} detects the person itself: drop --detector");

        // A Sign2Text run (its folder, or one of its checkpoint folders) names the recognition checkpoint whose features it reads: recognise with that one.
        var runRoot = RunDirectory.RootOf(checkpoint);
        if (translation is null && File.Exists(Path.Combine(runRoot, RecognitionSource.FileName)))
        {
            translation = checkpoint;
            checkpoint = Path.GetDirectoryName(RecognitionSource.Load(runRoot).Weights)!;
        }
        double rate = fps ?? (video is not null ? VideoReader.FrameRate(video) ?? 25 : 25);
        var source = video is not null ? VideoReader.Read(video) : FrameFolderReader.Read(frames!);
        using var recognizer = VideoRecognizer.Open(checkpoint, poseModel, beam, head, new PoseEstimatorOptions(Threads: threads), Console.Error, translation, detector);
        var clip = source.ToList();
        var r = recognizer.Recognize(clip, rate);
        if (saveKeypoints is not null)
        {
            if (r.Keypoints.Length == 0) throw new UsageException($"--save-keypoints: the checkpoint {recognizer.CheckpointDir} has no keypoint stream, so no keypoints were extracted");
            var dir = Path.GetDirectoryName(Path.GetFullPath(saveKeypoints));
            if (dir is not null) Directory.CreateDirectory(dir);
            NpyWriter.Write(saveKeypoints, r.Keypoints, r.Frames, WholeBody.Count, WholeBody.Values);
        }
        var inv = CultureInfo.InvariantCulture;
        foreach (var g in r.Glosses)
            Console.WriteLine(string.Create(inv, $"{g.StartSeconds,6:F2}–{g.EndSeconds:F2} s  frames {g.StartFrame}–{g.EndFrame}  {g.Gloss}"));
        Console.WriteLine($"glosses: {(r.Glosses.Count == 0 ? "(none)" : r.GlossText)}");
        if (r.Translation is not null) Console.WriteLine($"translation: {r.Translation}");
        Console.WriteLine(string.Create(inv,
            $"recognize: {r.Frames} frames at {r.FrameRate:0.##} fps ({r.Frames / r.FrameRate:F1} s), head {r.Head}, pose {(recognizer.PoseModelLabel is { } label ? label + " " : "")}{r.PoseSeconds:F1} s " +
            $"({r.Frames / Math.Max(r.PoseSeconds, 1e-9):F0} frames/s{(recognizer.PoseModelPath is null ? ", no keypoint stream" : "")}), network + decoding {r.ModelSeconds:F1} s{(r.Boxes is { } b ? $", person boxes: {b.Detected}/{b.Frames} detected, {b.PreviousBox} previous, {b.WholeFrame} whole frame" : "")}"));
        return 0;
    }
}
