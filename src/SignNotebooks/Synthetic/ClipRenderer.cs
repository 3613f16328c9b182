namespace SignNotebooks.Synthetic;

/// <summary>
/// Renders a clip's RGB frames: background (with camera shake and moving distractors), the signer from its
/// true keypoints, motion blur on fast hands, then a per-frame lighting gain and colour tint (a slow ramp with
/// a little flicker). Writes one (T, H, W, 3) array.
/// </summary>
public static class ClipRenderer
{
    public static byte[] Render(double[] clean2, int T, int W, int H, SynthSigner signer, string family,
        double[] zoom, double[] shX, double[] shY, SynthKnobs knobs, ref SynthRng rng)
    {
        const int K = SynthLayout.Count;
        var frames = new byte[T * H * W * 3];
        var bg = new SynthBackground(family, W, H, knobs.Clutter, ref rng);
        double gain = rng.Uniform(0.75, 1.2), ramp = rng.Uniform(-0.15, 0.15);
        double flickP = rng.Uniform(5, 15), flickA = rng.Uniform(0, 0.03);
        Span<double> tint = [rng.Uniform(0.92, 1.08), rng.Uniform(0.95, 1.05), rng.Uniform(0.92, 1.08)];
        var kp = new double[2 * K];
        double[]? prev = null;
        var lut = new byte[3 * 256];
        for (int t = 0; t < T; t++)
        {
            var canvas = new Canvas(frames, t * H * W * 3, W, H);
            bg.Draw(canvas, t, shX[t] * H, shY[t] * H);
            Array.Copy(clean2, t * K * 2, kp, 0, 2 * K);
            SignerRenderer.Draw(canvas, kp, prev, signer, zoom[t] * H, knobs.MotionBlur);
            prev ??= new double[2 * K];
            Array.Copy(kp, prev, 2 * K);

            double g = gain * (1 + ramp * (T > 1 ? t / (double)(T - 1) - 0.5 : 0) + flickA * Math.Sin(2 * Math.PI * t / flickP));
            for (int c = 0; c < 3; c++)
                for (int v = 0; v < 256; v++) lut[c * 256 + v] = (byte)Math.Clamp((int)(v * g * tint[c] + 0.5), 0, 255);
            int o = t * H * W * 3, end = o + H * W * 3;
            for (int i = o; i < end; i += 3)
            {
                frames[i] = lut[frames[i]]; frames[i + 1] = lut[256 + frames[i + 1]]; frames[i + 2] = lut[512 + frames[i + 2]];
            }
        }
        return frames;
    }
}
