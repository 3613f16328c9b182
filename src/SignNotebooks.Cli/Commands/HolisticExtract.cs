using System.Diagnostics;
using System.Globalization;
using SignNotebooks.Keypoints;
using SignNotebooks.Pose;
using SignNotebooks.Pose.Holistic;
using SignNotebooks.Synthetic;

namespace SignNotebooks.Cli.Commands;

/// <summary><c>signnb extract-keypoints --model mediapipe-holistic</c>: MediaPipe Holistic on one clip.</summary>
internal static class HolisticExtract
{
    public const string ModelName = HolisticPipeline.ModelName;

    public const string Usage = """
        signnb extract-keypoints --model mediapipe-holistic (--frames DIR | --video V) --out FILE.npy|FILE.pose
                                 [--raw FILE.npy] [--pose-model lite|full|heavy] [--static] [--threads N] [--fps F]
          MediaPipe Holistic (@mediapipe/holistic 0.5.1675471629, Apache-2.0; `signnb mediapipe fetch` converts it):
          pose 33 → COCO body 17 (score = visibility), hands 21 → 1:1, face mesh 468 → face 68; feet score 0.
          --out FILE.pose writes pose-format v0.2 (COCO-WholeBody component); --fps its frame rate (default: the
                           video's, else 25)
          --raw FILE.npy   also the raw landmarks, float32 (T, 543, 5): pose 33, left hand 21, right hand 21, face 468
                           × (x, y, z, visibility, presence) in frame pixels, NaN where a part was not found
          --pose-model     pose landmark model (default full, Holistic's model_complexity 1)
          --static         detect the person in every frame instead of tracking (MediaPipe's static_image_mode)
        """;

    public static int Run(CliArgs args)
    {
        string outPath = args.Require("out");
        string? frames = args.Get("frames"), video = args.Get("video"), rawPath = args.Get("raw");
        string poseModel = args.GetOr("pose-model", "full");
        bool isStatic = args.Flag("static");
        int threads = args.GetInt("threads", 0, min: 0);
        double? fps = args.GetDoubleOrNull("fps", min: 0, max: 65535, exclusiveMin: true);
        args.Get("format");   // --format pose is accepted; the file name decides
        args.EnsureAllUsed();
        if ((frames is null) == (video is null)) throw new UsageException("--model mediapipe-holistic takes exactly one of --frames DIR and --video V");
        bool pose = outPath.EndsWith(".pose", StringComparison.OrdinalIgnoreCase);
        if (!pose && !outPath.EndsWith(".npy", StringComparison.OrdinalIgnoreCase)) throw new UsageException("--out must end in .npy or .pose with --model mediapipe-holistic");
        if (fps is not null && !pose) throw new UsageException("--fps is the frame rate stored in a .pose file: --out must end in .pose");
        if (rawPath is not null && !rawPath.EndsWith(".npy", StringComparison.OrdinalIgnoreCase)) throw new UsageException("--raw must end in .npy");
        if (poseModel is not ("lite" or "full" or "heavy")) throw new UsageException($"--pose-model takes lite, full or heavy (got '{poseModel}')");
        if (frames is not null && !Directory.Exists(frames)) throw new UsageException($"--frames {frames}: no such folder");
        if (video is not null && !File.Exists(video)) throw new UsageException($"--video {video}: no such file");

        var options = new HolisticOptions(threads, "pose_landmark_" + poseModel, Track: !isStatic);
        using var pipeline = new HolisticPipeline(options, line => Console.Error.WriteLine(line));
        int? total = frames is null ? VideoReader.FrameCount(video!) : FrameFolderReader.List(frames).Count;
        var source = frames is not null ? FrameFolderReader.Read(frames) : VideoReader.Read(video!);
        var sw = Stopwatch.StartNew();
        var last = TimeSpan.Zero;
        var clip = HolisticExtraction.Run(pipeline, source, (done, rate) =>
        {
            if (sw.Elapsed - last < TimeSpan.FromSeconds(0.5)) return;
            last = sw.Elapsed;
            Console.Error.Write($"\r  {done}{(total is int n ? $"/{n}" : "")} frames, {rate:F1} frames/s ");
        });
        if (last > TimeSpan.Zero) Console.Error.WriteLine();
        int t = clip.Frames;
        var dir = Path.GetDirectoryName(Path.GetFullPath(outPath));
        if (dir is not null) Directory.CreateDirectory(dir);
        if (pose)
        {
            float rate = (float)(fps ?? (video is null ? null : VideoReader.FrameRate(video)) ?? 25);
            PoseFile.Write(outPath, PoseFile.FromWholeBody(clip.Keypoints, t, rate, clip.Width, clip.Height));
        }
        else NpyWriter.Write(outPath, clip.Keypoints, t, WholeBody.Count, WholeBody.Values);
        if (rawPath is not null) NpyWriter.Write(rawPath, clip.Raw, t, HolisticWholeBody.RawPoints, HolisticWholeBody.RawValues);
        var (p, l, r, f) = clip.Found;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"extract-keypoints: {t} frames -> {outPath} ({t}, {WholeBody.Count}, {WholeBody.Values}) in {clip.Seconds:F1} s ({clip.FramesPerSecond:F1} frames/s, MediaPipe Holistic on {pipeline.Provider}); found pose {p}, left hand {l}, right hand {r}, face {f} of {t} frames; {clip.Detections} pose detections"));
        return 0;
    }
}
