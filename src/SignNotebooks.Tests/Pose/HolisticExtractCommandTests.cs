using SignNotebooks.Keypoints;
using SignNotebooks.Pose;
using SignNotebooks.Pose.Holistic;
using SignNotebooks.Synthetic;

namespace SignNotebooks.Tests.Pose;

/// <summary><c>signnb extract-keypoints --model mediapipe-holistic</c> in-process on frames panned over the astronaut photograph.</summary>
[Collection("Console")]
public sealed class HolisticExtractCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("signnb-holistic-").FullName;
    public void Dispose() => Directory.Delete(_dir, true);

    private string Frames(int n)
    {
        var dir = Directory.CreateDirectory(Path.Combine(_dir, "frames")).FullName;
        var image = FrameFolderReader.Decode(SampleImages.Astronaut);
        for (int t = 0; t < n; t++)
        {
            var f = SampleImages.Window(image, 4 * t, 32, 448, 448);
            File.WriteAllBytes(Path.Combine(dir, $"f{t:D3}.png"), PngEncoder.Encode(f.Rgb, 0, f.Width, f.Height));
        }
        return dir;
    }

    [HolisticFact]
    public void Frames_folder_gives_wholebody_npy_raw_landmarks_and_a_pose_file()
    {
        var frames = Frames(3);
        string npy = Path.Combine(_dir, "kp.npy"), raw = Path.Combine(_dir, "raw.npy"), pose = Path.Combine(_dir, "kp.pose");
        var (code, stdout, stderr) = CliCapture.Run("extract-keypoints", "--model", "mediapipe-holistic", "--frames", frames, "--out", npy, "--raw", raw, "--threads", "1");
        Assert.True(code == 0, stderr);
        Assert.Contains("3 frames", stdout);
        Assert.Contains("found pose 3", stdout);
        var (shape, kp) = PoseExtractKeypointsCommandTests.ReadNpy(npy);
        Assert.Equal(new[] { 3, WholeBody.Count, 3 }, shape);
        for (int t = 0; t < 3; t++)
        {
            int o = t * WholeBody.Count * 3;
            Assert.True(kp[o + 2] > 0.5f, "nose scored");
            Assert.InRange(kp[o], 0, 448);
            Assert.True(kp[o + (WholeBody.Face.Start + 30) * 3 + 2] > 0.5f, "face 68 scored");
            Assert.Equal(0f, kp[o + WholeBody.Feet.Start * 3 + 2]);
        }
        var (rawShape, rawData) = PoseExtractKeypointsCommandTests.ReadNpy(raw);
        Assert.Equal(new[] { 3, 543, 5 }, rawShape);
        Assert.Equal(kp[0], rawData[0]);   // COCO nose = pose landmark 0

        (code, _, stderr) = CliCapture.Run("extract-keypoints", "--model", "mediapipe-holistic", "--frames", frames, "--out", pose, "--fps", "30", "--threads", "1");
        Assert.True(code == 0, stderr);
        var (fromPose, n) = PoseFile.ReadWholeBody(pose);
        Assert.Equal(3, n);
        Assert.Equal(kp[0], fromPose[0], 1e-3f);
    }

    [Fact]
    public void Bad_arguments_are_usage_errors_naming_the_fix()
    {
        var (code, _, stderr) = CliCapture.Run("extract-keypoints", "--model", "mediapipe-holistic", "--out", Path.Combine(_dir, "x.npy"));
        Assert.Equal(2, code);
        Assert.Contains("exactly one of --frames DIR and --video V", stderr);
        (code, _, stderr) = CliCapture.Run("extract-keypoints", "--model", "mediapipe-holistic", "--frames", _dir, "--out", Path.Combine(_dir, "x.pkl"));
        Assert.Equal(2, code);
        Assert.Contains("--out must end in .npy or .pose", stderr);
        (code, _, stderr) = CliCapture.Run("extract-keypoints", "--model", "mediapipe-holistic", "--frames", _dir, "--out", Path.Combine(_dir, "x.npy"), "--pose-model", "huge");
        Assert.Equal(2, code);
        Assert.Contains("--pose-model takes lite, full or heavy", stderr);
    }
}
