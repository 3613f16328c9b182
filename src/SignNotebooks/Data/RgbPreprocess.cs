using SignNotebooks.Keypoints;
using static TorchSharp.torch;
using static SignNotebooks.Util.KeptScalars;

namespace SignNotebooks.Data;

/// <summary>
/// Frames → the RGB stream input (spec §1.3, §7.4): uint8 RGB / 255, optional colour jitter, crop, bilinear resize
/// (align_corners false, no antialias, as torchvision 0.10 tensors), channels reversed to BGR, (x − 0.5)/0.5.
/// BGR is kept so the released SLRT checkpoints work.
/// </summary>
public static class RgbPreprocess
{
    /// <summary>
    /// <paramref name="frames"/> is (T, H, W, 3) RGB uint8 row-major; <paramref name="indices"/> picks the frames.
    /// Returns (3, L, size, size) float32 in BGR order, values in [−1, 1].
    /// </summary>
    public static Tensor StreamInput(byte[] frames, int frameCount, int height, int width, int[] indices, CropBox box,
        int size, ColorJitter? jitter = null, int chunkFrames = 16, bool antialias = false)
    {
        if (box.Top < 0 || box.Left < 0 || box.Height < 1 || box.Width < 1 || box.Top + box.Height > height || box.Left + box.Width > width)
            throw new ArgumentException($"crop box {box} lies outside the {height}×{width} frame");
        var output = empty([3, indices.Length, size, size], dtype: float32);
        using var scope = NewDisposeScope();
        var all = tensor(frames, [frameCount, height, width, 3]);
        for (int start = 0; start < indices.Length; start += chunkFrames)
        {
            using var chunkScope = NewDisposeScope();
            int n = Math.Min(chunkFrames, indices.Length - start);
            var idx = tensor(indices[start..(start + n)], dtype: int64);
            // (n, H, W, 3) uint8 -> (n, 3, H, W) float in [0, 1]
            var x = all.index_select(0, idx).permute(0, 3, 1, 2).to(float32).div_(F(255));
            if (jitter is not null) x = jitter.Apply(x);
            x = x.narrow(2, box.Top, box.Height).narrow(3, box.Left, box.Width);
            if (box.Height != size || box.Width != size)
                x = nn.functional.interpolate(x, size: [size, size], mode: InterpolationMode.Bilinear, align_corners: false, antialias: antialias);
            // spec §1.3: RGB -> BGR, then [0, 1] -> [-1, 1].
            x = x.flip(1).sub(F(0.5)).div_(F(0.5));
            // (n, 3, S, S) -> (3, n, S, S) written into the (3, L, S, S) output.
            output.narrow(1, start, n).copy_(x.permute(1, 0, 2, 3));
        }
        return output;
    }

    /// <summary>Inverse of the normalisation, for figures: (3, L, S, S) BGR [−1, 1] → (L, S, S, 3) RGB uint8.</summary>
    public static Tensor ToDisplay(Tensor streamInput)
    {
        using var scope = NewDisposeScope();
        var x = streamInput.flip(0).mul(F(0.5)).add_(F(0.5), F(1)).clamp_(F(0), F(1)).mul_(F(255)).round_();
        return x.permute(1, 2, 3, 0).to(uint8).MoveToOuterDisposeScope();
    }
}
