namespace SignNotebooks.Pose;

/// <summary>
/// Crops a box out of a frame into the model's (1, 3, H, W) input: the affine map of mmpose's <c>TopdownAffine</c>
/// without rotation (input pixel u samples frame x = x0 + u · w_box / W), bilinear, black outside the frame as
/// OpenCV's <c>warpAffine</c>, then per-channel <c>(v − mean) / std</c> in the model's channel order.
/// </summary>
public static class PosePreprocessor
{
    /// <summary>Fills <paramref name="input"/> (3·H·W floats, NCHW with N = 1) from the frame inside <paramref name="box"/>.</summary>
    public static void Fill(RgbFrame frame, PoseBox box, PoseModelDescriptor d, float[] input)
    {
        int W = d.InputWidth, H = d.InputHeight;
        if (input.Length != 3 * W * H) throw new ArgumentException($"input buffer needs {3 * W * H} floats");
        double sx = box.Width / W, sy = box.Height / H;
        var rgb = frame.Rgb;
        int fw = frame.Width, fh = frame.Height, plane = W * H;
        // Model channel c reads RGB channel src[c].
        ReadOnlySpan<int> src = d.ChannelOrder == ChannelOrder.Rgb ? [0, 1, 2] : [2, 1, 0];
        float m0 = d.Mean[0], m1 = d.Mean[1], m2 = d.Mean[2];
        float s0 = 1 / d.Std[0], s1 = 1 / d.Std[1], s2 = 1 / d.Std[2];
        int c0 = src[0], c1 = src[1], c2 = src[2];
        for (int v = 0; v < H; v++)
        {
            double fy = box.Y + v * sy;
            int y0 = (int)Math.Floor(fy);
            double ay = fy - y0;
            for (int u = 0; u < W; u++)
            {
                double fx = box.X + u * sx;
                int x0 = (int)Math.Floor(fx);
                double ax = fx - x0;
                double r0 = 0, r1 = 0, r2 = 0;
                for (int dy = 0; dy < 2; dy++)
                {
                    int yy = y0 + dy;
                    double wy = dy == 0 ? 1 - ay : ay;
                    if (yy < 0 || yy >= fh || wy == 0) continue;
                    for (int dx = 0; dx < 2; dx++)
                    {
                        int xx = x0 + dx;
                        double wgt = wy * (dx == 0 ? 1 - ax : ax);
                        if (xx < 0 || xx >= fw || wgt == 0) continue;
                        int p = (yy * fw + xx) * 3;
                        r0 += wgt * rgb[p + c0]; r1 += wgt * rgb[p + c1]; r2 += wgt * rgb[p + c2];
                    }
                }
                int o = v * W + u;
                input[o] = (float)((r0 - m0) * s0);
                input[plane + o] = (float)((r1 - m1) * s1);
                input[2 * plane + o] = (float)((r2 - m2) * s2);
            }
        }
    }
}
