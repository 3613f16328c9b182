namespace SignNotebooks.Plots;

/// <summary>
/// One fixed colour per stream and head, used by every figure (house style), so "video" is the same blue in a
/// loss curve, a WER table and an alignment plot.
/// </summary>
public static class StreamStyle
{
    public const string Video = "#1f77b4";
    public const string Keypoint = "#ff7f0e";
    public const string Joint = "#2ca02c";
    public const string Ensemble = "#d62728";
    public const string Other = "#7f7f7f";

    /// <summary>Colour for a head name such as `video`, `keypoint_aux_0`, `ensemble_last`.</summary>
    public static string ForHead(string head) => head switch
    {
        _ when head.StartsWith("video", StringComparison.Ordinal) || head.StartsWith("rgb", StringComparison.Ordinal) => Video,
        _ when head.StartsWith("keypoint", StringComparison.Ordinal) || head.StartsWith("pose", StringComparison.Ordinal) => Keypoint,
        _ when head.StartsWith("joint", StringComparison.Ordinal) || head.StartsWith("fuse", StringComparison.Ordinal) => Joint,
        _ when head.StartsWith("ensemble", StringComparison.Ordinal) => Ensemble,
        _ => Other,
    };
}
