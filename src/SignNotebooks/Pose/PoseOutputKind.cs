namespace SignNotebooks.Pose;

/// <summary>How a top-down pose model encodes keypoint locations.</summary>
public enum PoseOutputKind
{
    /// <summary>One output (N, K, H, W): a heatmap per keypoint at a fraction of the input size (HRNet, spec §1.2).</summary>
    Heatmap,
    /// <summary>Two outputs (N, K, W·r) and (N, K, H·r): one classification vector per axis, r = split ratio (RTMPose, RTMW, DWPose).</summary>
    SimCC,
}
