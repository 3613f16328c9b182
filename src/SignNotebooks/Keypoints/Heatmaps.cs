using TorchSharp;
using static TorchSharp.torch;
using static SignNotebooks.Util.KeptScalars;
using Fn = TorchSharp.torch.nn.functional;

namespace SignNotebooks.Keypoints;

/// <summary>
/// Keypoints → Gaussian heatmaps, the keypoint stream's input (spec §1.2):
/// H_k(y, x) = exp(−((y − y_k)² + (x − x_k)²) / (2σ²)) on the integer pixels of the map grid, unnormalised.
/// The map grid is the raw frame unless a map size is given (coordinates are then scaled by map/raw).
/// </summary>
public static class Heatmaps
{
    /// <summary>
    /// Reference path, literally as the spec describes it: full maps on the map grid, values in [0, 1].
    /// <paramref name="keypoints"/> is (N, K, 3) = (x, y, score) in raw-frame pixels; returns (N, K, mapH, mapW) float32.
    /// Memory is N·K·mapH·mapW floats, so call it on a few frames (tests, figures); training uses <see cref="StreamInput"/>.
    /// </summary>
    public static Tensor Render(Tensor keypoints, (int H, int W) raw, (int H, int W) map, HeatmapOptions? options = null)
    {
        options ??= new HeatmapOptions();
        using var scope = NewDisposeScope();
        var (x, y, weight) = MapCoordinates(keypoints, raw, map, options);
        var gy = arange(I(0), I(map.H), I(1), dtype: float64).view(1, 1, map.H, 1);
        var gx = arange(I(0), I(map.W), I(1), dtype: float64).view(1, 1, 1, map.W);
        // (N, K) -> (N, K, 1, 1) so the grid broadcasts over every keypoint of every frame.
        var dy = gy - y.view(y.shape[0], y.shape[1], 1, 1);
        var dx = gx - x.view(x.shape[0], x.shape[1], 1, 1);
        var d2 = dy.mul(dy).add(dx.mul(dx), F(1));
        var h = exp(d2.div(F(-2 * options.Sigma * options.Sigma)));
        if (weight is not null) h = h.mul(weight.view(weight.shape[0], weight.shape[1], 1, 1));
        return h.to(float32).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The stream input: maps cropped to <paramref name="box"/> (in map pixels), resized bilinearly (no antialias,
    /// align_corners false) to outH×outW and scaled with (h − 0.5)/0.5 to [−1, 1] (spec §1.2, §7.4).
    /// Returns (N, K, outH, outW) float32. Equal to Render → crop → resize → scale (a test checks it), but computed
    /// without the full maps: a Gaussian is the product of a row and a column profile, bilinear resizing is
    /// separable, so each axis is cropped and resized in 1-D and the map is their outer product. That keeps paper
    /// sizes (260×210 maps, 79 channels, hundreds of frames) cheap in time and memory.
    /// The result is elementwise in the two leading dims, so a (K, L, 3) input gives (K, L, outH, outW) directly.
    /// </summary>
    public static Tensor StreamInput(Tensor keypoints, (int H, int W) raw, (int H, int W) map, CropBox box,
        int outH, int outW, HeatmapOptions? options = null)
    {
        options ??= new HeatmapOptions();
        if (box.Top < 0 || box.Left < 0 || box.Height < 1 || box.Width < 1 || box.Top + box.Height > map.H || box.Left + box.Width > map.W)
            throw new ArgumentException($"crop box {box} lies outside the {map.H}×{map.W} heatmap grid");
        using var scope = NewDisposeScope();
        var (x, y, weight) = MapCoordinates(keypoints, raw, map, options);
        long n = keypoints.shape[0], k = keypoints.shape[1];
        var rows = Profile(y, box.Top, box.Height, outH, options.Sigma);   // (N, K, outH)
        var cols = Profile(x, box.Left, box.Width, outW, options.Sigma);   // (N, K, outW)
        // The factor 2 of (h − 0.5)/0.5 goes on the small row profile, the −1 into addcmul: one pass over the maps.
        rows = weight is null ? rows.mul(F(2)) : rows.mul(weight.to(float32).mul(F(2)).unsqueeze(-1));
        // (N, K, outH, 1) * (N, K, 1, outW) − 1 -> (N, K, outH, outW)
        var h = addcmul(full(new long[] { 1, 1, 1, 1 }, F(-1), dtype: float32), rows.view(n, k, outH, 1), cols.view(n, k, 1, outW), F(1));
        return h.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// For figures: one frame of a (K, L, s, s) stream input as a single (s, s) image in [0, 1], the maximum over
    /// the selected channels (all when <paramref name="channels"/> is null).
    /// </summary>
    public static float[,] Overview(Tensor streamInput, int frame, IEnumerable<int>? channels = null)
    {
        using var scope = NewDisposeScope();
        var x = streamInput.select(1, frame);   // (K, L, s, s) -> (K, s, s)
        if (channels is not null) x = x.index_select(0, tensor(channels.Select(c => (long)c).ToArray()));
        var img = x.amax([0]).add(F(1), F(1)).div_(F(2)).clamp_(F(0), F(1));   // [-1, 1] -> [0, 1]
        int h = (int)img.shape[0], w = (int)img.shape[1];
        var data = img.contiguous().data<float>().ToArray();
        var result = new float[h, w];
        Buffer.BlockCopy(data, 0, result, 0, data.Length * sizeof(float));
        return result;
    }

    /// <summary>1-D Gaussian along one axis over the cropped pixels [start, start+len), resized to outLen.</summary>
    private static Tensor Profile(Tensor centre, int start, int len, int outLen, double sigma)
    {
        long n = centre.shape[0], k = centre.shape[1];
        var grid = arange(I(start), I(start + len), I(1), dtype: float64).view(1, 1, len);
        // float64 for the exponent, float32 for the resize (libtorch's float64 bilinear kernel is ~80× slower).
        var d = grid - centre.unsqueeze(-1);
        var g = exp(d.mul(d).div(F(-2 * sigma * sigma))).to(float32);   // (N, K, len)
        if (len == outLen) return g;
        // (N, K, len) -> (1, N·K, len, 1): bilinear on a len×1 image is linear interpolation along len,
        // with exactly the index arithmetic F.interpolate uses for the 2-D maps.
        var img = g.reshape(1, n * k, len, 1);
        var r = Fn.interpolate(img, size: [outLen, 1], mode: InterpolationMode.Bilinear, align_corners: false);
        return r.view(n, k, outLen);   // (1, N·K, outLen, 1) -> (N, K, outLen)
    }

    /// <summary>(N, K, 3) raw-pixel keypoints → map-grid x, y (N, K) float64 and the optional per-map weight.</summary>
    private static (Tensor X, Tensor Y, Tensor? Weight) MapCoordinates(Tensor keypoints, (int H, int W) raw, (int H, int W) map,
        HeatmapOptions options)
    {
        if (keypoints.dim() != 3 || keypoints.shape[2] != 3)
            throw new ArgumentException($"keypoints must be (N, K, 3), got ({string.Join(", ", keypoints.shape)})");
        var kp = keypoints.to(float64);
        // spec §1.2: coordinates scale by map/raw (CSL-Daily 170/512); Phoenix has no map size, factor 1.
        var x = kp.select(2, 0).mul(F((double)map.W / raw.W));
        var y = kp.select(2, 1).mul(F((double)map.H / raw.H));
        var score = kp.select(2, 2);
        Tensor? weight = options.WeightByConfidence ? score : null;
        if (options.DropMissing)
        {
            // A missed detection is stored as exactly (0, 0, 0) (spec §1.2).
            var present = kp.ne(F(0)).any(2).to(float64);
            weight = weight is null ? present : weight.mul(present);
        }
        return (x, y, weight);
    }
}
