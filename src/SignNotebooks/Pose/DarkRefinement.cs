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
        var log = LogBlurred(map, h, w, kernel);
        double At(int yy, int xx) => log[yy * w + xx];
        double dx = 0.5 * (At(y, x + 1) - At(y, x - 1));
        double dy = 0.5 * (At(y + 1, x) - At(y - 1, x));
        double dxx = 0.25 * (At(y, x + 2) - 2 * At(y, x) + At(y, x - 2));
        double dxy = 0.25 * (At(y + 1, x + 1) - At(y - 1, x + 1) - At(y + 1, x - 1) + At(y - 1, x - 1));
        double dyy = 0.25 * (At(y + 2, x) - 2 * At(y, x) + At(y - 2, x));
        double det = dxx * dyy - dxy * dxy;
        if (det == 0) return (x, y);
        // offset = −H⁻¹ ∇ with H = [[dxx, dxy], [dxy, dyy]]
        double ox = -(dyy * dx - dxy * dy) / det;
        double oy = -(-dxy * dx + dxx * dy) / det;
        return (x + ox, y + oy);
    }

    /// <summary>
    /// log(clip(blur(map), 1e-3, 50)) where blur is OpenCV's Gaussian of size <paramref name="kernel"/> over a
    /// zero-padded map, rescaled to keep the original maximum (mmpose <c>gaussian_blur</c>).
    /// </summary>
    public static float[] LogBlurred(ReadOnlySpan<float> map, int h, int w, int kernel)
    {
        var g = GaussianKernel(kernel);
        int r = kernel / 2;
        var tmp = new double[h * w];
        var outp = new double[h * w];
        for (int i = 0; i < h; i++)
            for (int j = 0; j < w; j++)
            {
                double s = 0;
                for (int t = -r; t <= r; t++) { int jj = j + t; if (jj >= 0 && jj < w) s += g[t + r] * map[i * w + jj]; }
                tmp[i * w + j] = s;
            }
        double origMax = double.MinValue, newMax = double.MinValue;
        for (int i = 0; i < map.Length; i++) origMax = Math.Max(origMax, map[i]);
        for (int i = 0; i < h; i++)
            for (int j = 0; j < w; j++)
            {
                double s = 0;
                for (int t = -r; t <= r; t++) { int ii = i + t; if (ii >= 0 && ii < h) s += g[t + r] * tmp[ii * w + j]; }
                outp[i * w + j] = s;
                newMax = Math.Max(newMax, s);
            }
        var log = new float[h * w];
        double scale = newMax != 0 ? origMax / newMax : 1;
        for (int i = 0; i < log.Length; i++) log[i] = (float)Math.Log(Math.Clamp(outp[i] * scale, 1e-3, 50.0));
        return log;
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
