using System.Diagnostics;
using SignNotebooks.Data;
using SignNotebooks.Decoding;
using SignNotebooks.Keypoints;
using SignNotebooks.Models;
using SignNotebooks.Pose;
using SignNotebooks.Pose.Holistic;
using SignNotebooks.Training;
using SignNotebooks.Util;
using static TorchSharp.torch;

namespace SignNotebooks.Inference;

/// <summary>One recognised gloss and when it was signed: frames [StartFrame, EndFrame] of the video, and seconds.</summary>
public sealed record RecognizedGloss(string Gloss, int StartFrame, int EndFrame, double StartSeconds, double EndSeconds);

/// <summary>What <see cref="VideoRecognizer.Recognize"/> found in one video.</summary>
/// <param name="Head">The decoded head (the run's selection head unless another was asked for).</param>
/// <param name="Keypoints">(T·133·3) extracted keypoints; empty when the checkpoint has no keypoint stream.</param>
/// <param name="SampledFrames">Frames the network read (the video's, down to a multiple of the temporal stride).</param>
/// <param name="Translation">The spoken-language sentence when a translation run was given (Sign2Text from the network's
/// features, or Gloss2Text from the decoded glosses); null otherwise.</param>
public sealed record VideoRecognition(IReadOnlyList<RecognizedGloss> Glosses, string Head, int Frames, double FrameRate,
    float[] Keypoints, double PoseSeconds, double ModelSeconds, int SampledFrames, string? Translation = null, PersonBoxCounts? Boxes = null)
{
    public string GlossText => string.Join(' ', Glosses.Select(g => g.Gloss));
}

/// <summary>
/// Video in, glosses out, on the CPU: frames → whole-body keypoints (an ONNX pose model, by default the SynthSign
/// model <see cref="SynthPoseModel"/>, or MediaPipe Holistic, <see cref="HolisticPipeline"/>) → the run's own input
/// pipeline in eval mode (heatmaps, RGB crop, §7) → the trained recognition network → CTC prefix beam search on one
/// head → glosses with time spans from the beam's alignment (head frames × the head's temporal stride → sampled frames
/// → video frames ÷ frame rate).
/// </summary>
public sealed class VideoRecognizer : IDisposable
{
    private readonly RecognitionModel _model;
    private readonly TrainingConfig _config;
    private readonly Vocabulary _vocabulary;
    private readonly PoseEstimator? _pose;
    private HolisticPipeline? _holistic;
    private PersonDetector? _detector;
    private readonly int _beam;
    private readonly Translation.TranslationRun? _translation;

    /// <summary>The decoded head.</summary>
    public string Head { get; }
    /// <summary>The checkpoint folder in use.</summary>
    public string CheckpointDir { get; }
    /// <summary>The pose model in use: an ONNX file, or <see cref="HolisticPipeline.ModelName"/> (null when the checkpoint has no keypoint stream).</summary>
    public string? PoseModelPath => _holistic is not null ? HolisticPipeline.ModelName : _pose?.ModelPath;

    /// <summary>The keypoint extractor in one phrase, for logs: the ONNX file's name or MediaPipe Holistic's package and version.</summary>
    public string? PoseModelLabel => _holistic is not null ? $"MediaPipe Holistic ({HolisticAssets.Package}@{HolisticAssets.Version})"
        : _pose is null ? null : Path.GetFileName(_pose.ModelPath);

    /// <summary>The translation run in use, if any.</summary>
    public string? TranslationDir => _translation?.CheckpointDir;

    private VideoRecognizer(RecognitionModel model, TrainingConfig config, Vocabulary vocabulary, PoseEstimator? pose, int beam, string head, string dir,
        Translation.TranslationRun? translation)
    {
        (_model, _config, _vocabulary, _pose, _beam, Head, CheckpointDir, _translation) = (model, config, vocabulary, pose, beam, head, dir, translation);
    }

    /// <param name="checkpoint">A run folder or checkpoint folder written by `signnb train`.</param>
    /// <param name="poseModel">An ONNX whole-body model, or <see cref="HolisticPipeline.ModelName"/> for MediaPipe Holistic (its
    /// (T, 133, 3) mapping, as `extract-keypoints --model mediapipe-holistic`); null = the SynthSign pose model of the run's
    /// corpus profile (trained and cached on first use).</param>
    /// <param name="head">Head to decode; null = the run's selection head.</param>
    /// <param name="translation">A translation run (`signnb train --stage s2t|g2t`): Sign2Text reads this network's
    /// features and must have been trained on this recognition run; Gloss2Text translates the decoded glosses.</param>
    /// <param name="detector">An mmdeploy end2end person detector (<see cref="PersonDetector"/>); null = the whole frame is the person box.</param>
    public static VideoRecognizer Open(string checkpoint, string? poseModel = null, int? beam = null, string? head = null,
        PoseEstimatorOptions? poseOptions = null, TextWriter? log = null, string? translation = null, string? detector = null)
    {
        if (poseModel == HolisticPipeline.ModelName && detector is not null)
            throw new UserFacingException($"a person detector ({detector}) is for ONNX top-down pose models; MediaPipe Holistic detects the person itself. Fix: drop --detector.");
        var (dir, _, config, _, vocabulary) = RunEvaluation.Open(checkpoint);
        var translator = translation is null ? null : Translation.TranslationRun.Load(translation);
        if (translator?.Features is { } f && Path.GetFullPath(f.Weights) != Path.GetFullPath(Path.Combine(dir, "model.pt")))
            throw new UserFacingException($"the Sign2Text run {translator.CheckpointDir} was trained on the features of {f.Weights}, not of {dir}. " +
                $"Fix: pass that recognition run as --checkpoint (or pass the translation run alone as --checkpoint).");
        head ??= config.ResolvedSelectionHead;
        var model = Trainer.LoadModel(config, Path.Combine(dir, "model.pt"));
        model.eval();
        PoseEstimator? pose = null;
        PersonDetector? det = null;
        HolisticPipeline? holistic = null;
        if (config.Streams.HasFlag(InputStreams.Heatmaps) && poseModel == HolisticPipeline.ModelName)
        {
            // Video mode (tracking from frame to frame), the full pose model: Holistic's defaults, as extract-keypoints.
            holistic = new HolisticPipeline(new HolisticOptions(poseOptions?.Threads ?? 0), log is null ? null : log.WriteLine);
        }
        else if (config.Streams.HasFlag(InputStreams.Heatmaps))
        {
            poseModel ??= SynthPoseModel.GetOrTrain(config.CorpusProfile, log: log);
            poseOptions ??= new PoseEstimatorOptions();
            // mmpose pads detector boxes by 1.25; the whole frame needs none.
            pose = PoseEstimator.Open(poseModel, poseOptions with { ExpectedKeypoints = WholeBody.Count }, detector is null ? null : d => d with { BoxPadding = 1.25 });
            // Frames without a detected person are reported, so the detector always logs somewhere when a log is given.
            if (detector is not null) det = PersonDetector.Open(detector, poseOptions with { Log = poseOptions.Log ?? (log is null ? null : log.WriteLine) });
        }
        return new VideoRecognizer(model, config, vocabulary, pose, beam ?? config.TestBeam, head, dir, translator) { _detector = det, _holistic = holistic };
    }

    /// <summary>Recognises the glosses in <paramref name="frames"/> (one signer, whole frame) at <paramref name="fps"/> frames per second.</summary>
    public VideoRecognition Recognize(IReadOnlyList<RgbFrame> frames, double fps)
    {
        if (frames.Count == 0) throw new UserFacingException("the video has no frames. Fix: pass a video with at least one frame.");
        if (!(fps > 0)) throw new UserFacingException($"frame rate {fps} is not positive. Fix: pass --fps with the video's frame rate.");
        int w = frames[0].Width, h = frames[0].Height;
        if (frames.Any(f => f.Width != w || f.Height != h))
            throw new UserFacingException("the frames differ in size. Fix: pass frames of one video (one size).");
        var sw = Stopwatch.StartNew();
        if (_detector is not null) _detector.Totals = new();   // this video's counts only
        float[] keypoints = _holistic is not null ? HolisticExtraction.Run(_holistic, frames).Keypoints
            : _pose is null ? new float[frames.Count * WholeBody.Count * WholeBody.Values]
            : KeypointExtractor.Extract(_pose, frames, detector: _detector).Keypoints;
        var boxes = _detector?.Totals;
        double poseSeconds = sw.Elapsed.TotalSeconds;
        sw.Restart();
        var pixels = new byte[frames.Count * w * h * 3];
        for (int t = 0; t < frames.Count; t++) frames[t].Rgb.CopyTo(pixels, t * w * h * 3);
        var clip = new SignClip("video", "user", "user", frames.Count, w, h, pixels, keypoints, []);
        // Eval sampling keeps only the centred MaxFrames (400) of a longer clip (spec §7.3); a user's video is meant
        // to be read whole, so the cap is raised to its length (CTC heads take any length; memory grows with it).
        int multiple = _config.Input.LengthMultiple;
        var pipeline = new ClipPipeline(_config.Input with { MaxFrames = Math.Max(_config.Input.MaxFrames, (frames.Count + multiple - 1) / multiple * multiple) });

        List<RecognizedGloss> glosses;
        int sampled;
        string? translation = null;
        using (var scope = NewDisposeScope())
        using (var noGc = NoGcRegion.Enter())
        using (var noGrad = no_grad())
        {
            using var inputs = pipeline.Prepare(clip, train: false, new Random(0), _config.Streams);
            using var batch = Collate.Batch([inputs], [[]], _vocabulary);
            var outputs = _model.Forward(batch.Video, batch.Heatmaps, batch.LengthsTensor);
            if (!outputs.Has(Head))
                throw new UserFacingException($"the checkpoint {CheckpointDir} has no head '{Head}' (heads: {string.Join(", ", outputs.Heads.Keys)}). Fix: pass one of those with --head.");
            var o = outputs[Head];
            int steps = (int)o.ValidLengths[0].item<long>();
            int vocab = (int)o.LogProbs.shape[2];
            var logProbs = o.LogProbs[0].contiguous().data<float>().ToArray();
            // The evaluator's decoding (spec §8.1): prefix beam search, then SLRT's collapse of repeated glosses.
            var options = new CtcDecodeOptions { Method = CtcDecodeMethod.BeamSearch, BeamWidth = _beam, Blank = _vocabulary.BlankId };
            var hyp = CtcDecoder.Decode(logProbs, vocab, steps, options)[0];
            glosses = Spans(hyp, inputs.FrameIndices, steps, fps);
            sampled = inputs.FrameIndices.Length;
            if (_translation is not null)
                translation = _translation.Config.Stage == Translation.TranslationStage.Sign2Text
                    ? _translation.Translate(outputs, 0)
                    : _translation.Translator.TranslateGlosses(glosses.Select(g => g.Gloss), _translation.Config.TestDecoding);
        }
        return new VideoRecognition(glosses, Head, frames.Count, fps, PoseModelPath is null ? [] : keypoints, poseSeconds, sw.Elapsed.TotalSeconds, sampled, translation, boxes);
    }

    /// <summary>
    /// Head frames → video frames: the head sees the L sampled frames at a fixed temporal stride (L / steps, 4 for S3D
    /// heads), so head frame j covers sampled frames [j·s, (j+1)·s), which map to video frames through the sampling.
    /// </summary>
    private List<RecognizedGloss> Spans(CtcHypothesis hyp, int[] frameIndices, int steps, double fps)
    {
        double stride = frameIndices.Length / (double)Math.Max(steps, 1);
        var result = new List<RecognizedGloss>();
        for (int i = 0; i < hyp.Glosses.Length; i++)
        {
            var span = hyp.Spans[i];
            int a = Math.Clamp((int)Math.Floor(span.Start * stride), 0, frameIndices.Length - 1);
            int b = Math.Clamp((int)Math.Ceiling(span.End * stride) - 1, a, frameIndices.Length - 1);
            int f0 = frameIndices[a], f1 = frameIndices[b];
            result.Add(new RecognizedGloss(_vocabulary.Decode(hyp.Glosses[i]), f0, f1, f0 / fps, (f1 + 1) / fps));
        }
        return result;
    }

    public void Dispose()
    {
        _model.Dispose();
        _pose?.Dispose();
        _detector?.Dispose();
        _holistic?.Dispose();
    }
}
