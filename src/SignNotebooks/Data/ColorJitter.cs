using TorchSharp;
using static TorchSharp.torch;
using static SignNotebooks.Util.KeptScalars;

namespace SignNotebooks.Data;

/// <summary>
/// torchvision's ColorJitter, drawn once per clip (spec §7.4: brightness 0.4, contrast 0.4, saturation 0.4,
/// hue 0.1, applied with p = 0.3). The four adjustments run in a random order, each with the same formula as
/// torchvision's tensor functional ops, on RGB in [0, 1]. The spec does not say whether SLRT jitters before or
/// after its BGR flip; on BGR data the hue shift mirrors (same distribution, since the shift is symmetric) and the
/// grey weights of contrast/saturation swap R and B — a small difference, noted rather than guessed.
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

    // Scalars are explicit and held by `using` (or kept for the process), and every add passes its alpha,
    // on purpose: see KeptScalars.
    private static Tensor Blend(Tensor a, Tensor b, double ratio)
    {
        using var r = ratio.ToScalar();
        using var r1 = (1 - ratio).ToScalar();
        return a.mul(r).add_(b.mul(r1), F(1)).clamp_(F(0), F(1));
    }

    /// <summary>(N, 3, H, W) -> (N, 1, H, W), ITU-R 601 weights as torchvision uses.</summary>
    private static Tensor Gray(Tensor x) =>
        x.select(-3, 0).mul(F(0.2989)).add_(x.select(-3, 1).mul(F(0.587)), F(1)).add_(x.select(-3, 2).mul(F(0.114)), F(1)).unsqueeze(-3);

    /// <summary>torchvision's adjust_hue: RGB → HSV, shift H (mod 1), HSV → RGB.</summary>
    private static Tensor ShiftHue(Tensor x, double factor)
    {
        if (factor == 0) return x;
        using var shift = factor.ToScalar();
        var r = x.select(-3, 0); var g = x.select(-3, 1); var b = x.select(-3, 2);
        var maxc = x.amax([-3]); var minc = x.amin([-3]);
        var eq = maxc.eq(minc);
        var cr = maxc - minc;
        var ones = ones_like(maxc);
        var s = cr / where(eq, ones, maxc);
        var div = where(eq, ones, cr);
        var rc = (maxc - r) / div; var gc = (maxc - g) / div; var bc = (maxc - b) / div;
        var isR = maxc.eq(r); var isG = maxc.eq(g) & ~isR; var isB = ~maxc.eq(g) & ~isR;
        var h = isR.to(x.dtype).mul(bc - gc)
            .add_(isG.to(x.dtype).mul((rc - bc).add_(F(2), F(1))), F(1))
            .add_(isB.to(x.dtype).mul((gc - rc).add_(F(4), F(1))), F(1));
        h = h.div(F(6)).add_(F(1), F(1)).fmod_(F(1));
        h = h.add(shift, F(1)).remainder_(F(1));
        var v = maxc;
        var h6 = h.mul(F(6));
        var i6 = h6.floor();
        var f = h6 - i6;
        var idx = i6.to(int64).remainder_(I(6)).unsqueeze(-3);   // (N, H, W) -> (N, 1, H, W)
        var oneMinusS = s.neg().add_(F(1), F(1));
        var p = (v * oneMinusS).clamp_(F(0), F(1));
        var q = (v * (s * f).neg_().add_(F(1), F(1))).clamp_(F(0), F(1));
        var t = (v * (s * f.neg().add_(F(1), F(1))).neg_().add_(F(1), F(1))).clamp_(F(0), F(1));
        // Each output channel picks one of six candidates by the hue sector; (N, 6, H, W) gathered at idx.
        Tensor Pick(params Tensor[] c) => stack(c, -3).gather(-3, idx);
        return cat([Pick(v, q, p, p, t, v), Pick(t, v, v, q, p, p), Pick(p, p, t, v, v, q)], -3);
    }
}
