namespace SignNotebooks.Pose;

/// <summary>A detected person: the box in frame pixels and the detector's score.</summary>
public readonly record struct PersonDetection(PoseBox Box, float Score);
