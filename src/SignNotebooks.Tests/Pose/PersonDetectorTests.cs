using System.Text;
using SignNotebooks.Pose;
using SignNotebooks.Util;

namespace SignNotebooks.Tests.Pose;

/// <summary>
/// The optional person detector on tiny mmdeploy-style graphs (<see cref="DetectorTestGraphs"/>) through the real
/// ONNX Runtime: descriptor and metadata, the chosen box in frame pixels (letterbox and stretch), the letterboxed
/// input, the previous-box / whole-frame fallback and its counts, the pose crop following the box, and bad models.
/// </summary>
[Collection("Console")]
public sealed class PersonDetectorTests : IDisposable
{
    // Frames 320×160 into a 64×64 detector input: letterbox scale 0.2 (the frame fills the top 64×32).
    private const int FrameW = 320, FrameH = 160, DetIn = 64, K = 133;
    private readonly string _dir = Directory.CreateTempSubdirectory("signnb-detector-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private static readonly float[][] Dets =
    [
        [0, 0, 64, 32, 0.99f],    // not a person (label 1)
        [1, 1, 20, 20, 0.2f],     // a person below the 0.3 threshold
        [10, 5, 30, 25, 0.95f],   // the best person
        [2, 2, 12, 12, 0.6f],     // a weaker person
    ];
    private static readonly long[] Labels = [1, 0, 0, 0];

    private string Detector(string name = "det.onnx", params (string, string)[] meta)
    {
        var path = Path.Combine(_dir, name);
        DetectorTestGraphs.WriteConstant(path, DetIn, DetIn, Dets, Labels, meta);
        return path;
    }

    private static RgbFrame Uniform(byte r, byte g, byte b, int w = FrameW, int h = FrameH)
    {
        var rgb = new byte[w * h * 3];
        for (int i = 0; i < w * h; i++) (rgb[3 * i], rgb[3 * i + 1], rgb[3 * i + 2]) = (r, g, b);
        return new RgbFrame(w, h, rgb);
    }

    private static void AssertBox(PoseBox want, PoseBox got)
    {
        Assert.True(Math.Abs(want.X - got.X) < 1e-3 && Math.Abs(want.Y - got.Y) < 1e-3 && Math.Abs(want.Width - got.Width) < 1e-3 && Math.Abs(want.Height - got.Height) < 1e-3,
            $"box {got} vs {want}");
    }

    [Fact]
    public void Descriptor_comes_from_the_graph_with_RTMDet_defaults_and_metadata_overrides()
    {
        using var det = PersonDetector.Open(Detector());
        var d = det.Descriptor;
        Assert.Equal((64, 64, "input", "dets", "labels"), (d.InputWidth, d.InputHeight, d.InputName, d.DetsName, d.LabelsName));
        Assert.Equal((ChannelOrder.Bgr, DetectorResize.Letterbox, 114f, 0, 0.3f), (d.ChannelOrder, d.Resize, d.PadValue, d.PersonClass, d.ScoreThreshold));
        Assert.Equal(PersonDetectorDescriptor.RtmdetMean, d.Mean);

        using var yolox = PersonDetector.Open(Detector("meta.onnx", ("signnb.channel_order", "rgb"), ("signnb.mean", "0,0,0"), ("signnb.std", "1,1,1"),
            ("signnb.resize", "stretch"), ("signnb.pad_value", "0")));
        Assert.Equal((ChannelOrder.Rgb, DetectorResize.Stretch, 0f, 1f), (yolox.Descriptor.ChannelOrder, yolox.Descriptor.Resize, yolox.Descriptor.PadValue, yolox.Descriptor.Std[2]));
    }

    [Fact]
    public void Highest_scoring_person_above_the_threshold_is_mapped_back_to_frame_pixels()
    {
        using var det = PersonDetector.Open(Detector());
        var found = det.Detect(Uniform(10, 20, 30));
        Assert.NotNull(found);
        Assert.Equal(0.95f, found.Value.Score);
        AssertBox(new PoseBox(50, 25, 100, 100), found.Value.Box);   // input (10, 5)–(30, 25) ÷ 0.2

        using var stretch = PersonDetector.Open(Detector("stretch.onnx", ("signnb.resize", "stretch")));
        AssertBox(new PoseBox(50, 12.5, 100, 50), stretch.Detect(Uniform(10, 20, 30))!.Value.Box);   // x ÷ 0.2, y ÷ 0.4

        using var strict = PersonDetector.Open(Detector(), adjust: d => d with { ScoreThreshold = 0.97f });
        Assert.Null(strict.Detect(Uniform(10, 20, 30)));   // only the non-person scores above 0.97
    }

    [Fact]
    public void Letterbox_input_keeps_the_aspect_ratio_pads_bottom_right_and_normalises_in_BGR()
    {
        // Left half white, right half (200, 100, 50).
        var f = Uniform(200, 100, 50);
        for (int y = 0; y < FrameH; y++) for (int x = 0; x < FrameW / 2; x++) for (int c = 0; c < 3; c++) f.Rgb[(y * FrameW + x) * 3 + c] = 255;
        using var det = PersonDetector.Open(Detector());
        var d = det.Descriptor;
        var input = new float[3 * DetIn * DetIn];
        var (sx, sy) = PersonDetector.Fill(f, d, input);
        Assert.Equal((0.2, 0.2), (sx, sy));
        float Norm(int c, float v) => (v - d.Mean[c]) / d.Std[c];
        float At(int c, int v, int u) => input[(c * DetIn + v) * DetIn + u];
        Assert.Equal(Norm(0, 255), At(0, 10, 10), 4);
        Assert.Equal(Norm(0, 50), At(0, 10, 50), 4);     // channel 0 is blue
        Assert.Equal(Norm(2, 200), At(2, 31, 63), 4);    // the last image row
        Assert.Equal(Norm(1, 114), At(1, 32, 5), 4);     // padding below the image
        Assert.Equal(Norm(2, 114), At(2, 63, 63), 4);
    }

    private string PoseModel()
    {
        // Constant heatmaps: the keypoints move only with the box, so equal keypoints mean equal boxes.
        var rng = new Random(3);
        var centres = Enumerable.Range(0, K).Select(_ => (4 + rng.NextDouble() * 16, 4 + rng.NextDouble() * 24)).ToList();
        var path = Path.Combine(_dir, "pose.onnx");
        PoseTestGraphs.WriteConstant(path, [1, 3, 128, 96], new PoseTestGraphs.Output("heatmaps", [1, K, 32, 24], PoseTestGraphs.GaussianHeatmaps(32, 24, 2.0, centres)));
        return path;
    }

    [Fact]
    public void Frames_without_a_person_keep_the_previous_box_else_the_whole_frame_and_are_counted()
    {
        // Score = mean input in [0, 1] (mean 0, std 255): dark frames have no person, bright ones do.
        var path = Path.Combine(_dir, "bright.onnx");
        DetectorTestGraphs.WriteBrightness(path, DetIn, DetIn, [10, 5, 30, 25], ("signnb.mean", "0,0,0"), ("signnb.std", "255,255,255"));
        var log = new List<string>();
        using var det = PersonDetector.Open(path, new PoseEstimatorOptions(Threads: 1, Log: log.Add));
        using var est = PoseEstimator.Open(PoseModel(), new PoseEstimatorOptions(Threads: 1, ExpectedKeypoints: K));
        RgbFrame dark = Uniform(0, 0, 0), bright = Uniform(250, 250, 250);

        var tracker = new PersonBoxTracker(det);
        Assert.Equal(PoseBox.Full(FrameW, FrameH), tracker.Next(dark));
        AssertBox(new PoseBox(50, 25, 100, 100), tracker.Next(bright));
        AssertBox(new PoseBox(50, 25, 100, 100), tracker.Next(dark));
        Assert.Equal(new PersonBoxCounts(3, 1, 1, 1), tracker.Counts);

        var (kp, t) = KeypointExtractor.Extract(est, [dark, bright, dark], detector: det);
        Assert.Equal(3, t);
        Assert.Contains("detector: 3 frames, 1 with a detected person, 2 without (1 kept the previous frame's box, 1 used the whole frame)", log);
        Assert.Equal(new PersonBoxCounts(3, 1, 1, 1), det.Totals);
        int n = K * 3;
        Assert.Equal(est.Estimate(dark), kp[..n]);
        var boxed = est.Estimate(bright, new PoseBox(50, 25, 100, 100));
        Assert.Equal(boxed, kp[n..(2 * n)]);
        Assert.Equal(boxed, kp[(2 * n)..]);
        Assert.NotEqual(kp[..n], kp[n..(2 * n)]);
    }

    [Fact]
    public void Cli_detector_gives_the_same_keypoints_as_the_detected_box_passed_with_box()
    {
        var frames = Directory.CreateDirectory(Path.Combine(_dir, "frames")).FullName;
        var rng = new Random(2);
        for (int t = 1; t <= 2; t++)
        {
            var rgb = new byte[FrameW * FrameH * 3];
            rng.NextBytes(rgb);
            File.WriteAllBytes(Path.Combine(frames, $"f{t}.png"), SignNotebooks.Synthetic.PngEncoder.Encode(rgb, 0, FrameW, FrameH));
        }
        string pose = PoseModel(), a = Path.Combine(_dir, "det.npy"), b = Path.Combine(_dir, "box.npy");
        var (code, _, stderr) = CliCapture.Run("extract-keypoints", "--model", pose, "--frames", frames, "--out", a, "--threads", "1", "--detector", Detector());
        Assert.True(code == 0, stderr);
        Assert.Contains("detector: 2 frames, 2 with a detected person, 0 without", stderr);
        // The detector path pads by mmpose's 1.25 unless told otherwise.
        (code, _, stderr) = CliCapture.Run("extract-keypoints", "--model", pose, "--frames", frames, "--out", b, "--threads", "1", "--box", "50,25,100,100", "--padding", "1.25");
        Assert.True(code == 0, stderr);
        Assert.Equal(File.ReadAllBytes(b), File.ReadAllBytes(a));
        var whole = Path.Combine(_dir, "whole.npy");
        Assert.Equal(0, CliCapture.Run("extract-keypoints", "--model", pose, "--frames", frames, "--out", whole, "--threads", "1").code);
        Assert.NotEqual(File.ReadAllBytes(whole), File.ReadAllBytes(a));

        (code, _, stderr) = CliCapture.Run("extract-keypoints", "--model", pose, "--frames", frames, "--out", b, "--box", "1,1,5,5", "--detector", Detector());
        Assert.Equal(2, code);
        Assert.Contains("not both", stderr);
    }

    [Fact]
    public void Models_that_are_not_end2end_detectors_fail_naming_the_file_and_the_fix()
    {
        var pose = Path.Combine(_dir, "heatmaps.onnx");
        PoseTestGraphs.WriteConstant(pose, [1, 3, 64, 64], new PoseTestGraphs.Output("heatmaps", [1, 3, 16, 16], new float[3 * 16 * 16]));
        var e = Assert.Throws<UserFacingException>(() => PersonDetector.Open(pose));
        Assert.Contains($"detector model {pose} has outputs 'heatmaps'", e.Message);
        Assert.Contains("dets (1, N, 5", e.Message);
        Assert.Contains("Fix: export the detector with mmdeploy", e.Message);

        var missing = Path.Combine(_dir, "nope.onnx");
        e = Assert.Throws<UserFacingException>(() => PersonDetector.Open(missing));
        Assert.Contains($"detector model {missing} does not exist", e.Message);
        Assert.Contains("(--detector)", e.Message);

        var dynamic = Path.Combine(_dir, "dynamic.onnx");
        DetectorTestGraphs.WriteConstant(dynamic, -1, -1, Dets, Labels);
        e = Assert.Throws<UserFacingException>(() => PersonDetector.Open(dynamic));
        Assert.Contains("dynamic input size", e.Message);
        Assert.Contains("--detector-input-size", e.Message);
        using var sized = PersonDetector.Open(dynamic, adjust: d => d with { InputWidth = 64, InputHeight = 64 });
        AssertBox(new PoseBox(50, 25, 100, 100), sized.Detect(Uniform(1, 2, 3))!.Value.Box);

        var (code, _, stderr) = CliCapture.Run("extract-keypoints", "--model", PoseModel(), "--frames", _dir, "--out", Path.Combine(_dir, "x.npy"), "--detector", pose);
        Assert.Equal(1, code);
        Assert.Contains($"detector model {pose}", stderr);
    }
}
