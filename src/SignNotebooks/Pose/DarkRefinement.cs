namespace SignNotebooks.Pose;

/// <summary>
/// DARK sub-pixel refinement (Zhang et al., "Distribution-Aware Coordinate Representation for Human Pose
/// Estimation", CVPR 2020), step for step as mmpose's <c>gaussian_blur</c> + <c>refine_keypoints_dark</c>:
/// blur the map so its log is close to a quadratic, then take one Newton step on the log from the integer argmax.
/// </summary>
public static class DarkRefinement
{
    /// <summary>The refined (x, y) of the maximum at integer (x, y) of one (H, W) map.</summary>
    public static (double X, double Y) Refine(ReadOnlySpan<float> map, int h, int w, int x, int y, int kernel)
    {
        // Points within two pixels of the border have no centred second differences: mmpose leaves them as they are.
        if (!(x > 1 && x < w - 2 && y > 1 && y < h - 2)) return (x, y);
        var logAt = LocalLog(map, h, w, x, y, kernel);
        double At(int yy, int xx) => logAt[(yy - y + 2) * 5 + xx - x + 2];
        double c = At(y, x);
        double dx = 0.5 * (At(y, x + 1) - At(y, x - 1));
        double dy = 0.5 * (At(y + 1, x) - At(y - 1, x));
        double dxx = 0.25 * (At(y, x + 2) - 2 * c + At(y, x - 2));
        double dxy = 0.25 * (At(y + 1, x + 1) - At(y - 1, x + 1) - At(y + 1, x - 1) + At(y - 1, x - 1));
        double dyy = 0.25 * (At(y + 2, x) - 2 * c + At(y - 2, x));
        double det = dxx * dyy - dxy * dxy;
        if (det == 0) return (x, y);
        // offset = −H⁻¹ ∇ with H = [[dxx, dxy], [dxy, dyy]]
        double ox = -(dyy * dx - dxy * dy) / det;
        double oy = -(-dxy * dx + dxx * dy) / det;
        return (x + ox, y + oy);
    }

    // The Taylor step reads only 13 values of the 5×5 window around the argmax. mmpose blurs and rescales the whole
    // map first, but the rescale factor s = max(map) / max(blur) only adds log s to every value unless the clip
    // bites; s lies in [1, max(map) / blur(argmax)], so when no window value can reach a clip bound for any s in
    // that range, the window alone gives mmpose's derivatives exactly. Otherwise the whole map is blurred.
    private static double[] LocalLog(ReadOnlySpan<float> map, int h, int w, int x, int y, int kernel)
    {
        var g = GaussianKernel(kernel);
        int r = kernel / 2;
        var v = new double[25];
        for (int a = 0; a < 5; a++)
            for (int b = 0; b < 5; b++)
            {
                if (!Read(a, b)) continue;
                int cy = y + a - 2, cx = x + b - 2;
                double s = 0;
                for (int t = -r; t <= r; t++)
                {
                    int yy = cy + t;
                    if (yy < 0 || yy >= h) continue;
                    double row = 0;
                    for (int u = -r; u <= r; u++) { int xx = cx + u; if (xx >= 0 && xx < w) row += g[u + r] * map[yy * w + xx]; }
                    s += g[t + r] * row;
                }
                v[a * 5 + b] = s;
            }
        double peak = map[y * w + x], centre = v[12];
        double sMax = centre > 0 ? peak / centre : double.PositiveInfinity;
        bool clipFree = peak > 0;
        for (int i = 0; i < 25 && clipFree; i++)
            if (Read(i / 5, i % 5)) clipFree = v[i] > 1e-3 && v[i] * sMax < 50;
        var log = new double[25];
        if (clipFree)
        {
            for (int i = 0; i < 25; i++) log[i] = v[i] > 0 ? Math.Log(v[i]) : 0;
            return log;
        }
        var (blurred, scale) = Blur(map, h, w, kernel);
        for (int a = 0; a < 5; a++)
            for (int b = 0; b < 5; b++)
                log[a * 5 + b] = Math.Log(Math.Clamp(blurred[(y + a - 2) * w + x + b - 2] * scale, 1e-3, 50.0));
        return log;
    }

    // The cross of radius 2 and the four diagonal neighbours, in 5×5 window coordinates.
    private static bool Read(int a, int b) => a == 2 || b == 2 || (Math.Abs(a - 2) == 1 && Math.Abs(b - 2) == 1);

    /// <summary>
    /// log(clip(blur(map), 1e-3, 50)) for the whole map, where blur is OpenCV's Gaussian of size <paramref name="kernel"/>
    /// over a zero-padded map, rescaled to keep the original maximum (mmpose <c>gaussian_blur</c>).
    /// </summary>
    public static float[] LogBlurred(ReadOnlySpan<float> map, int h, int w, int kernel)
    {
        var (blurred, scale) = Blur(map, h, w, kernel);
        var log = new float[h * w];
        for (int i = 0; i < log.Length; i++) log[i] = (float)Math.Log(Math.Clamp(blurred[i] * scale, 1e-3, 50.0));
        return log;
    }

    // Separable blur on a zero-padded copy (no bounds tests in the inner loops: this runs for all 133 maps of every
    // frame), and the factor that restores the original maximum.
    private static (float[] Blurred, double Scale) Blur(ReadOnlySpan<float> map, int h, int w, int kernel)
    {
        var g = GaussianKernel(kernel).Select(v => (float)v).ToArray();
        int r = kernel / 2, pw = w + 2 * r;
        var padded = new float[(h + 2 * r) * pw];
        float origMax = float.MinValue;
        for (int i = 0; i < h; i++)
            for (int j = 0; j < w; j++) { float v = map[i * w + j]; padded[(i + r) * pw + j + r] = v; if (v > origMax) origMax = v; }
        // Horizontal pass over every padded row (the vertical pass needs the padding rows, which stay zero).
        var tmp = new float[(h + 2 * r) * w];
        for (int i = r; i < h + r; i++)
            for (int j = 0; j < w; j++)
            {
                float s = 0;
                int b = i * pw + j;
                for (int t = 0; t < kernel; t++) s += g[t] * padded[b + t];
                tmp[i * w + j] = s;
            }
        var blurred = new float[h * w];
        float newMax = float.MinValue;
        for (int i = 0; i < h; i++)
            for (int j = 0; j < w; j++)
            {
                float s = 0;
                for (int t = 0; t < kernel; t++) s += g[t] * tmp[(i + t) * w + j];
                blurred[i * w + j] = s;
                if (s > newMax) newMax = s;
            }
        return (blurred, newMax != 0 ? origMax / (double)newMax : 1);
    }

    /// <summary>OpenCV getGaussianKernel(size, σ ≤ 0): σ = 0.3·((size − 1)/2 − 1) + 0.8, normalised to sum 1.</summary>
    public static double[] GaussianKernel(int size)
    {
        // OpenCV uses fixed tables for sizes 1–7 with σ ≤ 0; DARK's kernels (11, 17) use this formula.
        double sigma = 0.3 * ((size - 1) * 0.5 - 1) + 0.8;
        var g = new double[size];
        double sum = 0;
        for (int i = 0; i < size; i++) { double d = i - (size - 1) / 2.0; g[i] = Math.Exp(-d * d / (2 * sigma * sigma)); sum += g[i]; }
        for (int i = 0; i < size; i++) g[i] /= sum;
        return g;
    }
}
