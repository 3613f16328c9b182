namespace SignNotebooks.Synthetic;

/// <summary>
/// A minimal RGB rasteriser (no anti-aliasing, pixel centres at integer coordinates like the keypoints):
/// filled circles, capsules, ellipses and convex polygons, each drawn row by row from its exact span on that
/// row, so the cost is per covered pixel, not per bounding-box pixel. Writes into a caller-owned (H, W, 3)
/// buffer at an offset, so a clip renders straight into its frame array.
/// </summary>
public sealed class Canvas(byte[] data, int offset, int width, int height)
{
    public byte[] Data => data;
    public int Offset => offset;
    public int Width => width;
    public int Height => height;

    /// <summary>Fills pixels x ∈ [xl, xr] of row y.</summary>
    private void Row(int y, double xl, double xr, Rgb c, float a)
    {
        if (y < 0 || y >= height || xr < xl) return;
        int x0 = Math.Max(0, (int)Math.Ceiling(xl)), x1 = Math.Min(width - 1, (int)Math.Floor(xr));
        int i = offset + (y * width + x0) * 3, end = offset + (y * width + x1) * 3;
        if (a >= 1)
            for (; i <= end; i += 3) { data[i] = c.R; data[i + 1] = c.G; data[i + 2] = c.B; }
        else
            for (; i <= end; i += 3)
            {
                data[i] = (byte)(data[i] + (c.R - data[i]) * a);
                data[i + 1] = (byte)(data[i + 1] + (c.G - data[i + 1]) * a);
                data[i + 2] = (byte)(data[i + 2] + (c.B - data[i + 2]) * a);
            }
    }

    private (int Y0, int Y1) Rows(double top, double bottom) =>
        (Math.Max(0, (int)Math.Ceiling(top)), Math.Min(height - 1, (int)Math.Floor(bottom)));

    public void FillRect(double x0, double y0, double x1, double y1, Rgb c, float a = 1)
    {
        var (ya, yb) = Rows(y0, y1);
        for (int y = ya; y <= yb; y++) Row(y, x0, x1, c, a);
    }

    public void FillCircle(double cx, double cy, double r, Rgb c, float a = 1)
    {
        var (ya, yb) = Rows(cy - r, cy + r);
        for (int y = ya; y <= yb; y++)
        {
            double h = r * r - (y - cy) * (y - cy);
            if (h < 0) continue;
            double s = Math.Sqrt(h);
            Row(y, cx - s, cx + s, c, a);
        }
    }

    /// <summary>A thick line with round ends (limbs, fingers): the row span of two discs and the band between.</summary>
    public void FillCapsule(double x0, double y0, double x1, double y1, double r, Rgb c, float a = 1)
    {
        double vx = x1 - x0, vy = y1 - y0, len = Math.Sqrt(vx * vx + vy * vy);
        double nx = len > 1e-9 ? -vy / len * r : 0, ny = len > 1e-9 ? vx / len * r : 0;
        Span<double> band = [x0 + nx, y0 + ny, x1 + nx, y1 + ny, x1 - nx, y1 - ny, x0 - nx, y0 - ny];
        var (ya, yb) = Rows(Math.Min(y0, y1) - r, Math.Max(y0, y1) + r);
        for (int y = ya; y <= yb; y++)
        {
            double lo = double.MaxValue, hi = double.MinValue;
            Disc(x0, y0, r, y, ref lo, ref hi);
            Disc(x1, y1, r, y, ref lo, ref hi);
            if (len > 1e-9) PolySpan(band, y, ref lo, ref hi);
            if (lo <= hi) Row(y, lo, hi, c, a);
        }
    }

    private static void Disc(double cx, double cy, double r, int y, ref double lo, ref double hi)
    {
        double h = r * r - (y - cy) * (y - cy);
        if (h < 0) return;
        double s = Math.Sqrt(h);
        lo = Math.Min(lo, cx - s); hi = Math.Max(hi, cx + s);
    }

    /// <summary>Row span of a convex polygon: min and max of its edges' crossings with the row.</summary>
    private static void PolySpan(ReadOnlySpan<double> p, int y, ref double lo, ref double hi)
    {
        int n = p.Length / 2;
        double l = double.MaxValue, h = double.MinValue;
        for (int i = 0; i < n; i++)
        {
            int j = i + 1 == n ? 0 : i + 1;
            double ax = p[2 * i], ay = p[2 * i + 1], bx = p[2 * j], by = p[2 * j + 1];
            if ((y < ay && y < by) || (y > ay && y > by)) continue;
            if (ay == by) { l = Math.Min(l, Math.Min(ax, bx)); h = Math.Max(h, Math.Max(ax, bx)); continue; }
            double x = ax + (y - ay) * (bx - ax) / (by - ay);
            l = Math.Min(l, x); h = Math.Max(h, x);
        }
        if (l <= h) { lo = Math.Min(lo, l); hi = Math.Max(hi, h); }
    }

    /// <summary>Rotated ellipse (head, hair, eyes): solves the row's quadratic for its span.</summary>
    public void FillEllipse(double cx, double cy, double rx, double ry, double angle, Rgb c, float a = 1)
    {
        double ca = Math.Cos(angle), sa = Math.Sin(angle);
        double A = ca * ca / (rx * rx) + sa * sa / (ry * ry);
        double Bk = 2 * ca * sa * (1 / (rx * rx) - 1 / (ry * ry));
        double Ck = sa * sa / (rx * rx) + ca * ca / (ry * ry);
        double ext = Math.Sqrt(rx * rx * sa * sa + ry * ry * ca * ca);   // half-height of the rotated ellipse
        var (ya, yb) = Rows(cy - ext, cy + ext);
        for (int y = ya; y <= yb; y++)
        {
            double dy = y - cy, B = Bk * dy, C = Ck * dy * dy - 1;
            double disc = B * B - 4 * A * C;
            if (disc < 0) continue;
            double s = Math.Sqrt(disc);
            Row(y, cx + (-B - s) / (2 * A), cx + (-B + s) / (2 * A), c, a);
        }
    }

    /// <summary>Convex polygon given as x0, y0, x1, y1, … in either winding.</summary>
    public void FillConvex(ReadOnlySpan<double> p, Rgb c, float a = 1)
    {
        double top = double.MaxValue, bottom = double.MinValue;
        for (int i = 1; i < p.Length; i += 2) { top = Math.Min(top, p[i]); bottom = Math.Max(bottom, p[i]); }
        var (ya, yb) = Rows(top, bottom);
        for (int y = ya; y <= yb; y++)
        {
            double lo = double.MaxValue, hi = double.MinValue;
            PolySpan(p, y, ref lo, ref hi);
            if (lo <= hi) Row(y, lo, hi, c, a);
        }
    }
}
