using SignNotebooks.Data;
using SignNotebooks.Inference;
using SignNotebooks.Keypoints;
using SignNotebooks.Pose;
using SignNotebooks.Pose.Holistic;
using SignNotebooks.Synthetic;
using SignNotebooks.Tests.Pose;
using SignNotebooks.Training;

namespace SignNotebooks.Tests.Inference;

/// <summary>A tiny keypoint-stream checkpoint (one epoch on 8 SynthSign tiny clips): the stream that reads the pose model's keypoints.</summary>
public sealed class KeypointRunFixture : IDisposable
{
    public string Dir { get; } = Directory.CreateTempSubdirectory("signnb-recognize-holistic-").FullName;
    public string Keypoint { get; }

    public KeypointRunFixture()
    {
        var ds = new SynthSignDataset("tiny");
        var run = new RunDirectory(Path.Combine(Dir, "keypoint"));
        var config = TrainingProfiles.Get("tiny", TrainingStage.Keypoint) with { MaxTrainClips = 8, MaxEvalClips = 4, Epochs = 1 };
        new Trainer(config, run, ds, Vocabulary.SynthSign(ds.Glosses), TextWriter.Null).Run();
        Keypoint = run.Root;
    }

    public void Dispose() => Directory.Delete(Dir, true);
}

/// <summary><c>signnb recognize --pose-model mediapipe-holistic</c> on a video panned over a real photograph.</summary>
[Collection("Console")]
public sealed class RecognizeHolisticTests(KeypointRunFixture fx) : IClassFixture<KeypointRunFixture>
{
    [HolisticFact]
    public void Recognize_reads_its_keypoints_from_holistic_the_same_as_extract_keypoints()
    {
        // Six frames panning over NASA's astronaut portrait, as H.264 mp4.
        var image = FrameFolderReader.Decode(SampleImages.Astronaut);
        var frames = Enumerable.Range(0, 6).Select(t => SampleImages.Window(image, 4 * t, 32, 448, 448)).ToList();
        string mp4 = Path.Combine(fx.Dir, "astronaut.mp4"), used = Path.Combine(fx.Dir, "used.npy"), extracted = Path.Combine(fx.Dir, "extracted.npy");
        FfmpegVideoReader.Write(mp4, frames, 25);

        var (code, stdout, stderr) = CliCapture.Run("recognize", "--video", mp4, "--checkpoint", fx.Keypoint, "--pose-model", HolisticPipeline.ModelName,
            "--threads", "1", "--save-keypoints", used);
        Assert.True(code == 0, stderr + stdout);
        Assert.Contains("glosses: ", stdout);
        Assert.Contains($"recognize: 6 frames at 25 fps", stdout);
        Assert.Contains($"pose MediaPipe Holistic ({HolisticAssets.Package}@{HolisticAssets.Version})", stdout);

        // The keypoints the stream read are Holistic's (T, 133, 3) mapping: equal to extract-keypoints' on the same video.
        (code, _, stderr) = CliCapture.Run("extract-keypoints", "--model", HolisticPipeline.ModelName, "--video", mp4, "--out", extracted, "--threads", "1");
        Assert.True(code == 0, stderr);
        var (shape, kp) = PoseExtractKeypointsCommandTests.ReadNpy(used);
        var (refShape, reference) = PoseExtractKeypointsCommandTests.ReadNpy(extracted);
        Assert.Equal(new[] { 6, WholeBody.Count, WholeBody.Values }, shape);
        Assert.Equal(refShape, shape);
        Assert.Equal(reference, kp);
        for (int t = 0; t < 6; t++)
        {
            int o = t * WholeBody.Count * WholeBody.Values;
            Assert.True(kp[o + 2] > 0.5f, $"frame {t}: the nose is scored");
            Assert.True(kp[o + (WholeBody.Face.Start + 30) * 3 + 2] > 0.5f, $"frame {t}: the face-68 nose tip is scored");
            Assert.Equal(0f, kp[o + WholeBody.Feet.Start * 3 + 2]);   // Holistic has no feet: score 0
        }
    }

    [HolisticFact]
    public void The_library_names_holistic_and_refuses_a_person_detector_with_it()
    {
        using (var rec = VideoRecognizer.Open(fx.Keypoint, HolisticPipeline.ModelName, poseOptions: new PoseEstimatorOptions(Threads: 1)))
        {
            Assert.Equal(HolisticPipeline.ModelName, rec.PoseModelPath);
            Assert.StartsWith("MediaPipe Holistic", rec.PoseModelLabel);
        }
        var e = Assert.Throws<SignNotebooks.Util.UserFacingException>(() => VideoRecognizer.Open(fx.Keypoint, HolisticPipeline.ModelName, detector: "d.onnx"));
        Assert.Contains("Fix: drop --detector", e.Message);
    }
}

/// <summary>`recognize --pose-model` checks its value before anything is loaded.</summary>
[Collection("Console")]
public sealed class RecognizePoseModelOptionTests
{
    [Fact]
    public void An_unknown_pose_model_is_a_usage_error_naming_the_choices()
    {
        var (code, _, stderr) = CliCapture.Run("recognize", "--video", "v.mp4", "--checkpoint", "run", "--pose-model", "mediapipe-holstic");
        Assert.Equal(2, code);
        Assert.Contains("--pose-model mediapipe-holstic: no such file", stderr);
        Assert.Contains("ONNX whole-body model file", stderr);
        Assert.Contains(HolisticPipeline.ModelName, stderr);

        (code, _, stderr) = CliCapture.Run("recognize", "--video", "v.mp4", "--checkpoint", "run", "--pose-model", HolisticPipeline.ModelName, "--detector", "d.onnx");
        Assert.Equal(2, code);
        Assert.Contains("drop --detector", stderr);

        (code, _, stderr) = CliCapture.Run("recognize", "--video", "v.mp4", "--checkpoint", "run", "--save-keypoints", "k.pkl");
        Assert.Equal(2, code);
        Assert.Contains("--save-keypoints must end in .npy", stderr);

        (code, var help, _) = CliCapture.Run("recognize", "--help");
        Assert.Equal(0, code);
        Assert.Contains("mediapipe-holistic", help);
    }
}
