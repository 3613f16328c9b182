namespace SignNotebooks.Pose.Holistic;

/// <summary>
/// One MediaPipe landmark in frame pixels. <see cref="Z"/> is depth in the same pixel scale (MediaPipe's z times the
/// ROI width). <see cref="Visibility"/> and <see cref="Presence"/> are probabilities (pose landmarks only; 1 for hand
/// and face landmarks, which the models score as a whole).
/// </summary>
public readonly record struct Landmark(float X, float Y, float Z, float Visibility = 1f, float Presence = 1f)
{
    public (float X, float Y) Xy => (X, Y);
}

/// <summary>
/// What the Holistic pipeline found in one frame. A part that was not found is null; its score says how sure the
/// model was (pose flag, hand flag, face flag), NaN when the model did not run.
/// </summary>
public sealed record HolisticResult(
    Landmark[]? Pose, Landmark[]? LeftHand, Landmark[]? RightHand, Landmark[]? Face,
    Roi? PoseRoi, Roi? LeftHandRoi, Roi? RightHandRoi, Roi? FaceRoi, Detection? FaceDetection,
    float PoseScore, float LeftHandScore, float RightHandScore, float FaceScore, bool PoseRedetected)
{
    public const int PoseCount = 33, HandCount = 21, FaceCount = 468;

    /// <summary>Nothing found (pose detection found no person).</summary>
    public static HolisticResult Empty(bool redetected) =>
        new(null, null, null, null, null, null, null, null, null, float.NaN, float.NaN, float.NaN, float.NaN, redetected);
}
