namespace SignNotebooks.Keypoints;

/// <summary>How keypoints become Gaussian heatmaps (spec §1.2). Defaults reproduce SLRT exactly.</summary>
/// <param name="Sigma">σ in map pixels (spec §1.2: 8 in every released S2G config).</param>
/// <param name="WeightByConfidence">Multiply each map by the keypoint score. SLRT's default is false
/// (confidence ignored, spec §15.3); true is an option for experiments.</param>
/// <param name="DropMissing">Give a missed detection, stored as (0, 0, 0), an empty map. SLRT keeps it, which
/// draws a blob in the top-left corner (spec §15.3); false reproduces that.</param>
public sealed record HeatmapOptions(double Sigma = 8.0, bool WeightByConfidence = false, bool DropMissing = false);
