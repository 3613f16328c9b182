namespace SignNotebooks.Synthetic;

/// <summary>
/// A minimal RGB rasteriser (no anti-aliasing, pixel centres at integer coordinates like the keypoints):
/// enough to draw a signer from filled circles, capsules, ellipses and convex polygons, fast. Writes into a
/// caller-owned (H, W, 3) buffer at an offset, so a clip renders straight into its frame array.
/// </summary>
public sealed class Canvas(byte[] data, int offset, int width, int height)
{
    public byte[] Data => data;
    public int Offset => offset;
    public int Width => width;
    public int Height => height;

    private void Put(int x, int y, Rgb c, float a)
    {
        int i = offset + (y * width + x) * 3;
        if (a >= 1) { data[i] = c.R; data[i + 1] = c.G; data[i + 2] = c.B; return; }
        data[i] = (byte)(data[i] + (c.R - data[i]) * a);
        data[i + 1] = (byte)(data[i + 1] + (c.G - data[i + 1]) * a);
        data[i + 2] = (byte)(data[i + 2] + (c.B - data[i + 2]) * a);
    }

    private bool Box(double x0, double y0, double x1, double y1, out int ax, out int ay, out int bx, out int by)
    {
        ax = Math.Max(0, (int)Math.Ceiling(x0)); ay = Math.Max(0, (int)Math.Ceiling(y0));
        bx = Math.Min(width - 1, (int)Math.Floor(x1)); by = Math.Min(height - 1, (int)Math.Floor(y1));
        return ax <= bx && ay <= by;
    }

    public void FillRect(double x0, double y0, double x1, double y1, Rgb c, float a = 1)
    {
        if (!Box(x0, y0, x1, y1, out int ax, out int ay, out int bx, out int by)) return;
        for (int y = ay; y <= by; y++) for (int x = ax; x <= bx; x++) Put(x, y, c, a);
    }

    public void FillCircle(double cx, double cy, double r, Rgb c, float a = 1)
    {
        if (!Box(cx - r, cy - r, cx + r, cy + r, out int ax, out int ay, out int bx, out int by)) return;
        double r2 = r * r;
        for (int y = ay; y <= by; y++)
        {
            double dy = y - cy;
            for (int x = ax; x <= bx; x++) { double dx = x - cx; if (dx * dx + dy * dy <= r2) Put(x, y, c, a); }
        }
    }

    /// <summary>A thick line with round ends (limbs, fingers).</summary>
    public void FillCapsule(double x0, double y0, double x1, double y1, double r, Rgb c, float a = 1)
    {
        if (!Box(Math.Min(x0, x1) - r, Math.Min(y0, y1) - r, Math.Max(x0, x1) + r, Math.Max(y0, y1) + r, out int ax, out int ay, out int bx, out int by)) return;
        double vx = x1 - x0, vy = y1 - y0, len2 = vx * vx + vy * vy, r2 = r * r;
        for (int y = ay; y <= by; y++)
            for (int x = ax; x <= bx; x++)
            {
                double px = x - x0, py = y - y0;
                double t = len2 > 1e-12 ? Math.Clamp((px * vx + py * vy) / len2, 0, 1) : 0;
                double dx = px - t * vx, dy = py - t * vy;
                if (dx * dx + dy * dy <= r2) Put(x, y, c, a);
            }
    }

    /// <summary>Rotated ellipse (head, hair, eyes).</summary>
    public void FillEllipse(double cx, double cy, double rx, double ry, double angle, Rgb c, float a = 1)
    {
        double m = Math.Max(rx, ry);
        if (!Box(cx - m, cy - m, cx + m, cy + m, out int ax, out int ay, out int bx, out int by)) return;
        double ca = Math.Cos(angle), sa = Math.Sin(angle);
        for (int y = ay; y <= by; y++)
            for (int x = ax; x <= bx; x++)
            {
                double dx = x - cx, dy = y - cy;
                double u = (dx * ca + dy * sa) / rx, v = (-dx * sa + dy * ca) / ry;
                if (u * u + v * v <= 1) Put(x, y, c, a);
            }
    }

    /// <summary>Convex polygon given as x0, y0, x1, y1, … in either winding.</summary>
    public void FillConvex(ReadOnlySpan<double> p, Rgb c, float a = 1)
    {
        int n = p.Length / 2;
        double minX = double.MaxValue, minY = double.MaxValue, maxX = double.MinValue, maxY = double.MinValue, area = 0;
        for (int i = 0; i < n; i++)
        {
            minX = Math.Min(minX, p[2 * i]); maxX = Math.Max(maxX, p[2 * i]);
            minY = Math.Min(minY, p[2 * i + 1]); maxY = Math.Max(maxY, p[2 * i + 1]);
            int j = (i + 1) % n;
            area += p[2 * i] * p[2 * j + 1] - p[2 * j] * p[2 * i + 1];
        }
        if (!Box(minX, minY, maxX, maxY, out int ax, out int ay, out int bx, out int by)) return;
        double sgn = area >= 0 ? 1 : -1;
        for (int y = ay; y <= by; y++)
            for (int x = ax; x <= bx; x++)
            {
                bool inside = true;
                for (int i = 0; i < n && inside; i++)
                {
                    int j = (i + 1) % n;
                    double cross = (p[2 * j] - p[2 * i]) * (y - p[2 * i + 1]) - (p[2 * j + 1] - p[2 * i + 1]) * (x - p[2 * i]);
                    inside = cross * sgn >= 0;
                }
                if (inside) Put(x, y, c, a);
            }
    }
}
