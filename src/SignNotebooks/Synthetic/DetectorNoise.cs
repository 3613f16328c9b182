namespace SignNotebooks.Synthetic;

/// <summary>
/// Turns true keypoints into what a top-down HRNet-style whole-body detector would give (the keypoint stream's
/// failure mode). Defaults at <c>KeypointNoise = 1</c>, sizes in frame heights H, hand speed in hand lengths
/// per frame:
/// <list type="bullet">
/// <item>jitter σ: body 0.004 H, face 0.003 H, hands 0.006 H, lower body 0.02 H, ×1.3 on clutter/checker/texture backgrounds;</item>
/// <item>fast hands: a whole-hand error with σ = 0.25 × speed and a lag of 0.3 × the velocity (the detector sees the blur's centre);</item>
/// <item>a hand missed with probability 1% + up to 30% as speed rises from 0.35 to 1.25 hand lengths/frame, and
///   again with 40% on the next frame (misses come in bursts); a missed hand is 21 × (0, 0, 0);</item>
/// <item>the whole person missed (133 × (0, 0, 0), as HRNet stores frames with no detection; spec §1.2) with 0.4%;</item>
/// <item>left/right hands swapped with 0.6%, 5% when the wrists are closer than a hand length;</item>
/// <item>points outside the frame are put at the border with confidence 0.02–0.15;</item>
/// <item>confidence = part base × exp(−error / (0.04 H)) / (1 + 0.3 × speed) + N(0, 0.02), so it falls where the error is.</item>
/// </list>
/// </summary>
public static class DetectorNoise
{
    /// <param name="clean">(T, 133, 2) true pixel coordinates.</param>
    /// <returns>(T, 133, 3) detected (x, y, confidence).</returns>
    public static float[] Apply(double[] clean, int frames, int width, int height, double handLengthPx, string background,
        double noise, ref SynthRng rng)
    {
        const int K = SynthLayout.Count;
        var det = new float[frames * K * 3];
        double H = height, clutterFactor = background is "clutter" or "checker" or "texture" ? 1.3 : 1.0;
        bool[] missedBefore = new bool[2];
        // Per hand: speed, shared error, miss (one buffer for all frames, cleared per frame as a fresh stackalloc was).
        Span<double> speed = stackalloc double[2], offX = stackalloc double[2], offY = stackalloc double[2];
        Span<bool> missed = stackalloc bool[2];
        for (int t = 0; t < frames; t++)
        {
            int b2 = t * K * 2, b3 = t * K * 3;
            bool personMissed = rng.Chance(0.004 * noise);
            speed.Clear(); offX.Clear(); offY.Clear(); missed.Clear();
            for (int hand = 0; hand < 2; hand++)
            {
                int w = (hand == 0 ? SynthLayout.LeftHandStart : SynthLayout.RightHandStart) + 9;   // middle MCP ≈ palm
                double vx = 0, vy = 0;
                if (t > 0) { vx = clean[b2 + 2 * w] - clean[b2 - K * 2 + 2 * w]; vy = clean[b2 + 2 * w + 1] - clean[b2 - K * 2 + 2 * w + 1]; }
                double sp = Math.Sqrt(vx * vx + vy * vy) / handLengthPx;
                speed[hand] = sp;
                double sigma = 0.25 * sp * handLengthPx * noise;
                offX[hand] = -0.3 * vx * noise + sigma * rng.Gaussian();
                offY[hand] = -0.3 * vy * noise + sigma * rng.Gaussian();
                double p = (0.01 + 0.3 * Math.Clamp((sp - 0.35) / 0.9, 0, 1)) * noise;
                if (missedBefore[hand]) p = Math.Max(p, 0.4 * Math.Min(1, noise));
                missed[hand] = rng.Chance(p);
                missedBefore[hand] = missed[hand];
            }
            double wd = Dist(clean, b2, SynthLayout.LeftWrist, SynthLayout.RightWrist);
            bool swap = rng.Chance((wd < handLengthPx ? 0.05 : 0.006) * noise);

            for (int k = 0; k < K; k++)
            {
                int hand = k >= SynthLayout.RightHandStart ? 1 : k >= SynthLayout.LeftHandStart ? 0 : -1;
                double cx = clean[b2 + 2 * k], cy = clean[b2 + 2 * k + 1];
                double sigma = (k < 11 ? 0.004 : k < SynthLayout.FaceStart ? 0.02 : hand < 0 ? 0.003 : 0.006) * H * noise * clutterFactor;
                double x = cx + sigma * rng.Gaussian(), y = cy + sigma * rng.Gaussian();
                double baseConf = k < SynthLayout.FaceStart ? 0.93 : hand < 0 ? 0.9 : 0.85, sp = 0;
                if (hand >= 0) { x += offX[hand]; y += offY[hand]; sp = speed[hand]; }
                double jitterConf = 0.02 * rng.Gaussian();
                bool outside = cx < 0 || cy < 0 || cx > width - 1 || cy > height - 1;
                double conf;
                if (outside)
                {
                    x = Math.Clamp(x, 0, width - 1); y = Math.Clamp(y, 0, height - 1);
                    conf = 0.02 + 0.13 * rng.NextDouble();
                }
                else
                {
                    double err = Math.Sqrt((x - cx) * (x - cx) + (y - cy) * (y - cy));
                    conf = baseConf * Math.Exp(-err / (0.04 * H)) / (1 + 0.3 * sp) + jitterConf;
                }
                det[b3 + 3 * k] = (float)x; det[b3 + 3 * k + 1] = (float)y; det[b3 + 3 * k + 2] = (float)Math.Clamp(conf, 0.01, 0.99);
            }
            if (swap) SwapHands(det, b3, clean, b2, H);
            for (int hand = 0; hand < 2; hand++)
                if (missed[hand]) Array.Clear(det, b3 + 3 * (hand == 0 ? SynthLayout.LeftHandStart : SynthLayout.RightHandStart), 3 * SynthLayout.HandCount);
            if (personMissed) Array.Clear(det, b3, 3 * K);
        }
        return det;
    }

    /// <summary>Swaps the hand blocks and recomputes their confidence against the truth (they are now far off).</summary>
    private static void SwapHands(float[] det, int b3, double[] clean, int b2, double H)
    {
        for (int j = 0; j < SynthLayout.HandCount; j++)
        {
            int a = b3 + 3 * (SynthLayout.LeftHandStart + j), b = b3 + 3 * (SynthLayout.RightHandStart + j);
            for (int c = 0; c < 3; c++) (det[a + c], det[b + c]) = (det[b + c], det[a + c]);
            foreach (int k in new[] { SynthLayout.LeftHandStart + j, SynthLayout.RightHandStart + j })
            {
                int i = b3 + 3 * k;
                double err = Math.Sqrt(Math.Pow(det[i] - clean[b2 + 2 * k], 2) + Math.Pow(det[i + 1] - clean[b2 + 2 * k + 1], 2));
                det[i + 2] = (float)Math.Clamp(det[i + 2] * Math.Exp(-err / (0.04 * H)) * 0.8 + 0.02, 0.01, 0.99);
            }
        }
    }

    private static double Dist(double[] p, int b2, int a, int b) =>
        Math.Sqrt(Math.Pow(p[b2 + 2 * a] - p[b2 + 2 * b], 2) + Math.Pow(p[b2 + 2 * a + 1] - p[b2 + 2 * b + 1], 2));
}
