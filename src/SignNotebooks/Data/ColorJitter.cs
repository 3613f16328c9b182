using static TorchSharp.torch;

namespace SignNotebooks.Data;

/// <summary>
/// torchvision's ColorJitter, drawn once per clip (spec §7.4: brightness 0.4, contrast 0.4, saturation 0.4,
/// hue 0.1, applied with p = 0.3). The four adjustments run in a random order, each with the same formula as
/// torchvision's tensor functional ops, on RGB in [0, 1].
/// </summary>
/// <param name="Order">Permutation of 0 = brightness, 1 = contrast, 2 = saturation, 3 = hue.</param>
public sealed record ColorJitter(int[] Order, double Brightness, double Contrast, double Saturation, double Hue)
{
    /// <summary>One draw of the order and the four factors.</summary>
    public static ColorJitter Draw(Random rng, InputConfig config)
    {
        double U(double lo, double hi) => lo + (hi - lo) * rng.NextDouble();
        var order = new[] { 0, 1, 2, 3 };
        rng.Shuffle(order);
        return new ColorJitter(order,
            U(Math.Max(0, 1 - config.Brightness), 1 + config.Brightness),
            U(Math.Max(0, 1 - config.Contrast), 1 + config.Contrast),
            U(Math.Max(0, 1 - config.Saturation), 1 + config.Saturation),
            U(-config.Hue, config.Hue));
    }

    /// <summary>Applies the draw to (N, 3, H, W) RGB float in [0, 1]; returns a new tensor.</summary>
    public Tensor Apply(Tensor rgb)
    {
        using var scope = NewDisposeScope();
        var x = rgb;
        foreach (var op in Order)
        {
            x = op switch
            {
                0 => Blend(x, zeros_like(x), Brightness),
                // Contrast blends with the mean grey level of each frame.
                1 => Blend(x, Gray(x).mean([-3, -2, -1], keepdim: true), Contrast),
                2 => Blend(x, Gray(x), Saturation),
                _ => ShiftHue(x, Hue),
            };
        }
        return x.MoveToOuterDisposeScope();
    }

    private static Tensor Blend(Tensor a, Tensor b, double ratio) => (a * ratio + b * (1 - ratio)).clamp(0, 1);

    /// <summary>(N, 3, H, W) -> (N, 1, H, W), ITU-R 601 weights as torchvision uses.</summary>
    private static Tensor Gray(Tensor x) =>
        (x.select(-3, 0) * 0.2989 + x.select(-3, 1) * 0.587 + x.select(-3, 2) * 0.114).unsqueeze(-3);

    private static Tensor ShiftHue(Tensor x, double factor)
    {
        if (factor == 0) return x;
        var r = x.select(-3, 0); var g = x.select(-3, 1); var b = x.select(-3, 2);
        var maxc = x.amax([-3]); var minc = x.amin([-3]);
        var eq = maxc.eq(minc);
        var cr = maxc - minc;
        var ones = ones_like(maxc);
        var s = cr / where(eq, ones, maxc);
        var div = where(eq, ones, cr);
        var rc = (maxc - r) / div; var gc = (maxc - g) / div; var bc = (maxc - b) / div;
        var isR = maxc.eq(r); var isG = maxc.eq(g) & ~isR; var isB = ~maxc.eq(g) & ~isR;
        var h = isR.to(x.dtype) * (bc - gc) + isG.to(x.dtype) * (2.0 + rc - bc) + isB.to(x.dtype) * (4.0 + gc - rc);
        h = (h / 6.0 + 1.0).fmod(1.0);
        h = (h + factor).remainder(1.0);
        var v = maxc;
        var i6 = (h * 6).floor();
        var f = h * 6 - i6;
        var idx = i6.to(int64).remainder(6).unsqueeze(-3);   // (N, H, W) -> (N, 1, H, W)
        var p = (v * (1 - s)).clamp(0, 1);
        var q = (v * (1 - s * f)).clamp(0, 1);
        var t = (v * (1 - s * (1 - f))).clamp(0, 1);
        // Each output channel picks one of six candidates by the hue sector; (N, 6, H, W) gathered at idx.
        Tensor Pick(params Tensor[] c) => stack(c, -3).gather(-3, idx);
        return cat([Pick(v, q, p, p, t, v), Pick(t, v, v, q, p, p), Pick(p, p, t, v, v, q)], -3);
    }
}
