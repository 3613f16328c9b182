using System.Globalization;
using System.Text.RegularExpressions;
using SignNotebooks.Data;
using SignNotebooks.Inference;
using SignNotebooks.Pose;
using SignNotebooks.Synthetic;
using SignNotebooks.Training;

namespace SignNotebooks.Tests.Inference;

/// <summary>
/// A tiny trained TwoStream checkpoint (video and keypoint stages, then the joint stage, one epoch each on 8 SynthSign
/// tiny clips) and a quickly trained SynthSign pose model: enough to run the whole video → glosses path.
/// </summary>
public sealed class RecognizeFixture : IDisposable
{
    public string Dir { get; } = Directory.CreateTempSubdirectory("signnb-recognize-").FullName;
    public string Joint { get; }
    public string Video { get; }
    public string PoseModel { get; }
    public SynthClip Clip { get; }

    public RecognizeFixture()
    {
        var ds = new SynthSignDataset("tiny");
        var vocab = Vocabulary.SynthSign(ds.Glosses);
        TrainingConfig Cfg(TrainingStage s) => TrainingProfiles.Get("tiny", s) with { MaxTrainClips = 8, MaxEvalClips = 4, Epochs = 1 };
        string Train(TrainingStage s, (string, string)? init = null)
        {
            var run = new RunDirectory(Path.Combine(Dir, s.ToString().ToLowerInvariant()));
            new Trainer(Cfg(s), run, ds, vocab, TextWriter.Null) { InitFromStages = init }.Run();
            return run.Root;
        }
        var video = Video = Train(TrainingStage.Video);
        var keypoint = Train(TrainingStage.Keypoint);
        Joint = Train(TrainingStage.Joint, (new RunDirectory(video).ModelFile("best"), new RunDirectory(keypoint).ModelFile("best")));
        PoseModel = Path.Combine(Dir, "pose.onnx");
        using var pose = SynthPoseTrainer.Train(SynthPoseConfig.For("tiny") with { Steps = 40, BatchSize = 8, TrainClips = 8 }).Net;
        SynthPoseExport.Write(pose, PoseModel);
        Clip = ds.Generate("dev", 0);
    }

    public void Dispose() => Directory.Delete(Dir, true);
}

[Collection("Console")]
public sealed class RecognizeTests(RecognizeFixture fx) : IClassFixture<RecognizeFixture>
{
    private static readonly Regex SpanLine = new(@"^\s*(\d+\.\d+)–(\d+\.\d+) s  frames (\d+)–(\d+)  (\S+)$", RegexOptions.Multiline);

    private IReadOnlyList<RgbFrame> Frames() => Enumerable.Range(0, fx.Clip.FrameCount).Select(t => SynthPoseTrainer.FrameOf(fx.Clip, t)).ToList();

    [Fact]
    public void Recognize_reads_an_mp4_and_prints_glosses_with_time_spans_inside_the_video()
    {
        var mp4 = Path.Combine(fx.Dir, "clip.mp4");
        FfmpegVideoReader.Write(mp4, Frames(), 25);
        Assert.Equal(25, FfmpegVideoReader.FrameRate(mp4)!.Value, 3);
        var (code, stdout, stderr) = CliCapture.Run("recognize", "--video", mp4, "--checkpoint", fx.Joint, "--pose-model", fx.PoseModel, "--beam", "3");
        Assert.True(code == 0, stderr + stdout);
        Assert.Contains("glosses: ", stdout);
        Assert.Contains($"recognize: {fx.Clip.FrameCount} frames at 25 fps", stdout);
        Assert.Contains("head ensemble_last", stdout);   // the joint run's selection head
        double duration = fx.Clip.FrameCount / 25.0, lastStart = 0;
        foreach (Match m in SpanLine.Matches(stdout))
        {
            double a = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), b = double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
            int f0 = int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture), f1 = int.Parse(m.Groups[4].Value, CultureInfo.InvariantCulture);
            Assert.InRange(a, lastStart, b);
            Assert.InRange(b, a, duration + 1e-9);
            Assert.InRange(f0, 0, f1);
            Assert.True(f1 < fx.Clip.FrameCount);
            Assert.Equal(f0 / 25.0, a, 2);
            lastStart = a;
        }
    }

    [Fact]
    public void Library_and_frames_folder_give_the_same_glosses_and_spans_follow_the_frame_rate()
    {
        var frames = Frames();
        using var rec = VideoRecognizer.Open(fx.Joint, fx.PoseModel, beam: 5, head: "keypoint");
        var at25 = rec.Recognize(frames, 25);
        var at10 = rec.Recognize(frames, 10);
        Assert.Equal("keypoint", at25.Head);
        Assert.Equal(at25.GlossText, at10.GlossText);
        Assert.Equal(fx.Clip.FrameCount * 133 * 3, at25.Keypoints.Length);
        Assert.Null(at25.Translation);   // the translation hook stays empty until translation exists
        for (int i = 0; i < at25.Glosses.Count; i++)
        {
            Assert.Equal(at25.Glosses[i].StartFrame, at10.Glosses[i].StartFrame);
            Assert.Equal(at25.Glosses[i].StartSeconds * 2.5, at10.Glosses[i].StartSeconds, 9);
        }
        var dir = Directory.CreateDirectory(Path.Combine(fx.Dir, "frames")).FullName;
        for (int t = 0; t < frames.Count; t++)
            File.WriteAllBytes(Path.Combine(dir, $"images{t + 1:D4}.png"), PngEncoder.Encode(fx.Clip.Frames!, t * fx.Clip.Width * fx.Clip.Height * 3, fx.Clip.Width, fx.Clip.Height));
        var (code, stdout, stderr) = CliCapture.Run("recognize", "--frames", dir, "--checkpoint", fx.Joint, "--pose-model", fx.PoseModel, "--head", "keypoint");
        Assert.True(code == 0, stderr + stdout);
        Assert.Contains($"glosses: {(at25.Glosses.Count == 0 ? "(none)" : at25.GlossText)}\n", stdout.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void A_detector_gives_each_frame_its_person_box_and_the_counts_are_reported()
    {
        var det = Path.Combine(fx.Dir, "detector.onnx");
        SignNotebooks.Tests.Pose.DetectorTestGraphs.WriteConstant(det, 64, 64, [[8, 4, 56, 60, 0.9f]], [0]);
        var frames = Frames();
        using var rec = VideoRecognizer.Open(fx.Joint, fx.PoseModel, beam: 3, detector: det);
        var r = rec.Recognize(frames, 25);
        Assert.Equal(new PersonBoxCounts(frames.Count, frames.Count, 0, 0), r.Boxes);
        // The same keypoints as the pose model alone on the detected box, padded by mmpose's 1.25.
        using var detector = PersonDetector.Open(det);
        var box = detector.Detect(frames[0])!.Value.Box;
        using var pose = PoseEstimator.Open(fx.PoseModel, new PoseEstimatorOptions(ExpectedKeypoints: 133), d => d with { BoxPadding = 1.25 });
        Assert.Equal(KeypointExtractor.Extract(pose, frames, box).Keypoints, r.Keypoints);
        using var whole = VideoRecognizer.Open(fx.Joint, fx.PoseModel, beam: 3);
        Assert.NotEqual(r.Keypoints, whole.Recognize(frames, 25).Keypoints);
    }

    [Fact]
    public void A_video_only_run_needs_no_pose_model_and_long_videos_are_read_whole()
    {
        using var rec = VideoRecognizer.Open(fx.Video);
        Assert.Null(rec.PoseModelPath);
        var frames = Frames();
        // Longer than the eval cap of 400 frames: every frame must still reach the network (spans may end late).
        var longVideo = Enumerable.Range(0, 11).SelectMany(_ => frames).ToList();
        Assert.True(longVideo.Count > 400);
        var r = rec.Recognize(longVideo, 25);
        Assert.Equal(longVideo.Count, r.Frames);
        Assert.Equal(longVideo.Count / 4 * 4, r.SampledFrames);
        Assert.Empty(r.Keypoints);
        Assert.All(r.Glosses, g => Assert.InRange(g.EndFrame, g.StartFrame, longVideo.Count - 1));
    }

    [Fact]
    public void Bad_input_is_a_clear_error()
    {
        var (code, _, err) = CliCapture.Run("recognize", "--video", Path.Combine(fx.Dir, "missing.mp4"), "--checkpoint", fx.Joint, "--pose-model", fx.PoseModel);
        Assert.Equal(1, code);
        Assert.Contains("Fix:", err);
        (code, _, err) = CliCapture.Run("recognize", "--frames", fx.Dir, "--checkpoint", Path.Combine(fx.Dir, "nothing"), "--pose-model", fx.PoseModel);
        Assert.Equal(1, code);
        Assert.Contains("Fix:", err);
        (code, _, _) = CliCapture.Run("recognize", "--checkpoint", fx.Joint);
        Assert.Equal(2, code);
        using var rec = VideoRecognizer.Open(fx.Joint, fx.PoseModel, head: "no_such_head");
        var e = Assert.Throws<SignNotebooks.Util.UserFacingException>(() => rec.Recognize(Frames(), 25));
        Assert.Contains("--head", e.Message);
    }

    [Fact]
    public void Bench_recognize_times_a_video_of_the_asked_length()
    {
        var (code, stdout, stderr) = CliCapture.Run("bench", "recognize", "--checkpoint", fx.Joint, "--seconds", "2", "--fps", "25", "--pose-model", fx.PoseModel);
        Assert.True(code == 0, stderr + stdout);
        Assert.Contains("video      : 50 frames of 64×64 at 25 fps = 2.0 s", stdout);
        Assert.Matches(@"recognize  : \d+\.\d s end to end = open", stdout);
    }

    [Fact]
    public void A_sign2text_run_as_checkpoint_recognises_with_its_recognition_run_and_prints_the_translation()
    {
        var s2t = Path.Combine(fx.Dir, "s2t");
        var config = Path.Combine(fx.Dir, "s2t.json");
        File.WriteAllText(config, """{ "Epochs": 1, "MaxTrainClips": 8 }""");
        var (code, stdout, stderr) = CliCapture.Run("train", "--stage", "s2t", "--profile", "tiny", "--recognition", fx.Joint, "--source", "joint",
            "--config", config, "--out", s2t);
        Assert.True(code == 0, stderr + stdout);

        using var rec = VideoRecognizer.Open(fx.Joint, fx.PoseModel, translation: s2t);
        var r = rec.Recognize(Frames(), 25);
        Assert.NotNull(r.Translation);
        var mp4 = Path.Combine(fx.Dir, "clip-s2t.mp4");
        FfmpegVideoReader.Write(mp4, Frames(), 25);
        (code, stdout, stderr) = CliCapture.Run("recognize", "--video", mp4, "--checkpoint", s2t, "--pose-model", fx.PoseModel);
        Assert.True(code == 0, stderr + stdout);
        Assert.Contains($"glosses: {(r.Glosses.Count == 0 ? "(none)" : r.GlossText)}\n", stdout.ReplaceLineEndings("\n"));
        Assert.Contains($"translation: {r.Translation}\n", stdout.ReplaceLineEndings("\n"));

        // Its checkpoint folder works the same as the run folder.
        (code, stdout, stderr) = CliCapture.Run("recognize", "--video", mp4, "--checkpoint", Path.Combine(s2t, "checkpoints", "best"), "--pose-model", fx.PoseModel);
        Assert.True(code == 0, stderr + stdout);
        Assert.Contains($"translation: {r.Translation}\n", stdout.ReplaceLineEndings("\n"));

        // A Sign2Text run reads one recognition network's features: pairing it with another is refused.
        var e = Assert.Throws<SignNotebooks.Util.UserFacingException>(() => VideoRecognizer.Open(fx.Video, translation: s2t));
        Assert.Contains("Fix:", e.Message);
    }
}
