namespace SignNotebooks.Pose.Holistic;

public sealed partial class HolisticPipeline
{
    /// <summary>
    /// TensorsToLandmarksCalculator + LandmarkProjectionCalculator: <paramref name="count"/> landmarks of
    /// <paramref name="stride"/> values (x, y, z in model-input pixels[, visibility, presence logits]) mapped through
    /// <paramref name="roi"/> to frame pixels; z scales with the ROI width like x.
    /// </summary>
    public static Landmark[] Project(ReadOnlySpan<float> values, int count, int stride, int inputW, int inputH, Roi roi)
    {
        var result = new Landmark[count];
        for (int i = 0; i < count; i++)
        {
            var v = values.Slice(i * stride, stride);
            var (x, y) = roi.ToFrame(v[0] / inputW, v[1] / inputH);
            float z = stride > 2 ? v[2] / inputW * roi.Width : 0;
            result[i] = stride >= 5 ? new Landmark(x, y, z, Sigmoid(v[3]), Sigmoid(v[4])) : new Landmark(x, y, z);
        }
        return result;
    }

    /// <summary>pose_landmark_by_roi_cpu.pbtxt: 33 landmarks and the 2 auxiliary ones (35 of the model's 39), the pose
    /// presence score; landmarks are null when the score is below 0.5 (tensors_to_pose_landmarks_and_segmentation).</summary>
    private (Landmark[]? Pose, Landmark[]? Aux, float Score) PoseLandmarks(RgbFrame frame, Roi roi)
    {
        var outputs = _poseLandmark.Run(frame, roi);
        float score = HolisticModel.Output(outputs, "Identity_1", _poseLandmark.Name, 1)[0];
        if (score < 0.5f) return (null, null, score);
        var all = Project(HolisticModel.Output(outputs, "Identity", _poseLandmark.Name, 39 * 5), 35, 5, _poseLandmark.Width, _poseLandmark.Height, roi);
        return (all[..33], all[33..35], score);
    }

    /// <summary>
    /// hand_landmarks_from_pose_cpu.pbtxt for one side: gated by the pose wrist's visibility (&gt; 0.1); ROI from the pose
    /// (×2.7, shifted up 0.1), refined by the re-crop model (hand_recrop_by_roi_cpu), kept from the previous frame's
    /// landmarks while they agree (hand_tracking.pbtxt), then the hand landmark model (presence &gt; 0.5).
    /// </summary>
    private (Landmark[]? Hand, Roi? Roi, float Score) Hand(RgbFrame frame, Landmark[] pose, int wrist, int pinky, int index, ref Landmark[]? previous)
    {
        if (pose[wrist].Visibility <= 0.1f) { previous = null; return (null, null, float.NaN); }
        var fromPose = RoiMath.Transform(RoiMath.HandFromPose(pose[wrist].Xy, pose[pinky].Xy, pose[index].Xy), 2.7f, 2.7f, shiftY: -0.1f);
        var crop = HolisticModel.Output(_handRecrop.Run(frame, fromPose), "output_crop", _handRecrop.Name, 4);
        var p = Project(crop, 2, 2, _handRecrop.Width, _handRecrop.Height, fromPose);
        var recrop = RoiMath.Transform(RoiMath.AlignmentPoints(p[0].Xy, p[1].Xy, -90), 1f, 1f, shiftY: -0.1f);
        var roi = recrop;
        if (previous is not null)
        {
            var pts = previous.Select(l => l.Xy).ToArray();
            var prevRoi = HandRoiFromLandmarks(pts);
            if (RoiMath.KeepTracking(prevRoi, pts, recrop, 40, 0.2f, 0.4f, -0.1f)) roi = prevRoi;
        }
        var (hand, score) = HandLandmarks(frame, roi);
        previous = _options.Track ? hand : null;
        return (hand, roi, score);
    }

    /// <summary>
    /// The hand landmark model alone on <paramref name="roi"/>: 21 landmarks in frame pixels and the presence score,
    /// landmarks null when it is ≤ 0.5 (what <see cref="Process"/> runs once it has a hand's ROI).
    /// </summary>
    public (Landmark[]? Hand, float Score) HandLandmarks(RgbFrame frame, Roi roi)
    {
        var outputs = _handLandmark.Run(frame, roi);
        float score = HolisticModel.Output(outputs, "Identity_1", _handLandmark.Name, 1)[0];
        if (score <= 0.5f) return (null, score);
        return (Project(HolisticModel.Output(outputs, "Identity", _handLandmark.Name, 63), 21, 3, _handLandmark.Width, _handLandmark.Height, roi), score);
    }

    /// <summary>
    /// A hand with no person around it (a close-up photograph, where the pose model has nothing to take the hand ROI
    /// from): the hand landmark model on <paramref name="rough"/>, then on the ROI its own landmarks give, turned
    /// wrist → middle finger, as hand tracking does from one frame to the next (×2, shifted up 0.1), <paramref name="passes"/>
    /// times in all. Returns the last pass, or the first one that finds no hand.
    /// </summary>
    public (Landmark[]? Hand, float Score, Roi Roi) HandFrom(RgbFrame frame, Roi rough, int passes = 2)
    {
        var roi = rough;
        var (hand, score) = HandLandmarks(frame, roi);
        for (int i = 1; i < passes && hand is not null; i++)
        {
            roi = HandRoiFromLandmarks(hand.Select(l => l.Xy).ToArray());
            (hand, score) = HandLandmarks(frame, roi);
        }
        return (hand, score, roi);
    }

    /// <summary>hand_tracking.pbtxt: the next frame's hand ROI from this frame's 21 landmarks (turned wrist → middle
    /// finger, ×2, shifted up 0.1).</summary>
    private static Roi HandRoiFromLandmarks(IReadOnlyList<(float X, float Y)> landmarks) =>
        RoiMath.Transform(RoiMath.HandFromLandmarks(landmarks), 2f, 2f, shiftY: -0.1f);

    /// <summary>
    /// face_landmarks_from_pose_cpu.pbtxt: ROI from the pose's face landmarks 0–10 (×3, turned by right eye → left
    /// eye), the short-range face detector inside it, the ROI from its keypoints (×2, shifted up 0.1), kept from the
    /// previous mesh while they agree (face_tracking.pbtxt), then the face mesh (presence &gt; 0.5 after a sigmoid).
    /// </summary>
    private (Landmark[]? Face, Roi? Roi, Detection? Detection, float Score) Face(RgbFrame frame, Landmark[] pose)
    {
        var facePts = pose[..11].Select(l => l.Xy).ToArray();
        var fromPose = RoiMath.Transform(RoiMath.BoundingBox(facePts, 5, 2, 0), 3f, 3f);
        var det = Detect(_faceDetection, frame, fromPose, _faceAnchors, SsdDecodeOptions.FaceDetectionShortRange).FirstOrDefault();
        if (det is null) { _prevFace = null; return (null, null, null, float.NaN); }
        // face_detection_front_detections_to_roi.pbtxt: keypoint box, right eye (0) → left eye (1), ×2, shift −0.1.
        var recrop = RoiMath.Transform(RoiMath.BoundingBox(det.Keypoints, 0, 1, 0), 2f, 2f, shiftY: -0.1f);
        var roi = recrop;
        if (_prevFace is not null)
        {
            var pts = _prevFace.Select(l => l.Xy).ToArray();
            // face_landmarks_to_roi.pbtxt: mesh box turned by landmarks 33 → 263 (the eyes' outer corners), ×1.5.
            var prevRoi = RoiMath.Transform(RoiMath.BoundingBox(pts, 33, 263, 0), 1.5f, 1.5f);
            if (RoiMath.KeepTracking(prevRoi, pts, recrop, 15, 0.1f, 0.3f, -0.2f)) roi = prevRoi;
        }
        var outputs = _faceLandmark.Run(frame, roi);
        float score = Sigmoid(HolisticModel.Output(outputs, "conv2d_31", _faceLandmark.Name, 1)[0]);
        if (score <= 0.5f) { _prevFace = null; return (null, roi, det, score); }
        var face = Project(HolisticModel.Output(outputs, "conv2d_21", _faceLandmark.Name, 468 * 3), 468, 3, _faceLandmark.Width, _faceLandmark.Height, roi);
        _prevFace = _options.Track ? face : null;
        return (face, roi, det, score);
    }
}
