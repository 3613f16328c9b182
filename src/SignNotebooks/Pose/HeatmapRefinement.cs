namespace SignNotebooks.Pose;

/// <summary>How a heatmap's integer argmax is refined to a sub-pixel location.</summary>
public enum HeatmapRefinement
{
    /// <summary>The integer argmax only (quantisation error up to half a heatmap pixel per axis).</summary>
    None,
    /// <summary>mmpose's classic shift of a quarter pixel towards the higher neighbour.</summary>
    QuarterOffset,
    /// <summary>DARK (Zhang et al., CVPR 2020): Taylor expansion of the log of the blurred heatmap; the paper's decoder (spec §1.2).</summary>
    Dark,
}
