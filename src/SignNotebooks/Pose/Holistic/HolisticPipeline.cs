namespace SignNotebooks.Pose.Holistic;

/// <summary>Settings of <see cref="HolisticPipeline"/>.</summary>
/// <param name="Threads">ONNX Runtime intra-op threads per model (0: ONNX Runtime's default)</param>
/// <param name="PoseModel">pose_landmark_lite, pose_landmark_full (Holistic's default, model_complexity 1) or pose_landmark_heavy</param>
/// <param name="Track">video mode: each frame's ROIs come from the previous frame's landmarks (Holistic's
/// static_image_mode false); false detects the person again in every frame</param>
public sealed record HolisticOptions(int Threads = 0, string PoseModel = "pose_landmark_full", bool Track = true);

/// <summary>
/// MediaPipe Holistic on the CPU through ONNX Runtime, as mediapipe/modules/holistic_landmark/holistic_landmark_cpu.pbtxt
/// wires it: pose detection → pose landmarks (33) → hand ROIs from the pose's wrist/index/pinky, refined by the
/// hand re-crop model → hand landmarks (21 each); face ROI from the pose's face landmarks, refined by the face detector
/// → face mesh (468). In video mode (<see cref="HolisticOptions.Track"/>) the previous frame's landmarks give the next
/// ROIs (PoseLandmarkCpu's loopback, HandTracking and FaceTracking's RoiTrackingCalculator), and the person is
/// detected again when the pose model's presence score drops below 0.5.
/// Not done: landmark smoothing (PoseLandmarkFiltering's one-euro filter), the heatmap refinement of pose landmarks,
/// the segmentation mask, the refined (attention) face model.
/// </summary>
public sealed partial class HolisticPipeline : IDisposable
{
    private readonly HolisticModel _poseDetection, _poseLandmark, _handRecrop, _handLandmark, _faceDetection, _faceLandmark;
    private readonly Anchor[] _poseAnchors = SsdAnchors.Generate(SsdAnchorOptions.PoseDetection);
    private readonly Anchor[] _faceAnchors = SsdAnchors.Generate(SsdAnchorOptions.FaceDetectionShortRange);
    private readonly HolisticOptions _options;

    // Tracking state: the pose ROI from the last landmarks, the last hand and face landmarks.
    private Roi? _poseRoi;
    private Landmark[]? _prevLeft, _prevRight, _prevFace;

    /// <summary>The name that selects this pipeline on the command line (`extract-keypoints --model`, `recognize --pose-model`).</summary>
    public const string ModelName = "mediapipe-holistic";

    public string Provider => _poseLandmark.Provider;

    /// <summary>The six models, for per-model timings.</summary>
    public IReadOnlyList<HolisticModel> Models => [_poseDetection, _poseLandmark, _handRecrop, _handLandmark, _faceDetection, _faceLandmark];

    public HolisticPipeline(HolisticOptions? options = null, Action<string>? log = null)
    {
        _options = options ?? new HolisticOptions();
        log ??= _ => { };
        if (_options.PoseModel is not ("pose_landmark_lite" or "pose_landmark_full" or "pose_landmark_heavy"))
            throw new ArgumentException($"pose model '{_options.PoseModel}': pose_landmark_lite, pose_landmark_full or pose_landmark_heavy expected");
        int t = _options.Threads;
        // Input value ranges: each graph's ImageToTensorCalculator output_tensor_float_range.
        _poseDetection = new HolisticModel("pose_detection", -1, 1, t, log);
        _poseLandmark = new HolisticModel(_options.PoseModel, 0, 1, t, log);
        _handRecrop = new HolisticModel("hand_recrop", 0, 1, t, log);
        _handLandmark = new HolisticModel("hand_landmark_full", 0, 1, t, log);
        _faceDetection = new HolisticModel("face_detection_short_range", -1, 1, t, log);
        _faceLandmark = new HolisticModel("face_landmark", 0, 1, t, log);
    }

    /// <summary>Forgets the tracked ROIs: the next frame starts with pose detection (a new video).</summary>
    public void Reset()
    {
        _poseRoi = null;
        _prevLeft = _prevRight = _prevFace = null;
    }

    /// <summary>Runs the pipeline on one frame; in video mode, frames must come in order.</summary>
    public HolisticResult Process(RgbFrame frame)
    {
        frame.Validate();
        if (!_options.Track) Reset();
        bool redetected = false;
        var roi = _poseRoi;
        if (roi is null)
        {
            roi = DetectPose(frame);
            redetected = true;
        }
        if (roi is null) { Reset(); return HolisticResult.Empty(redetected); }
        var (pose, aux, poseScore) = PoseLandmarks(frame, roi.Value);
        if (pose is null && !redetected)
        {
            // Tracking lost: MediaPipe outputs nothing for this frame and detects on the next; detecting again now
            // keeps the frame.
            redetected = true;
            roi = DetectPose(frame);
            if (roi is not null) (pose, aux, poseScore) = PoseLandmarks(frame, roi.Value);
        }
        if (pose is null || aux is null)
        {
            Reset();
            return HolisticResult.Empty(redetected) with { PoseScore = poseScore, PoseRoi = roi };
        }
        // pose_landmarks_to_roi.pbtxt: auxiliary landmarks 33 (centre) and 34 (scale), target 90°, ×1.25.
        _poseRoi = RoiMath.Transform(RoiMath.AlignmentPoints(aux[0].Xy, aux[1].Xy, 90), 1.25f, 1.25f);

        // hand_landmarks_left_and_right_cpu.pbtxt: the person's left hand from pose 15/17/19, the right from 16/18/20.
        var (left, leftRoi, leftScore) = Hand(frame, pose, 15, 17, 19, ref _prevLeft);
        var (right, rightRoi, rightScore) = Hand(frame, pose, 16, 18, 20, ref _prevRight);
        var (face, faceRoi, faceDet, faceScore) = Face(frame, pose);
        return new HolisticResult(pose, left, right, face, roi, leftRoi, rightRoi, faceRoi, faceDet,
            poseScore, leftScore, rightScore, faceScore, redetected);
    }

    /// <summary>pose_detection_cpu.pbtxt + pose_detection_to_roi.pbtxt: the best person's ROI, or null.</summary>
    public Roi? DetectPose(RgbFrame frame)
    {
        var det = DetectPersons(frame).FirstOrDefault();
        if (det is null) return null;
        // Keypoint 0: mid-hip centre; keypoint 1: a point whose distance and direction give the body's size and tilt.
        return RoiMath.Transform(RoiMath.AlignmentPoints(det.Keypoints[0], det.Keypoints[1], 90), 1.25f, 1.25f);
    }

    /// <summary>Pose detections in frame pixels, best first (letterboxed 224×224 input, weighted NMS).</summary>
    public List<Detection> DetectPersons(RgbFrame frame)
    {
        // keep_aspect_ratio with BORDER_ZERO: the whole frame, padded to a square, is the model's view.
        var letterbox = Roi.Frame(frame.Width, frame.Height).WithAspect(_poseDetection.Width, _poseDetection.Height);
        return Detect(_poseDetection, frame, letterbox, _poseAnchors, SsdDecodeOptions.PoseDetection);
    }

    private static List<Detection> Detect(HolisticModel model, RgbFrame frame, Roi roi, Anchor[] anchors, SsdDecodeOptions o)
    {
        var outputs = model.Run(frame, roi);
        var boxes = outputs.Values.FirstOrDefault(v => v.Length == anchors.Length * o.NumCoords);
        var scores = outputs.Values.FirstOrDefault(v => v.Length == anchors.Length);
        if (boxes is null || scores is null)
            throw new InvalidOperationException($"{model.Name}: outputs of {anchors.Length}×{o.NumCoords} box values and {anchors.Length} scores expected; got {string.Join(", ", outputs.Select(x => $"{x.Key} ({x.Value.Length})"))}");
        var found = SsdDetections.WeightedNms(SsdDetections.Decode(boxes, scores, anchors, o), o.NmsThreshold);
        return found.Select(d => d.MapTo(roi)).ToList();
    }

    public void Dispose()
    {
        _poseDetection.Dispose(); _poseLandmark.Dispose(); _handRecrop.Dispose();
        _handLandmark.Dispose(); _faceDetection.Dispose(); _faceLandmark.Dispose();
    }

    internal static float Sigmoid(float v) => 1f / (1f + MathF.Exp(-v));
}
