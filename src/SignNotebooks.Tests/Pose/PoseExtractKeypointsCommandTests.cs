using System.Diagnostics;
using System.Text;
using SignNotebooks.Synthetic;

namespace SignNotebooks.Tests.Pose;

/// <summary>
/// <c>signnb extract-keypoints</c> in-process on a constant-output whole-body model: a PNG frames folder, an mp4
/// written by ffmpeg (installed by environment/setup.sh --test), and the bad-input errors. Console capture is global.
/// </summary>
[Collection("Console")]
public sealed class PoseExtractKeypointsCommandTests : IDisposable
{
    // Input 96×128, heatmaps 24×32 (stride 4); frames of 192×256 are exactly twice the input, so frame = heatmap · 8.
    // Centres stay 6 heatmap px from the border, where DARK's zero-padded blur would bias them (as in mmpose).
    private const int K = 133, InW = 96, InH = 128, HmW = 24, HmH = 32, FrameW = 192, FrameH = 256;
    private readonly string _dir = Directory.CreateTempSubdirectory("signnb-extract-").FullName;
    private readonly List<(double X, double Y)> _centres;
    private readonly string _model;

    public PoseExtractKeypointsCommandTests()
    {
        var rng = new Random(5);
        _centres = Enumerable.Range(0, K).Select(_ => (6 + rng.NextDouble() * (HmW - 12), 6 + rng.NextDouble() * (HmH - 12))).ToList();
        _model = Path.Combine(_dir, "wholebody.onnx");
        PoseTestGraphs.WriteConstant(_model, [1, 3, InH, InW],
            new PoseTestGraphs.Output("heatmaps", [1, K, HmH, HmW], PoseTestGraphs.GaussianHeatmaps(HmH, HmW, 2.0, _centres)));
    }

    public void Dispose() => Directory.Delete(_dir, true);

    private static (int Code, string Stdout, string Stderr) Run(params string[] args) => CliCapture.Run(args);

    private string WriteFrames(int n)
    {
        var dir = Directory.CreateDirectory(Path.Combine(_dir, "frames")).FullName;
        var rng = new Random(1);
        for (int t = 1; t <= n; t++)
        {
            var rgb = new byte[FrameW * FrameH * 3];
            rng.NextBytes(rgb);
            File.WriteAllBytes(Path.Combine(dir, $"images{t:D4}.png"), PngEncoder.Encode(rgb, 0, FrameW, FrameH));
        }
        return dir;
    }

    /// <summary>A float32 .npy file's shape and values (the format NpyWriter writes).</summary>
    internal static (int[] Shape, float[] Data) ReadNpy(string path)
    {
        var bytes = File.ReadAllBytes(path);
        int headerLen = BitConverter.ToUInt16(bytes, 8);
        string header = Encoding.ASCII.GetString(bytes, 10, headerLen);
        Assert.Contains("'descr': '<f4'", header);
        var dims = header[(header.IndexOf("'shape': (", StringComparison.Ordinal) + 10)..];
        var shape = dims[..dims.IndexOf(')')].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse).ToArray();
        var data = new float[(bytes.Length - 10 - headerLen) / 4];
        Buffer.BlockCopy(bytes, 10 + headerLen, data, 0, data.Length * 4);
        return (shape, data);
    }

    private void AssertKeypoints(float[] data, int frames)
    {
        for (int t = 0; t < frames; t++)
            for (int k = 0; k < K; k++)
            {
                int o = (t * K + k) * 3;
                Assert.True(Math.Abs(data[o] - _centres[k].X * 8) < 0.8 && Math.Abs(data[o + 1] - _centres[k].Y * 8) < 0.8,
                    $"frame {t}, keypoint {k}: ({data[o]}, {data[o + 1]}) vs ({_centres[k].X * 8}, {_centres[k].Y * 8})");
                Assert.InRange(data[o + 2], 0.6f, 1f);
            }
    }

    [Fact]
    public void Frames_folder_gives_T_133_3_npy_in_frame_pixels()
    {
        var frames = WriteFrames(3);
        var outPath = Path.Combine(_dir, "out", "kp.npy");
        var (code, stdout, stderr) = Run("extract-keypoints", "--model", _model, "--frames", frames, "--out", outPath, "--threads", "1");
        Assert.True(code == 0, stderr);
        Assert.Contains("extract-keypoints: 3 frames -> ", stdout);
        Assert.Contains("(3, 133, 3)", stdout);
        Assert.Contains("frames/s on CPU", stdout);
        Assert.Contains("pose: running on CPU (1 thread)", stderr);
        var (shape, data) = ReadNpy(outPath);
        Assert.Equal([3, 133, 3], shape);
        AssertKeypoints(data, 3);
    }

    [Fact]
    public void Format_pose_writes_a_pose_file_with_the_same_keypoints()
    {
        var frames = WriteFrames(3);
        var outPath = Path.Combine(_dir, "out", "kp.pose");
        var (code, stdout, stderr) = Run("extract-keypoints", "--model", _model, "--frames", frames, "--format", "pose", "--fps", "30", "--out", outPath, "--threads", "1");
        Assert.True(code == 0, stderr);
        Assert.Contains("extract-keypoints: 3 frames -> ", stdout);
        var pose = SignNotebooks.Keypoints.PoseFile.Read(outPath);
        Assert.Equal((30f, 3, 1), (pose.Fps, pose.Frames, pose.People));
        Assert.Equal(133, Assert.Single(pose.Components).Points.Length);
        var (data, t) = SignNotebooks.Keypoints.PoseFile.ToWholeBody(pose, outPath);
        Assert.Equal(3, t);
        AssertKeypoints(data, 3);

        (code, _, stderr) = Run("extract-keypoints", "--model", _model, "--frames", frames, "--out", Path.Combine(_dir, "x.pose"));
        Assert.Equal(2, code);
        Assert.Contains("add --format pose", stderr);
        (code, _, stderr) = Run("extract-keypoints", "--model", _model, "--frames", frames, "--format", "pose", "--out", Path.Combine(_dir, "x.npy"));
        Assert.Equal(2, code);
        Assert.Contains("--out must end in .pose", stderr);
    }

    /// <summary>An mp4 (MPEG-4 Part 2, built into every ffmpeg) of the PNG frames.</summary>
    private string WriteMp4(string frames, string name)
    {
        var video = Path.Combine(_dir, name);
        Ffmpeg("-framerate", "25", "-i", Path.Combine(frames, "images%04d.png"), "-c:v", "mpeg4", "-q:v", "2", video);
        return video;
    }

    /// <summary>Runs Debian's ffmpeg quietly; shared by the video tests.</summary>
    internal static void Ffmpeg(params string[] args)
    {
        var psi = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-v", "error", "-nostdin", "-y" }.Concat(args)) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"ffmpeg could not write the test clip (is Debian's ffmpeg installed? environment/setup.sh --test does it): {err}");
    }

    [Fact]
    public void Mp4_written_by_ffmpeg_is_decoded_frame_by_frame()
    {
        var video = WriteMp4(WriteFrames(5), "clip.mp4");
        var outPath = Path.Combine(_dir, "video.npy");
        var (code, stdout, stderr) = Run("extract-keypoints", "--model", _model, "--video", video, "--out", outPath, "--threads", "1");
        Assert.True(code == 0, stderr);
        Assert.DoesNotContain("reading it with the ffmpeg command", stderr);   // decoded in-process by OpenCV
        Assert.Contains("extract-keypoints: 5 frames", stdout);
        var (shape, data) = ReadNpy(outPath);
        Assert.Equal([5, 133, 3], shape);
        AssertKeypoints(data, 5);
    }

    [Fact]
    public void Rotated_phone_video_is_read_with_the_displayed_size()
    {
        // A 90° rotation tag: ffmpeg decodes upright 256×192 frames, so the reader must not use the stored 192×256.
        var upright = WriteMp4(WriteFrames(2), "upright.mp4");
        var video = Path.Combine(_dir, "rotated.mp4");
        Ffmpeg("-i", upright, "-c", "copy", "-metadata:s:v:0", "rotate=90", video);   // the tag is written on a remux
        Assert.Equal((FrameH, FrameW), SignNotebooks.Pose.FfmpegVideoReader.Probe(video));
        foreach (var frames in new[] { SignNotebooks.Pose.FfmpegVideoReader.Read(video).ToList(), SignNotebooks.Pose.VideoReader.Read(video, l => Assert.Fail(l)).ToList() })
        {
            Assert.Equal(2, frames.Count);
            Assert.All(frames, f => Assert.Equal((FrameH, FrameW), (f.Width, f.Height)));
        }
    }

    [Fact]
    public void Bad_inputs_give_clear_errors()
    {
        var notVideo = Path.Combine(_dir, "notes.mp4");
        File.WriteAllText(notVideo, "not a video");
        var (code, _, stderr) = Run("extract-keypoints", "--model", _model, "--video", notVideo, "--out", Path.Combine(_dir, "a.npy"));
        Assert.Equal(1, code);
        Assert.Contains($"video {notVideo} is not readable", stderr);
        Assert.Contains("video: OpenCV could not open the file: notes.mp4; reading it with the ffmpeg command instead", stderr);
        Assert.Contains("Fix:", stderr);

        var empty = Directory.CreateDirectory(Path.Combine(_dir, "empty")).FullName;
        File.WriteAllText(Path.Combine(empty, "readme.txt"), "no frames here");
        (code, _, stderr) = Run("extract-keypoints", "--model", _model, "--frames", empty, "--out", Path.Combine(_dir, "b.npy"));
        Assert.Equal(1, code);
        Assert.Contains("has no .png/.jpg frames (zero frames)", stderr);

        var coco = Path.Combine(_dir, "coco17.onnx");
        PoseTestGraphs.WriteConstant(coco, [1, 3, InH, InW], new PoseTestGraphs.Output("heatmaps", [1, 17, HmH, HmW], new float[17 * HmH * HmW]));
        (code, _, stderr) = Run("extract-keypoints", "--model", coco, "--frames", WriteFrames(1), "--out", Path.Combine(_dir, "c.npy"));
        Assert.Equal(1, code);
        Assert.Contains("outputs 17 keypoints (coco layout), but 133 are needed", stderr);
        Assert.False(File.Exists(Path.Combine(_dir, "c.npy")));

        (code, _, stderr) = Run("extract-keypoints", "--model", _model, "--frames", empty, "--video", notVideo, "--out", Path.Combine(_dir, "d.npy"));
        Assert.Equal(2, code);
        Assert.Contains("give exactly one of --frames DIR, --video V", stderr);
    }
    [Fact]
    public void Pickle_output_for_a_sharded_corpus_a_videos_folder_and_one_named_clip()
    {
        var pkl = Path.Combine(_dir, "synth.pkl");
        var (code, stdout, stderr) = Run("extract-keypoints", "--model", _model, "--corpus", "synthsign", "--root", "tiny", "--split", "dev", "--shard", "1/4", "--out", pkl);
        Assert.True(code == 0, stderr);
        Assert.Contains("4 clips (shard 1/4 of 16)", stdout);
        Assert.Contains("frames/s", stdout);
        var file = SignNotebooks.Corpora.KeypointFile.Read(pkl);
        Assert.Equal(["dev/dev-00001", "dev/dev-00005", "dev/dev-00009", "dev/dev-00013"], file.Names.Order(StringComparer.Ordinal));
        var clip = new SynthSignDataset("tiny").Generate("dev", 5, withFrames: false);
        Assert.Equal((clip.FrameCount, (string?)null), file.Shape("dev/dev-00005"));

        var videos = Directory.CreateDirectory(Path.Combine(_dir, "videos")).FullName;
        var frame = new SignNotebooks.Pose.RgbFrame(64, 48, new byte[64 * 48 * 3]);
        SignNotebooks.Pose.FfmpegVideoReader.Write(Path.Combine(videos, "b.mp4"), Enumerable.Repeat(frame, 3), 25);
        SignNotebooks.Pose.FfmpegVideoReader.Write(Path.Combine(videos, "a.mp4"), Enumerable.Repeat(frame, 2), 25);
        (code, _, stderr) = Run("extract-keypoints", "--model", _model, "--videos", videos, "--out", Path.Combine(_dir, "v.pkl"));
        Assert.True(code == 0, stderr);
        var v = SignNotebooks.Corpora.KeypointFile.Read(Path.Combine(_dir, "v.pkl"));
        Assert.Equal((2, (string?)null), v.Shape("a"));
        Assert.Equal((3, (string?)null), v.Shape("b"));

        (code, _, stderr) = Run("extract-keypoints", "--model", _model, "--video", Path.Combine(videos, "a.mp4"), "--name", "train/clip", "--out", Path.Combine(_dir, "one.pkl"));
        Assert.True(code == 0, stderr);
        Assert.Equal(["train/clip"], SignNotebooks.Corpora.KeypointFile.Read(Path.Combine(_dir, "one.pkl")).Names);

        (code, _, stderr) = Run("extract-keypoints", "--model", _model, "--videos", videos, "--out", Path.Combine(_dir, "v.npy"));
        Assert.Equal(2, code);
        Assert.Contains(".pkl", stderr);
        (code, _, stderr) = Run("extract-keypoints", "--model", _model, "--videos", videos, "--name", "x", "--out", Path.Combine(_dir, "x.pkl"));
        Assert.Equal(2, code);
        Assert.Contains("--name names a single clip", stderr);
        (code, _, stderr) = Run("extract-keypoints", "--model", _model, "--videos", videos, "--shard", "4/4", "--out", Path.Combine(_dir, "w.pkl"));
        // An out-of-range shard is a usage error (exit 2), like every range-checked number (issue 17).
        Assert.Equal(2, code);
        Assert.Contains("--shard", stderr);
    }
}
