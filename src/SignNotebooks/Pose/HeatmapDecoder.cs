namespace SignNotebooks.Pose;

/// <summary>
/// Heatmap decoding as mmpose's <c>MSRAHeatmap</c> codec does it: the argmax of each map gives the location and
/// the score (the raw maximum), then an optional sub-pixel refinement (<see cref="HeatmapRefinement"/>).
/// </summary>
public static class HeatmapDecoder
{
    /// <summary>
    /// Decodes (K, H, W) heatmaps into K × (x, y, score) in heatmap pixels (x along W). Pixel (i, j) is the location
    /// (x = j, y = i), as mmpose's Gaussian targets are drawn, so a point at heatmap location p is at input pixel p · stride.
    /// </summary>
    public static float[] Decode(ReadOnlySpan<float> maps, int k, int h, int w, HeatmapRefinement refinement, int darkKernel = 11)
    {
        if (maps.Length != k * h * w) throw new ArgumentException($"{maps.Length} heatmap values do not make ({k}, {h}, {w})");
        var result = new float[k * 3];
        for (int c = 0; c < k; c++)
        {
            var map = maps.Slice(c * h * w, h * w);
            int best = 0;
            for (int i = 1; i < map.Length; i++) if (map[i] > map[best]) best = i;
            int x = best % w, y = best / w;
            (double fx, double fy) = refinement switch
            {
                HeatmapRefinement.None => (x, y),
                HeatmapRefinement.QuarterOffset => QuarterOffset(map, h, w, x, y),
                HeatmapRefinement.Dark => DarkRefinement.Refine(map, h, w, x, y, darkKernel),
                _ => throw new ArgumentOutOfRangeException(nameof(refinement)),
            };
            result[c * 3] = (float)fx;
            result[c * 3 + 1] = (float)fy;
            result[c * 3 + 2] = map[best];
        }
        return result;
    }

    // mmpose refine_keypoints: a quarter pixel towards the higher neighbour, away from the border.
    private static (double, double) QuarterOffset(ReadOnlySpan<float> map, int h, int w, int x, int y)
    {
        double fx = x, fy = y;
        if (x > 0 && x < w - 1) fx += 0.25 * Math.Sign(map[y * w + x + 1] - map[y * w + x - 1]);
        if (y > 0 && y < h - 1) fy += 0.25 * Math.Sign(map[(y + 1) * w + x] - map[(y - 1) * w + x]);
        return (fx, fy);
    }
}
