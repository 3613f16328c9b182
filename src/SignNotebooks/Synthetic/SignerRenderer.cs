namespace SignNotebooks.Synthetic;

/// <summary>
/// Draws the signer from its clean keypoints (pixels): torso, neck, hair, face with brows, eyes and mouth,
/// arms in sleeves, palms and fingers. Fast hands are drawn several times along their path, translucent,
/// which is the motion blur that makes a keypoint detector fail on them (the paper's keypoint failure mode).
/// </summary>
public static class SignerRenderer
{
    /// <param name="kp">This frame's points, 133 × 2 pixel coordinates.</param>
    /// <param name="prev">Previous frame's points (for blur), or null.</param>
    /// <param name="unit">Pixels per world unit (frame height × zoom).</param>
    /// <param name="blur">Motion-blur knob (0 = off).</param>
    public static void Draw(Canvas c, double[] kp, double[]? prev, SynthSigner sg, double unit, double blur)
    {
        double X(int i) => kp[2 * i];
        double Y(int i) => kp[2 * i + 1];
        double sw = sg.ShoulderWidth * unit;
        var shirt = sg.Shirt;
        int rs = SynthLayout.RightShoulder, ls = SynthLayout.LeftShoulder, rh = SynthLayout.RightHip, lh = SynthLayout.LeftHip;

        // Torso and neck.
        Span<double> torso = [X(rs) - 0.08 * sw, Y(rs) + 0.02 * sw, X(ls) + 0.08 * sw, Y(ls) + 0.02 * sw,
                              X(lh) + 0.12 * sw, Y(lh) + 0.2 * sw, X(rh) - 0.12 * sw, Y(rh) + 0.2 * sw];
        c.FillConvex(torso, shirt);
        c.FillCapsule(X(rs), Y(rs) + 0.05 * sw, X(ls), Y(ls) + 0.05 * sw, 0.12 * sw, shirt);
        int f = SynthLayout.FaceStart;
        double jx = (X(f) + X(f + 16)) / 2, jy = (Y(f) + Y(f + 16)) / 2;      // head centre (ear level)
        double r = sg.HeadRadius * unit;
        double tilt = Math.Atan2(Y(f + 16) - Y(f), X(f + 16) - X(f));
        double neckX = (X(rs) + X(ls)) / 2, neckY = (Y(rs) + Y(ls)) / 2;
        c.FillCapsule(neckX, neckY, jx, jy + 0.6 * r, 0.4 * r, sg.Skin.Scale(0.88));

        // Hair behind, then the face.
        if (sg.LongHair)
        {
            // Two locks falling behind the shoulders on either side of the face.
            double ct = Math.Cos(tilt), st = Math.Sin(tilt);
            foreach (double side in new[] { -1.0, 1.0 })
                c.FillCapsule(jx + side * 0.8 * r * ct, jy + side * 0.8 * r * st, jx + side * 0.9 * r * ct - 1.3 * r * st,
                    jy + side * 0.9 * r * st + 1.3 * r * ct, 0.32 * r, sg.Hair);
        }
        c.FillEllipse(jx + 0.18 * r * Math.Sin(tilt), jy - 0.18 * r * Math.Cos(tilt), 1.02 * r, 1.02 * r, tilt, sg.Hair);
        c.FillEllipse(jx - 0.12 * r * Math.Sin(tilt), jy + 0.12 * r * Math.Cos(tilt), 0.9 * r, 1.05 * r, tilt, sg.Skin);
        double thin = Math.Max(0.55, 0.055 * r);
        var dark = new Rgb(35, 25, 25);
        for (int i = 0; i < 4; i++)
        {
            c.FillCapsule(X(f + 17 + i), Y(f + 17 + i), X(f + 18 + i), Y(f + 18 + i), thin, sg.Hair.Scale(0.7));
            c.FillCapsule(X(f + 22 + i), Y(f + 22 + i), X(f + 23 + i), Y(f + 23 + i), thin, sg.Hair.Scale(0.7));
        }
        double eyeOpen = Math.Abs(Y(f + 40) - Y(f + 38)) + Math.Abs(Y(f + 41) - Y(f + 37));
        double er = Math.Max(0.55, 0.09 * r);
        c.FillEllipse(X(SynthLayout.RightEye), Y(SynthLayout.RightEye), er * 1.3, Math.Max(0.5, eyeOpen * 0.4), tilt, dark);
        c.FillEllipse(X(SynthLayout.LeftEye), Y(SynthLayout.LeftEye), er * 1.3, Math.Max(0.5, eyeOpen * 0.4), tilt, dark);
        c.FillCapsule(X(f + 27), Y(f + 27), X(f + 30), Y(f + 30), thin, sg.Skin.Scale(0.8));
        Span<double> lips = stackalloc double[24];
        for (int i = 0; i < 12; i++) { lips[2 * i] = X(f + 48 + i); lips[2 * i + 1] = Y(f + 48 + i); }
        c.FillConvex(lips, new Rgb((byte)Math.Min(255, sg.Skin.R * 0.75 + 40), (byte)(sg.Skin.G * 0.5), (byte)(sg.Skin.B * 0.5)));
        if (Y(f + 66) - Y(f + 62) > 0.5)
        {
            Span<double> inner = stackalloc double[16];
            for (int i = 0; i < 8; i++) { inner[2 * i] = X(f + 60 + i); inner[2 * i + 1] = Y(f + 60 + i); }
            c.FillConvex(inner, new Rgb(60, 15, 20));
        }

        // Arms: the passive (left) first, the dominant in front.
        ArmWithBlur(c, kp, prev, sg, unit, blur, left: true);
        ArmWithBlur(c, kp, prev, sg, unit, blur, left: false);
    }

    private static void ArmWithBlur(Canvas c, double[] kp, double[]? prev, SynthSigner sg, double unit, double blur, bool left)
    {
        int hs = left ? SynthLayout.LeftHandStart : SynthLayout.RightHandStart;
        double move = 0;
        if (prev is not null)
            foreach (int j in new[] { 0, 8, 12, 20 })
            {
                int i = hs + j;
                move = Math.Max(move, Math.Sqrt(Sq(kp[2 * i] - prev[2 * i]) + Sq(kp[2 * i + 1] - prev[2 * i + 1])));
            }
        // A hand moving more than ~a sixth of its length per frame smears.
        double threshold = 0.18 * sg.HandLength * unit;
        int copies = prev is null || blur <= 0 ? 1 : Math.Clamp((int)Math.Ceiling(move * blur / threshold), 1, 5);
        if (copies == 1) { Arm(c, kp, sg, unit, left, 1f); return; }
        var tmp = new double[kp.Length];
        for (int k = 1; k <= copies; k++)
        {
            double t = k / (double)copies;
            for (int i = 0; i < kp.Length; i++) tmp[i] = prev![i] + (kp[i] - prev[i]) * t;
            Arm(c, tmp, sg, unit, left, k == copies ? 0.6f : 0.45f);
        }
    }

    private static void Arm(Canvas c, double[] kp, SynthSigner sg, double unit, bool left, float alpha)
    {
        double X(int i) => kp[2 * i];
        double Y(int i) => kp[2 * i + 1];
        int s = left ? SynthLayout.LeftShoulder : SynthLayout.RightShoulder;
        int e = left ? SynthLayout.LeftElbow : SynthLayout.RightElbow;
        int w = left ? SynthLayout.LeftWrist : SynthLayout.RightWrist;
        int h = left ? SynthLayout.LeftHandStart : SynthLayout.RightHandStart;
        // Sleeves a shade lighter than the shirt so an arm in front of the chest stays visible.
        double mix = left ? 0.12 : 0.22;
        var sleeve = new Rgb((byte)(sg.Shirt.R + (255 - sg.Shirt.R) * mix), (byte)(sg.Shirt.G + (255 - sg.Shirt.G) * mix), (byte)(sg.Shirt.B + (255 - sg.Shirt.B) * mix));
        c.FillCapsule(X(s), Y(s), X(e), Y(e), 0.045 * unit, sleeve, alpha);
        c.FillCapsule(X(e), Y(e), X(w), Y(w), 0.033 * unit, sleeve, alpha);
        Span<double> palm = [X(h), Y(h), X(h + 1), Y(h + 1), X(h + 5), Y(h + 5), X(h + 9), Y(h + 9), X(h + 13), Y(h + 13), X(h + 17), Y(h + 17)];
        c.FillConvex(palm, sg.Skin, alpha);
        c.FillCircle(X(h), Y(h), 0.028 * unit, sg.Skin, alpha);
        double fr = Math.Max(0.6, 0.016 * unit);
        var finger = sg.Skin.Scale(0.86);
        for (int fi = 0; fi < 5; fi++)
            for (int j = 0; j < 3; j++)
            {
                int a = h + SynthLayout.FingerJoint(fi, j), b = a + 1;
                c.FillCapsule(X(a), Y(a), X(b), Y(b), fr, finger, alpha);
            }
    }

    private static double Sq(double v) => v * v;
}
