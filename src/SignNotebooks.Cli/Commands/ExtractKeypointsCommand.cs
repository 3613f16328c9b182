using System.Diagnostics;
using System.Globalization;
using SignNotebooks.Keypoints;
using SignNotebooks.Pose;
using SignNotebooks.Synthetic;

namespace SignNotebooks.Cli.Commands;

public sealed class ExtractKeypointsCommand : ICommand
{
    public string Name => "extract-keypoints";
    public string Summary => "Whole-body keypoints (T, 133, 3) of a video or a frames folder with an ONNX pose model.";
    public string Usage => """
        signnb extract-keypoints --model P.onnx (--frames DIR | --video V) --out FILE.npy [--threads N]
                                 [--device auto|cpu|cuda] [--refine dark|quarter|none] [--channel-order rgb|bgr]
                                 [--input-size WxH] [--box X,Y,W,H] [--padding 1.0]
          --model          a top-down COCO-WholeBody model: heatmap (HRNet) or SimCC (RTMPose/RTMW/DWPose) outputs
          --frames DIR     PNG/JPG frames in natural name order; --video V: any file ffmpeg decodes (mp4, avi, …)
          --out FILE.npy   float32 (T, 133, 3) = (x, y, score) in frame pixels, as SLRT's keypoint pickles (spec §1.2)
          --threads N      ONNX Runtime threads (default: one per core); --device: CUDA only in the GPU build
          --refine         heatmap sub-pixel refinement (default dark, the paper's); ignored for SimCC models
          --channel-order, --input-size   override what the ONNX graph cannot say or leaves dynamic
          --box X,Y,W,H    the person box in frame pixels (default: the whole frame); --padding scales it
        """;

    public int Run(CliArgs args)
    {
        string model = args.Require("model"), outPath = args.Require("out");
        string? frames = args.Get("frames"), video = args.Get("video");
        int threads = args.GetInt("threads", 0);
        string device = args.GetOr("device", "auto"), refine = args.GetOr("refine", "dark");
        string? order = args.Get("channel-order"), size = args.Get("input-size"), boxText = args.Get("box");
        double padding = args.GetDouble("padding", 1.0);
        args.EnsureAllUsed();
        if ((frames is null) == (video is null)) throw new UsageException("give exactly one of --frames DIR and --video V");
        if (!outPath.EndsWith(".npy", StringComparison.OrdinalIgnoreCase)) throw new UsageException("--out must end in .npy (the SLRT pickle layout is not written yet)");
        if (threads < 0) throw new UsageException("--threads must be 0 (default) or more");
        if (padding <= 0) throw new UsageException("--padding must be positive");

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

        int? total = frames is null ? null : FrameFolderReader.List(frames).Count;
        var source = frames is not null ? FrameFolderReader.Read(frames) : FfmpegVideoReader.Read(video!);
        var sw = Stopwatch.StartNew();
        var lastPrint = TimeSpan.Zero;
        var (keypoints, t) = KeypointExtractor.Extract(est, source, box, (done, fps) =>
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
        NpyWriter.Write(outPath, keypoints, t, WholeBody.Count, WholeBody.Values);
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
