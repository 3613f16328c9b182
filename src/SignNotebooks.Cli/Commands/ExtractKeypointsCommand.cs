using System.Diagnostics;
using System.Globalization;
using SignNotebooks.Corpora;
using SignNotebooks.Keypoints;
using SignNotebooks.Pose;
using SignNotebooks.Synthetic;

namespace SignNotebooks.Cli.Commands;

public sealed class ExtractKeypointsCommand : ICommand
{
    public string Name => "extract-keypoints";
    public string Summary => "Whole-body keypoints (T, 133, 3) of a video or a frames folder with an ONNX pose model.";
    public string Usage => """
        signnb extract-keypoints --model P.onnx (--frames DIR | --video V) --out FILE.npy|FILE.pkl [--name KEY]
        signnb extract-keypoints --model P.onnx (--frames DIR | --video V) --format pose --out FILE.pose [--fps F]
        signnb extract-keypoints --model P.onnx (--videos DIR | --frames-root DIR | --corpus DATASET --root DIR|PROFILE
                                 [--split dev|all]) --out FILE.pkl [--shard i/N]
                                 [--threads N] [--device auto|cpu|cuda] [--refine dark|quarter|none] [--channel-order rgb|bgr]
                                 [--input-size WxH] [--box X,Y,W,H | --detector D.onnx [--det-threshold 0.3] [--detector-input-size WxH]]
                                 [--padding 1.0]
          --model          a top-down COCO-WholeBody model: heatmap (HRNet) or SimCC (RTMPose/RTMW/DWPose) outputs
          --frames DIR     PNG/JPG frames in natural name order; --video V: any file ffmpeg decodes (mp4, avi, …)
          --out FILE.npy   float32 (T, 133, 3) = (x, y, score) in frame pixels (spec §1.2); FILE.pkl: SLRT's pickle
                           layout, name → {'keypoints': float32 (T, 133, 3)}, readable by pickle.load and `data check`
          --format pose    write FILE.pose instead (pose-format v0.2, one COCO-WholeBody component "XYC", 133 points
                           with limbs, confidence = score); --fps F is its frame rate (default 25)
          --name KEY       the pickle key of a single clip (default: the video's file name without extension / the folder name)
          --videos DIR     every video of a folder (key: file name); --frames-root DIR: every frame folder under DIR (key: folder name)
          --corpus D       phoenix-2014 | phoenix-2014t | csl-daily with --root DIR (keys: SLRT's names, spec §9), or
                           synthsign with --root tiny|standard|large (keys: split/name); --split (default all)
          --shard i/N      only every N-th clip in name order, starting at i (0-based): N processes split a corpus
          --threads N      ONNX Runtime threads (default: one per core); --device: CUDA only in the GPU build
          --refine         heatmap sub-pixel refinement (default dark, the paper's); ignored for SimCC models
          --channel-order, --input-size   override what the ONNX graph cannot say or leaves dynamic
          --box X,Y,W,H    the person box in frame pixels (default: the whole frame); --padding scales it
          --detector D     an mmdeploy/mmdet end2end ONNX detector (outputs dets (1,N,5), labels (1,N)): per frame the best
                           person scoring ≥ --det-threshold; none → the previous frame's box, else the whole frame (counted
                           on stderr); --padding then defaults to 1.25 (mmpose); --detector-input-size for a dynamic input
        """ + "\n" + HolisticExtract.Usage;

    public int Run(CliArgs args)
    {
        if (args.Get("model") == HolisticExtract.ModelName) return HolisticExtract.Run(args);
        string model = args.Require("model"), outPath = args.Require("out");
        string? frames = args.Get("frames"), video = args.Get("video"), videos = args.Get("videos"), framesRoot = args.Get("frames-root");
        string? corpus = args.Get("corpus"), root = args.Get("root"), name = args.Get("name");
        string? shardText = args.GetShard()?.ToString();   // checked here: a usage error before any work
        string split = args.GetOr("split", "all"), format = args.GetOr("format", "npy");
        bool fpsGiven = args.Get("fps") is not null;
        double poseFps = args.GetDouble("fps", 25, min: 0, max: 65535, exclusiveMin: true);
        int threads = args.GetInt("threads", 0, min: 0);
        string device = args.GetOr("device", "auto"), refine = args.GetOr("refine", "dark");
        string? order = args.Get("channel-order"), size = args.Get("input-size"), boxText = args.Get("box");
        string? detectorPath = args.Get("detector"), detSize = args.Get("detector-input-size");
        double detThreshold = args.GetDouble("det-threshold", 0.3, min: 0, max: 1);
        double padding = args.GetDouble("padding", detectorPath is null ? 1.0 : 1.25, min: 0, exclusiveMin: true);
        args.EnsureAllUsed();
        int sources = new[] { frames, video, videos, framesRoot, corpus }.Count(x => x is not null);
        if (sources != 1) throw new UsageException("give exactly one of --frames DIR, --video V, --videos DIR, --frames-root DIR and --corpus DATASET");
        bool many = videos is not null || framesRoot is not null || corpus is not null;
        bool pickle = outPath.EndsWith(".pkl", StringComparison.OrdinalIgnoreCase);
        if (format is not ("npy" or "pose")) throw new UsageException($"--format takes npy (default; .npy or .pkl by --out) or pose (got '{format}')");
        bool poseOut = format == "pose";
        if (poseOut && (many || !outPath.EndsWith(".pose", StringComparison.OrdinalIgnoreCase))) throw new UsageException("--format pose writes one clip: --out must end in .pose, with --frames or --video");
        if (!poseOut && fpsGiven) throw new UsageException("--fps is the frame rate stored in a .pose file: it needs --format pose");
        if (poseFps is <= 0 or > 65535) throw new UsageException("--fps must be positive");
        if (outPath.EndsWith(".pose", StringComparison.OrdinalIgnoreCase) && !poseOut) throw new UsageException("--out ends in .pose: add --format pose");
        if (!poseOut && !pickle && !outPath.EndsWith(".npy", StringComparison.OrdinalIgnoreCase)) throw new UsageException("--out must end in .npy (one clip) or .pkl (SLRT's pickle layout)");
        if (many && !pickle) throw new UsageException("--videos, --frames-root and --corpus write many clips: --out must end in .pkl");
        if (!many && shardText is not null) throw new UsageException("--shard splits many clips (--videos, --frames-root, --corpus)");
        if (many && name is not null) throw new UsageException("--name names a single clip; with --videos, --frames-root and --corpus the keys come from the files or the corpus");
        if (name is not null && !pickle && !poseOut) throw new UsageException("--name is the key in a .pkl file; a .npy file has no names");
        if (corpus is not null && root is null) throw new UsageException("--corpus needs --root (the corpus folder, or the SynthSign profile)");
        if (threads < 0) throw new UsageException("--threads must be 0 (default) or more");
        if (padding <= 0) throw new UsageException("--padding must be positive");
        if (detectorPath is not null && boxText is not null) throw new UsageException("give --box (one fixed box) or --detector (a box per frame), not both");
        if (detectorPath is null && (detSize is not null || args.Get("det-threshold") is not null)) throw new UsageException("--det-threshold and --detector-input-size need --detector");
        if (detThreshold is < 0 or > 1) throw new UsageException("--det-threshold must be between 0 and 1");

        var dev = device switch { "auto" => PoseDevice.Auto, "cpu" => PoseDevice.Cpu, "cuda" => PoseDevice.Cuda, _ => throw new UsageException($"--device takes auto, cpu or cuda (got '{device}')") };
        var refinement = refine switch { "dark" => HeatmapRefinement.Dark, "quarter" => HeatmapRefinement.QuarterOffset, "none" => HeatmapRefinement.None, _ => throw new UsageException($"--refine takes dark, quarter or none (got '{refine}')") };
        ChannelOrder? channelOrder = order switch { null => null, "rgb" => ChannelOrder.Rgb, "bgr" => ChannelOrder.Bgr, _ => throw new UsageException($"--channel-order takes rgb or bgr (got '{order}')") };
        (int W, int H)? inputSize = size is null ? null : ParseSize(size);
        PoseBox? box = boxText is null ? null : ParseBox(boxText);

        var options = new PoseEstimatorOptions(dev, threads, WholeBody.Count, line => Console.Error.WriteLine(line));
        using var est = PoseEstimator.Open(model, options, d =>
        {
            d = d with { Refinement = refinement, BoxPadding = padding };
            if (channelOrder is { } c) d = d with { ChannelOrder = c };
            if (inputSize is { } s) d = d with { InputWidth = s.W, InputHeight = s.H };
            return d;
        });
        (int W, int H)? detInput = detSize is null ? null : ParseSize(detSize);
        using var detector = detectorPath is null ? null : PersonDetector.Open(detectorPath, options with { ExpectedKeypoints = null }, d =>
        {
            d = d with { ScoreThreshold = (float)detThreshold };
            if (detInput is { } s) d = d with { InputWidth = s.W, InputHeight = s.H };
            return d;
        });

        if (many)
        {
            var items = videos is not null ? ExtractionJob.Videos(videos) : framesRoot is not null ? ExtractionJob.FrameFolders(framesRoot) : ExtractionJob.Corpus(corpus!, root!, split);
            int all = items.Count;
            if (shardText is not null) items = ExtractionJob.Shard(items, ExtractionJob.ParseShard(shardText));
            var clock = Stopwatch.StartNew();
            var shown = TimeSpan.Zero;
            var summary = ExtractionJob.Run(est, items, outPath, line =>
            {
                if (clock.Elapsed - shown < TimeSpan.FromSeconds(0.5)) return;
                shown = clock.Elapsed;
                Console.Error.Write($"\r  {line} ");
            }, detector);
            if (shown > TimeSpan.Zero) Console.Error.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"extract-keypoints: {summary.Clips} clips{(shardText is null ? "" : $" (shard {shardText} of {all})")}, {summary.Frames} frames -> {outPath} in {summary.Seconds:F1} s ({summary.FramesPerSecond:F1} frames/s on {est.Provider})"));
            return 0;
        }

        int? total = frames is null ? VideoReader.FrameCount(video!) : FrameFolderReader.List(frames).Count;
        var source = frames is not null ? FrameFolderReader.Read(frames) : VideoReader.Read(video!);
        var sw = Stopwatch.StartNew();
        var lastPrint = TimeSpan.Zero;
        var (keypoints, t) = KeypointExtractor.Extract(est, source, box, detector: detector, progress: (done, fps) =>
        {
            // At most twice a second, rewritten in place (\r), on stderr so stdout stays one parseable line.
            if (sw.Elapsed - lastPrint < TimeSpan.FromSeconds(0.5)) return;
            lastPrint = sw.Elapsed;
            Console.Error.Write($"\r  {done}{(total is int n ? $"/{n}" : "")} frames, {fps:F1} frames/s ");
        });
        double secs = sw.Elapsed.TotalSeconds;
        if (lastPrint > TimeSpan.Zero) Console.Error.WriteLine();
        var dir = Path.GetDirectoryName(Path.GetFullPath(outPath));
        if (dir is not null) Directory.CreateDirectory(dir);
        if (pickle)
            KeypointPickleWriter.Write(outPath, [(name ?? (video is not null ? Path.GetFileNameWithoutExtension(video) : Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(frames!)))), keypoints, t)]);
        else if (poseOut) PoseFile.Write(outPath, PoseFile.FromWholeBody(keypoints, t, (float)poseFps));
        else NpyWriter.Write(outPath, keypoints, t, WholeBody.Count, WholeBody.Values);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"extract-keypoints: {t} frames -> {outPath} ({t}, {WholeBody.Count}, {WholeBody.Values}) in {secs:F1} s ({t / Math.Max(secs, 1e-9):F1} frames/s on {est.Provider})"));
        return 0;
    }

    private static (int, int) ParseSize(string s)
    {
        var p = s.ToLowerInvariant().Split('x');
        if (p.Length == 2 && int.TryParse(p[0], out int w) && int.TryParse(p[1], out int h) && w > 0 && h > 0) return (w, h);
        throw new UsageException($"--input-size takes WxH, e.g. 288x384 (got '{s}')");
    }

    private static PoseBox ParseBox(string s)
    {
        var p = s.Split(',');
        var v = new double[4];
        if (p.Length == 4 && p.Select((x, i) => double.TryParse(x, NumberStyles.Float, CultureInfo.InvariantCulture, out v[i])).All(ok => ok) && v[2] > 0 && v[3] > 0)
            return new PoseBox(v[0], v[1], v[2], v[3]);
        throw new UsageException($"--box takes X,Y,W,H in frame pixels with W, H > 0 (got '{s}')");
    }
}
