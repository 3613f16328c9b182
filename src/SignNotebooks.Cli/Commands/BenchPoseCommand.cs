using System.Diagnostics;
using System.Globalization;
using SignNotebooks.Pose;
using SignNotebooks.Pose.Holistic;

namespace SignNotebooks.Cli.Commands;

/// <summary>`signnb bench pose`: frames/s of the pose runtime path on an HRNet-w48-sized random-weight graph.</summary>
public sealed class BenchPoseCommand : ICommand
{
    public string Name => "bench pose";
    public string Summary => "Frames/s of keypoint extraction with an HRNet-w48-sized random-weight ONNX graph (built in C#).";
    public string Usage => """
        signnb bench pose [--frames N] [--threads N] [--device auto|cpu|cuda] [--size hrnet-w48|tiny|synthsign] [--model P.onnx] [--keep FILE.onnx]
          --frames N   timed frames after one warm-up frame (default 3)
          --threads N  ONNX Runtime intra-op threads (default: one per core)
          --size       hrnet-w48 (default; ≈ 61 M parameters, ≈ 32 G multiply-adds at 384×288), tiny (for tests), or
                       synthsign: the trained SynthSign tiny pose model (artifacts/pose, trained on first use)
          --model P    time any ONNX whole-body model instead
          --keep F     keep the generated graph at F (otherwise a temporary file, deleted afterwards)
          --model mediapipe-holistic   the full MediaPipe Holistic pipeline (pose_landmark_full, both hands, face
                       mesh) in video mode on a 448×448 window panning over the astronaut photograph (--frames
                       defaults to 30; --pose-model lite|full|heavy)
        One 260×210 frame (Phoenix's raw size) of random pixels, whole-frame box, DARK decoding. Timing only: the
        weights are random, the keypoints mean nothing.
        """;

    public int Run(CliArgs args)
    {
        int frames = args.GetInt("frames", 3, min: 1), threads = args.GetInt("threads", 0, min: 0);
        string device = args.GetOr("device", "auto"), size = args.GetOr("size", "hrnet-w48");
        string? keep = args.Get("keep"), model = args.Get("model");
        if (model == HolisticExtract.ModelName) return Holistic(args, threads);
        args.EnsureAllUsed();
        if (size == "synthsign") model ??= SynthPoseModel.GetOrTrain("tiny", log: Console.Out);
        if (frames < 1) throw new UsageException("--frames must be at least 1");
        var dev = device switch { "auto" => PoseDevice.Auto, "cpu" => PoseDevice.Cpu, "cuda" => PoseDevice.Cuda, _ => throw new UsageException($"--device takes auto, cpu or cuda (got '{device}')") };
        var config = size switch { "hrnet-w48" or "synthsign" => new PoseBenchGraphConfig(), "tiny" => PoseBenchGraphConfig.Tiny, _ => throw new UsageException($"--size takes hrnet-w48, tiny or synthsign (got '{size}')") };

        string path = model ?? keep ?? Path.Combine(Path.GetTempPath(), $"signnb-bench-pose-{Environment.ProcessId}.onnx");
        try
        {
            var sw = Stopwatch.StartNew();
            var (parameters, macs) = model is null ? PoseBenchGraph.Write(path, config) : (0L, 0.0);
            double writeSec = sw.Elapsed.TotalSeconds;
            sw.Restart();
            using var est = PoseEstimator.Open(path, new PoseEstimatorOptions(dev, threads, 133, line => Console.WriteLine(line)));
            double loadSec = sw.Elapsed.TotalSeconds;
            var rng = new Random(0);
            var frame = new RgbFrame(210, 260, new byte[210 * 260 * 3]);
            rng.NextBytes(frame.Rgb);
            est.Estimate(frame);   // warm-up: ONNX Runtime allocates its arenas on the first run
            sw.Restart();
            for (int i = 0; i < frames; i++) est.Estimate(frame);
            double sec = sw.Elapsed.TotalSeconds / frames;
            // Shared machines: the load average says how much the numbers below can be trusted.
            var load = BenchCommon.LoadAverage();
            Console.WriteLine(model is null
                ? string.Create(CultureInfo.InvariantCulture, $"graph      : {size}, input {config.InputWidth}×{config.InputHeight}, {parameters / 1e6:F1} M parameters, {macs / 1e9:F1} G multiply-adds/frame (written in {writeSec:F1} s, loaded in {loadSec:F1} s)")
                : string.Create(CultureInfo.InvariantCulture, $"model      : {model}, input {est.Descriptor.InputWidth}×{est.Descriptor.InputHeight} (loaded in {loadSec:F1} s)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"machine    : {Environment.ProcessorCount} cores, load average (1 min) {load}, {(threads > 0 ? threads.ToString(CultureInfo.InvariantCulture) : "default")} threads, {est.Provider}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"bench pose : {sec:F3} s/frame, {1 / sec:F2} frames/s over {frames} frames"));
            return 0;
        }
        finally
        {
            if (model is null && keep is null && File.Exists(path)) File.Delete(path);
        }
    }

    /// <summary>Frames/s of the whole Holistic pipeline, tracking from frame to frame as in a video.</summary>
    private static int Holistic(CliArgs args, int threads)
    {
        int frames = args.GetInt("frames", 30, min: 1);
        string poseModel = args.GetOr("pose-model", "full");
        args.EnsureAllUsed();
        if (poseModel is not ("lite" or "full" or "heavy")) throw new UsageException($"--pose-model takes lite, full or heavy (got '{poseModel}')");
        var image = FrameFolderReader.Decode(SignNotebooks.Pose.Holistic.SampleImages.Astronaut);
        var clip = Enumerable.Range(0, frames + 1).Select(t => SampleImages.Window(image, (t * 2) % 64, 32, 448, 448)).ToList();
        var sw = Stopwatch.StartNew();
        using var p = new SignNotebooks.Pose.Holistic.HolisticPipeline(new(threads, "pose_landmark_" + poseModel), line => Console.WriteLine(line));
        double loadSec = sw.Elapsed.TotalSeconds;
        p.Process(clip[0]);   // warm-up: ONNX Runtime allocates its arenas on the first run
        var counts = new int[4];
        int detections = 0;
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        sw.Restart();
        foreach (var f in clip.Skip(1))
        {
            var r = p.Process(f);
            if (r.Pose is not null) counts[0]++;
            if (r.LeftHand is not null) counts[1]++;
            if (r.RightHand is not null) counts[2]++;
            if (r.Face is not null) counts[3]++;
            if (r.PoseRedetected) detections++;
        }
        double sec = sw.Elapsed.TotalSeconds / frames;
        // CPU time per frame does not depend on how many other processes share the cores: on an idle machine with
        // T threads, frames/s is at best T / (CPU s/frame) and at least 1 / (CPU s/frame).
        double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds / frames;
        var load = BenchCommon.LoadAverage();
        foreach (var m in p.Models.Where(m => m.Runs > 0))
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"stage      : {m.Name,-27} {m.Width}×{m.Height}, {m.Runs} runs, {m.Elapsed.TotalMilliseconds / m.Runs:F1} ms/run (crop + inference, warm-up included)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"model      : MediaPipe Holistic (pose_landmark_{poseModel}, hand_recrop + hand_landmark_full ×2, face detection + face_landmark), 448×448 frames (loaded in {loadSec:F1} s)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"found      : pose {counts[0]}, left hand {counts[1]}, right hand {counts[2]}, face {counts[3]} of {frames} frames; {detections} pose detections after the first frame"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"machine    : {Environment.ProcessorCount} cores, load average (1 min) {load}, {(threads > 0 ? threads.ToString(CultureInfo.InvariantCulture) : "default")} threads, {p.Provider}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"bench pose : {sec:F3} s/frame, {1 / sec:F2} frames/s over {frames} frames; CPU {cpu:F3} s/frame ({1 / cpu:F1} frames per CPU-second)"));
        return 0;
    }
}
