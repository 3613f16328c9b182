namespace SignNotebooks.Data;

/// <summary>
/// Another corpus with every frame resized to one size at load, and the keypoints scaled with the frames (missed
/// detections stay (0, 0, 0)). CSL-Daily needs it: SLRT resizes its 512² frames to 320² when loading (spec §7.4,
/// `csl_resize`), and the eval centre crop (270) and heatmap map (170) are defined on that size. The resize is
/// bilinear with half-pixel centres and no antialiasing (torch's `interpolate(align_corners=False)`); which resize
/// SLRT's loader uses for `csl_resize` is not pinned down by the spec.
/// </summary>
public sealed class ResizedDataset(ISignDataset inner, int width, int height) : ISignDataset
{
    public ISignDataset Inner => inner;
    public string Name => inner.Name;
    public IReadOnlyList<string> Splits => inner.Splits;
    public IReadOnlyList<string> Glosses => inner.Glosses;
    public IReadOnlyList<string> ClipNames(string split) => inner.ClipNames(split);

    public SignClip Load(string split, string name, bool withFrames = true) => Resized(inner.Load(split, name, withFrames));
    public bool CanRestage => inner.CanRestage;
    public SignClip LoadRestaged(string split, string name, int variant) => Resized(inner.LoadRestaged(split, name, variant));

    private SignClip Resized(SignClip clip)
    {
        if (clip.Width == width && clip.Height == height) return clip;
        float sx = (float)width / clip.Width, sy = (float)height / clip.Height;
        var kp = (float[])clip.Keypoints.Clone();
        for (int i = 0; i + 2 < kp.Length; i += 3)
        {
            if (kp[i] == 0 && kp[i + 1] == 0 && kp[i + 2] == 0) continue;   // a missed detection keeps its (0, 0, 0)
            kp[i] *= sx;
            kp[i + 1] *= sy;
        }
        byte[]? frames = clip.Frames is null ? null : Resize(clip.Frames, clip.FrameCount, clip.Width, clip.Height, width, height);
        return clip with { Width = width, Height = height, Frames = frames, Keypoints = kp };
    }

    /// <summary>(T, H, W, 3) → (T, h, w, 3) bilinear, half-pixel centres, source coordinates clamped at 0 (as torch).</summary>
    public static byte[] Resize(byte[] src, int frames, int w0, int h0, int w1, int h1)
    {
        var dst = new byte[frames * w1 * h1 * 3];
        var (xs0, xs1, xw) = Taps(w0, w1);
        var (ys0, ys1, yw) = Taps(h0, h1);
        for (int t = 0; t < frames; t++)
        {
            int si = t * w0 * h0 * 3, di = t * w1 * h1 * 3;
            for (int y = 0; y < h1; y++)
            {
                int r0 = si + ys0[y] * w0 * 3, r1 = si + ys1[y] * w0 * 3;
                float wy = yw[y];
                for (int x = 0; x < w1; x++)
                {
                    int c0 = xs0[x] * 3, c1 = xs1[x] * 3;
                    float wx = xw[x];
                    for (int c = 0; c < 3; c++)
                    {
                        float top = src[r0 + c0 + c] + (src[r0 + c1 + c] - src[r0 + c0 + c]) * wx;
                        float bottom = src[r1 + c0 + c] + (src[r1 + c1 + c] - src[r1 + c0 + c]) * wx;
                        dst[di + (y * w1 + x) * 3 + c] = (byte)Math.Clamp(MathF.Round(top + (bottom - top) * wy), 0, 255);
                    }
                }
            }
        }
        return dst;
    }

    private static (int[] lo, int[] hi, float[] w) Taps(int n0, int n1)
    {
        var (lo, hi, w) = (new int[n1], new int[n1], new float[n1]);
        float scale = (float)n0 / n1;
        for (int i = 0; i < n1; i++)
        {
            float s = Math.Max(0, (i + 0.5f) * scale - 0.5f);
            lo[i] = Math.Min((int)s, n0 - 1);
            hi[i] = Math.Min(lo[i] + 1, n0 - 1);
            w[i] = s - lo[i];
        }
        return (lo, hi, w);
    }
}
