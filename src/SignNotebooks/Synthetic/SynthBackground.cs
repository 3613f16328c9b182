namespace SignNotebooks.Synthetic;

/// <summary>
/// Backgrounds, the RGB stream's distraction. Families flat, gradient, texture and clutter appear in
/// train/dev/test; stripes and checker only in test-shift. Clutter and checker have moving distractors.
/// A clip renders its static background once, with a margin so camera shake can slide it per frame.
/// </summary>
public sealed class SynthBackground
{
    public static readonly string[] SeenFamilies = ["flat", "gradient", "texture", "clutter"];
    public static readonly string[] UnseenFamilies = ["stripes", "checker"];

    private readonly record struct Distractor(double X, double Y, double Vx, double Vy, double Size, bool Round, Rgb Color);

    public string Family { get; }
    public int Margin { get; }
    private readonly int _w, _h;
    private readonly byte[] _base;
    private readonly Distractor[] _movers;

    public SynthBackground(string family, int width, int height, double clutter, ref SynthRng rng)
    {
        Family = family;
        Margin = Math.Max(2, (int)Math.Ceiling(0.06 * height));
        _w = width + 2 * Margin; _h = height + 2 * Margin;
        _base = new byte[_w * _h * 3];
        var canvas = new Canvas(_base, 0, _w, _h);
        Rgb c1 = RandomColor(ref rng), c2 = RandomColor(ref rng);
        switch (family)
        {
            case "flat": canvas.FillRect(0, 0, _w, _h, c1); break;
            case "gradient": Gradient(c1, c2, rng.Uniform(0, Math.PI)); break;
            case "texture": Texture(c1, c2, ref rng); break;
            case "clutter":
                Gradient(c1, c2, rng.Uniform(0, Math.PI));
                int shapes = (int)Math.Round(14 * clutter);
                for (int i = 0; i < shapes; i++) Shape(canvas, ref rng);
                break;
            case "stripes": Stripes(c1, c2, ref rng); break;
            case "checker": Checker(c1, c2, ref rng); break;
            default: throw new ArgumentException($"unknown background family '{family}'");
        }
        int movers = family is "clutter" or "checker" ? (int)Math.Round(rng.Int(1, 3) * clutter) : 0;
        _movers = new Distractor[movers];
        for (int i = 0; i < movers; i++)
            _movers[i] = new Distractor(rng.Uniform(0, width), rng.Uniform(0, height), rng.Uniform(-1.5, 1.5) * height / 64,
                rng.Uniform(-1.5, 1.5) * height / 64, rng.Uniform(0.06, 0.14) * height, rng.Chance(0.5), RandomColor(ref rng));
    }

    /// <summary>Copies the background of frame <paramref name="t"/> (shifted by the camera shake) into the canvas.</summary>
    public void Draw(Canvas dst, int t, double shiftX, double shiftY)
    {
        int ox = Math.Clamp(Margin - (int)Math.Round(shiftX), 0, 2 * Margin);
        int oy = Math.Clamp(Margin - (int)Math.Round(shiftY), 0, 2 * Margin);
        int rowBytes = dst.Width * 3;
        for (int y = 0; y < dst.Height; y++)
            Buffer.BlockCopy(_base, ((y + oy) * _w + ox) * 3, dst.Data, dst.Offset + y * rowBytes, rowBytes);
        foreach (var m in _movers)
        {
            double x = Bounce(m.X + m.Vx * t, dst.Width), y = Bounce(m.Y + m.Vy * t, dst.Height);
            if (m.Round) dst.FillCircle(x, y, m.Size / 2, m.Color);
            else dst.FillRect(x - m.Size / 2, y - m.Size / 2, x + m.Size / 2, y + m.Size / 2, m.Color);
        }
    }

    private static double Bounce(double v, double size)
    {
        double period = 2 * size, p = ((v % period) + period) % period;
        return p <= size ? p : period - p;
    }

    private static Rgb RandomColor(ref SynthRng rng) => new((byte)rng.Int(0, 255), (byte)rng.Int(0, 255), (byte)rng.Int(0, 255));

    private void Set(int x, int y, double r, double g, double b)
    {
        int i = (y * _w + x) * 3;
        _base[i] = (byte)Math.Clamp(r, 0, 255); _base[i + 1] = (byte)Math.Clamp(g, 0, 255); _base[i + 2] = (byte)Math.Clamp(b, 0, 255);
    }

    private void Gradient(Rgb a, Rgb b, double angle)
    {
        double ca = Math.Cos(angle), sa = Math.Sin(angle), span = Math.Abs(ca) * _w + Math.Abs(sa) * _h;
        double o = Math.Min(0, ca * _w) + Math.Min(0, sa * _h);
        for (int y = 0; y < _h; y++)
            for (int x = 0; x < _w; x++)
            {
                double t = (x * ca + y * sa - o) / span;
                Set(x, y, a.R + (b.R - a.R) * t, a.G + (b.G - a.G) * t, a.B + (b.B - a.B) * t);
            }
    }

    /// <summary>Value noise: a coarse random grid, bilinearly interpolated, plus fine grain.</summary>
    private void Texture(Rgb a, Rgb b, ref SynthRng rng)
    {
        int cell = Math.Max(3, (int)(_h / rng.Uniform(4, 10)));
        int gw = _w / cell + 2, gh = _h / cell + 2;
        var grid = new double[gw * gh];
        for (int i = 0; i < grid.Length; i++) grid[i] = rng.NextDouble();
        var grain = SynthRng.For(rng.NextULong());
        for (int y = 0; y < _h; y++)
            for (int x = 0; x < _w; x++)
            {
                double fx = x / (double)cell, fy = y / (double)cell;
                int ix = (int)fx, iy = (int)fy;
                double tx = fx - ix, ty = fy - iy;
                double v = grid[iy * gw + ix] * (1 - tx) * (1 - ty) + grid[iy * gw + ix + 1] * tx * (1 - ty)
                         + grid[(iy + 1) * gw + ix] * (1 - tx) * ty + grid[(iy + 1) * gw + ix + 1] * tx * ty;
                double n = (grain.NextDouble() - 0.5) * 24;
                Set(x, y, a.R + (b.R - a.R) * v + n, a.G + (b.G - a.G) * v + n, a.B + (b.B - a.B) * v + n);
            }
    }

    private void Stripes(Rgb a, Rgb b, ref SynthRng rng)
    {
        double angle = rng.Uniform(0, Math.PI), period = _h / rng.Uniform(3, 9);
        double ca = Math.Cos(angle), sa = Math.Sin(angle);
        for (int y = 0; y < _h; y++)
            for (int x = 0; x < _w; x++)
            {
                var c = ((int)Math.Floor((x * ca + y * sa) / period) & 1) == 0 ? a : b;
                Set(x, y, c.R, c.G, c.B);
            }
    }

    private void Checker(Rgb a, Rgb b, ref SynthRng rng)
    {
        int cell = Math.Max(2, (int)(_h / rng.Uniform(4, 12)));
        for (int y = 0; y < _h; y++)
            for (int x = 0; x < _w; x++)
            {
                var c = (((x / cell) + (y / cell)) & 1) == 0 ? a : b;
                Set(x, y, c.R, c.G, c.B);
            }
    }

    private void Shape(Canvas c, ref SynthRng rng)
    {
        double x = rng.Uniform(0, _w), y = rng.Uniform(0, _h), s = rng.Uniform(0.05, 0.2) * _h;
        var col = RandomColor(ref rng);
        switch (rng.Int(0, 2))
        {
            case 0: c.FillRect(x, y, x + s, y + s * rng.Uniform(0.4, 2), col); break;
            case 1: c.FillCircle(x, y, s / 2, col); break;
            default: c.FillCapsule(x, y, x + rng.Uniform(-s, s), y + rng.Uniform(-s, s), s / 8, col); break;
        }
    }
}
