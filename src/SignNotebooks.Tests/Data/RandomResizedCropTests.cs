using SignNotebooks.Data;
using SignNotebooks.Keypoints;

namespace SignNotebooks.Tests.Data;

public class RandomResizedCropTests
{
    [Theory]
    [InlineData(260, 210)]
    [InlineData(320, 320)]
    [InlineData(48, 40)]
    public void Boxes_stay_inside_and_follow_scale_and_ratio(int h, int w)
    {
        var rng = new Random(2);
        for (int i = 0; i < 500; i++)
        {
            var b = RandomResizedCrop.Sample(h, w, rng, (0.7, 1.0), (0.75, 1.3));
            Assert.InRange(b.Top, 0, h - b.Height);
            Assert.InRange(b.Left, 0, w - b.Width);
            double area = (double)b.Height * b.Width / (h * w);
            double ratio = (double)b.Width / b.Height;
            // Rounding to whole pixels moves area and ratio a little; small images more.
            double tol = 2.5 / Math.Min(h, w);
            Assert.InRange(area, 0.7 - 4 * tol, 1.0 + 1e-9);
            Assert.InRange(ratio, 0.75 - 2 * tol, 1.3 + 2 * tol);
        }
    }

    [Fact]
    public void Fallback_is_the_central_crop_at_the_ratio_limit()
    {
        // A 10:1 strip cannot host a box with ratio ≤ 1.3 and area ≥ 0.7: the central fallback clamps the ratio.
        var b = RandomResizedCrop.Sample(10, 100, new Random(0), (0.7, 1.0), (0.75, 1.3));
        Assert.Equal(new CropBox(0, 43, 10, 13), b);   // (100 − 13) // 2 = 43, round(10 · 1.3) = 13
    }

    [Fact]
    public void Heatmap_box_is_the_rgb_box_scaled_and_truncated()
    {
        // spec §7.4: CSL factor 170/320.
        var rgb = new CropBox(31, 17, 287, 250);
        Assert.Equal(new CropBox((int)(31 * 170 / 320.0), (int)(17 * 170 / 320.0), (int)(287 * 170 / 320.0), (int)(250 * 170 / 320.0)),
            rgb.Scale(170 / 320.0, 170 / 320.0, 170, 170));
        Assert.Equal(rgb, rgb.Scale(1, 1, 320, 320));
    }
}
