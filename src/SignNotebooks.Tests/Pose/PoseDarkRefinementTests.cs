using SignNotebooks.Pose;

namespace SignNotebooks.Tests.Pose;

/// <summary>
/// DARK's shortcut (blurring only the 5×5 window around the argmax) against mmpose's procedure step for step
/// (blur, rescale and log the whole map, then the Taylor step), including maps where the 1e-3 clip bites.
/// </summary>
public sealed class PoseDarkRefinementTests
{
    // mmpose refine_keypoints_dark on the log of the whole blurred map.
    private static (double X, double Y) Reference(float[] map, int h, int w, int x, int y, int kernel)
    {
        var l = DarkRefinement.LogBlurred(map, h, w, kernel);
        double At(int yy, int xx) => l[yy * w + xx];
        double dx = 0.5 * (At(y, x + 1) - At(y, x - 1)), dy = 0.5 * (At(y + 1, x) - At(y - 1, x));
        double dxx = 0.25 * (At(y, x + 2) - 2 * At(y, x) + At(y, x - 2));
        double dxy = 0.25 * (At(y + 1, x + 1) - At(y - 1, x + 1) - At(y + 1, x - 1) + At(y - 1, x - 1));
        double dyy = 0.25 * (At(y + 2, x) - 2 * At(y, x) + At(y - 2, x));
        double det = dxx * dyy - dxy * dxy;
        return det == 0 ? (x, y) : (x - (dyy * dx - dxy * dy) / det, y - (-dxy * dx + dxx * dy) / det);
    }

    [Theory]
    [InlineData(1.0f, 2.0, 11)]
    [InlineData(1.0f, 3.0, 17)]
    [InlineData(0.0015f, 2.0, 11)]  // a weak peak: the unscaled window is under the 1e-3 clip, so the whole map is blurred
    [InlineData(0.0005f, 1.0, 11)]  // everything below the clip: the log is flat, the step is zero
    public void Window_shortcut_equals_the_whole_map_procedure(float peak, double sigma, int kernel)
    {
        const int h = 40, w = 30;
        var rng = new Random(9);
        for (int trial = 0; trial < 20; trial++)
        {
            double cx = 4 + rng.NextDouble() * (w - 8), cy = 4 + rng.NextDouble() * (h - 8);
            var map = new float[h * w];
            for (int i = 0; i < h; i++)
                for (int j = 0; j < w; j++)
                    map[i * w + j] = peak * (float)Math.Exp(-((j - cx) * (j - cx) + (i - cy) * (i - cy)) / (2 * sigma * sigma))
                                     + 0.02f * peak * (float)rng.NextDouble();   // noise, so the log is not exactly quadratic
            int best = Array.IndexOf(map, map.Max());
            int x = best % w, y = best / w;
            var got = DarkRefinement.Refine(map, h, w, x, y, kernel);
            var want = Reference(map, h, w, x, y, kernel);
            Assert.Equal(want.X, got.X, 4);
            Assert.Equal(want.Y, got.Y, 4);
        }
    }

    [Fact]
    public void Kernel_is_opencv_gaussian_for_sigma_zero()
    {
        var g = DarkRefinement.GaussianKernel(11);   // σ = 0.3·(5 − 1) + 0.8 = 2.0
        Assert.Equal(1.0, g.Sum(), 12);
        Assert.Equal(Math.Exp(-25 / 8.0) / Math.Exp(0), g[0] / g[5], 12);
    }

    [Fact]
    public void Points_near_the_border_stay_on_the_integer_argmax()
    {
        var map = new float[10 * 10];
        map[1 * 10 + 5] = 1;
        Assert.Equal((5.0, 1.0), DarkRefinement.Refine(map, 10, 10, 5, 1, 11));
    }
}
