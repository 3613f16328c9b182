namespace SignNotebooks.Pose;

/// <summary>
/// Shape of the timing-only heatmap graph. The defaults are sized like HRNet-w48 at 384×288 (HRNet paper, Table 1:
/// 63.6 M parameters, 32.9 GFLOPs as multiply-adds): most multiply-adds in a high-resolution (1/4) branch, most
/// parameters in a wide low-resolution (1/32) branch, fused by upsample-and-add, then a 1×1 head to K heatmaps.
/// </summary>
public sealed record PoseBenchGraphConfig(
    int InputWidth = 288, int InputHeight = 384, int Keypoints = 133,
    int HighChannels = 192, int HighLayers = 11, int LowChannels = 768, int LowLayers = 9)
{
    /// <summary>A graph of the same topology small enough for tests.</summary>
    public static PoseBenchGraphConfig Tiny { get; } = new(64, 96, 133, 8, 1, 16, 1);
}
