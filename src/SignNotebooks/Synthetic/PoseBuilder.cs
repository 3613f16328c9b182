namespace SignNotebooks.Synthetic;

/// <summary>Small involuntary motion of one frame: body sway, head tilt/turn, blink (0 open … 1 closed).</summary>
public readonly record struct Idle(double SwayX, double HeadTilt, double HeadYaw, double Blink);

/// <summary>
/// Articulator state → the 133 COCO-WholeBody points in world units (spec §1.2 layout). Arms: the elbow hangs
/// down unless the hand reaches far (then two-bone inverse kinematics), bones shorten in projection only; hands from finger curls with
/// foreshortening (a flexed finger folds back over the palm in projection); face from the 68-landmark
/// template with mouth and brow parameters. Hand root = body wrist exactly.
/// </summary>
public static class PoseBuilder
{
    // Finger geometry in hand lengths: MCP along/across the palm, fan angle (degrees per unit spread), phalanges.
    private static readonly double[] McpAlong = [0, 0.44, 0.46, 0.44, 0.40];
    private static readonly double[] McpAcross = [0, 0.11, 0.035, -0.04, -0.11];
    private static readonly double[] Fan = [0, 9, 2, -6, -14];
    private static readonly double[][] Phalanx = [[0.17, 0.14, 0.11], [0.22, 0.13, 0.10], [0.24, 0.15, 0.10], [0.22, 0.14, 0.10], [0.17, 0.11, 0.09]];
    private static readonly double[] Flex = [80 * Math.PI / 180, 100 * Math.PI / 180, 70 * Math.PI / 180];

    /// <summary>Fills <paramref name="pts"/> (133 × 2, x then y) for one frame.</summary>
    public static void Build(double[] state, BodyFrame body, Idle idle, double[] pts)
    {
        var sg = body.Signer;
        double cx = body.CenterX + idle.SwayX, ny = body.NeckY, sw = sg.ShoulderWidth;
        void P(int i, double x, double y) { pts[2 * i] = x; pts[2 * i + 1] = y; }

        var rs = (X: cx - sw / 2, Y: ny + 0.03);
        var ls = (X: cx + sw / 2, Y: ny + 0.03);
        P(SynthLayout.RightShoulder, rs.X, rs.Y);
        P(SynthLayout.LeftShoulder, ls.X, ls.Y);
        double hipY = ny + sg.TorsoLength;
        P(SynthLayout.RightHip, cx - 0.38 * sw, hipY); P(SynthLayout.LeftHip, cx + 0.38 * sw, hipY);
        P(SynthLayout.RightKnee, cx - 0.4 * sw, hipY + 0.45); P(SynthLayout.LeftKnee, cx + 0.4 * sw, hipY + 0.45);
        P(SynthLayout.RightAnkle, cx - 0.4 * sw, hipY + 0.9); P(SynthLayout.LeftAnkle, cx + 0.4 * sw, hipY + 0.9);
        // Feet: left big toe, small toe, heel, then right (COCO-WholeBody 17–22).
        P(17, cx + 0.35 * sw, hipY + 0.98); P(18, cx + 0.5 * sw, hipY + 0.97); P(19, cx + 0.42 * sw, hipY + 0.92);
        P(20, cx - 0.35 * sw, hipY + 0.98); P(21, cx - 0.5 * sw, hipY + 0.97); P(22, cx - 0.42 * sw, hipY + 0.92);

        Arm(state, ArticulatorState.Right, rs, left: false, sg, SynthLayout.RightElbow, SynthLayout.RightWrist, SynthLayout.RightHandStart, pts);
        Arm(state, ArticulatorState.Left, ls, left: true, sg, SynthLayout.LeftElbow, SynthLayout.LeftWrist, SynthLayout.LeftHandStart, pts);
        Face(state, body, cx, idle, pts);
    }

    private static void Arm(double[] s, int h, (double X, double Y) sh, bool left, SynthSigner sg, int elbowIdx, int wristIdx, int handStart, double[] pts)
    {
        double L = sg.HandLength, ang = s[h + 2];
        double ux = Math.Cos(ang), uy = Math.Sin(ang);
        // Palm centre → wrist: back along the finger direction.
        double wx = s[h] - 0.3 * L * ux, wy = s[h + 1] - 0.3 * L * uy;
        double a = sg.UpperArm, b = sg.Forearm;
        double dx = wx - sh.X, dy = wy - sh.Y, d = Math.Sqrt(dx * dx + dy * dy);
        double dmax = a + b - 1e-3, dmin = Math.Abs(a - b) + 1e-3;
        if (d > dmax || d < dmin)
        {
            double dc = Math.Clamp(d, dmin, dmax);
            if (d < 1e-9) { dx = 0; dy = 1; d = 1; }
            wx = sh.X + dx / d * dc; wy = sh.Y + dy / d * dc; dx = wx - sh.X; dy = wy - sh.Y; d = dc;
        }
        // Elbow: hang it naturally (down, a little out) and let the forearm, then the upper arm, point toward
        // the camera (shorter in projection) when the hand is near the body; only a far-reaching hand needs
        // the full two-bone solution, and then the solution nearest the natural elbow keeps motion continuous.
        double outward = left ? 1 : -1;
        double nx = sh.X + a * outward * 0.34, ny = sh.Y + a * 0.94;
        double ex, ey, fx = nx - wx, fy = ny - wy, fd = Math.Sqrt(fx * fx + fy * fy);
        if (fd <= b) { ex = nx; ey = ny; }
        else
        {
            ex = wx + b * fx / fd; ey = wy + b * fy / fd;
            if (Math.Sqrt((ex - sh.X) * (ex - sh.X) + (ey - sh.Y) * (ey - sh.Y)) > a)
            {
                double alpha = Math.Acos(Math.Clamp((a * a + d * d - b * b) / (2 * a * d), -1, 1));
                double bx = dx / d, by = dy / d;
                double e1x = sh.X + a * (bx * Math.Cos(alpha) - by * Math.Sin(alpha)), e1y = sh.Y + a * (bx * Math.Sin(alpha) + by * Math.Cos(alpha));
                double e2x = sh.X + a * (bx * Math.Cos(alpha) + by * Math.Sin(alpha)), e2y = sh.Y + a * (-bx * Math.Sin(alpha) + by * Math.Cos(alpha));
                bool first = (e1x - nx) * (e1x - nx) + (e1y - ny) * (e1y - ny) <= (e2x - nx) * (e2x - nx) + (e2y - ny) * (e2y - ny);
                ex = first ? e1x : e2x; ey = first ? e1y : e2y;
            }
        }
        pts[2 * elbowIdx] = ex; pts[2 * elbowIdx + 1] = ey;
        pts[2 * wristIdx] = wx; pts[2 * wristIdx + 1] = wy;
        Hand(s, h, wx, wy, ux, uy, L, left, handStart, pts);
    }

    private static void Hand(double[] s, int h, double wx, double wy, double ux, double uy, double L, bool left, int start, double[] pts)
    {
        // Thumb side is toward the body midline: +v for the right hand (image left), −v for the left.
        double side = left ? -1 : 1;
        double vx = -uy * side, vy = ux * side;
        pts[2 * start] = wx; pts[2 * start + 1] = wy;
        double spread = s[h + 8];
        for (int f = 1; f < 5; f++)
        {
            double mx = wx + L * (McpAlong[f] * ux + McpAcross[f] * vx), my = wy + L * (McpAlong[f] * uy + McpAcross[f] * vy);
            double fa = Fan[f] * spread * Math.PI / 180;
            double fx = ux * Math.Cos(fa) + vx * Math.Sin(fa), fy = uy * Math.Cos(fa) + vy * Math.Sin(fa);
            int j0 = start + SynthLayout.FingerJoint(f, 0);
            pts[2 * j0] = mx; pts[2 * j0 + 1] = my;
            double phi = 0, curl = s[h + 3 + f];
            for (int j = 0; j < 3; j++)
            {
                phi += curl * Flex[j];
                double len = Phalanx[f][j] * L * Math.Cos(phi);
                mx += fx * len; my += fy * len;
                pts[2 * (j0 + j + 1)] = mx; pts[2 * (j0 + j + 1) + 1] = my;
            }
        }
        // Thumb: swings from out to the side (extended) across the palm (flexed), with foreshortening.
        double tc = s[h + 3];
        double cmx = wx + L * (0.1 * ux + 0.12 * vx), cmy = wy + L * (0.1 * uy + 0.12 * vy);
        int t0 = start + SynthLayout.FingerJoint(0, 0);
        pts[2 * t0] = cmx; pts[2 * t0 + 1] = cmy;
        for (int j = 0; j < 3; j++)
        {
            double ta = (50 - tc * (60 + 25 * j)) * Math.PI / 180;
            double tx = ux * Math.Cos(ta) + vx * Math.Sin(ta), ty = uy * Math.Cos(ta) + vy * Math.Sin(ta);
            double len = Phalanx[0][j] * L * Math.Cos(tc * 0.6 * (j + 1) * 0.6);
            cmx += tx * len; cmy += ty * len;
            pts[2 * (t0 + j + 1)] = cmx; pts[2 * (t0 + j + 1) + 1] = cmy;
        }
    }

    private static void Face(double[] s, BodyFrame body, double cx, Idle idle, double[] pts)
    {
        var sg = body.Signer;
        double r = sg.HeadRadius, hx = cx + (body.HeadX - body.CenterX), hy = body.HeadY;
        double open = s[ArticulatorState.Face], width = s[ArticulatorState.Face + 1], brow = s[ArticulatorState.Face + 2];
        double ct = Math.Cos(idle.HeadTilt), st = Math.Sin(idle.HeadTilt), yaw = idle.HeadYaw;
        void F(int i, double x, double y)
        {
            // Yaw shifts inner features sideways more than the contour: a cheap 3-D cue.
            double depth = 1 - Math.Min(1, Math.Abs(x)) * 0.5;
            x += yaw * 0.25 * depth;
            double X = hx + r * (x * ct - y * st), Y = hy + r * (x * st + y * ct);
            pts[2 * (SynthLayout.FaceStart + i)] = X; pts[2 * (SynthLayout.FaceStart + i) + 1] = Y;
        }
        for (int i = 0; i < 17; i++) { double a = Math.PI * i / 16; F(i, -0.88 * Math.Cos(a), -0.05 + 1.05 * Math.Sin(a)); }
        for (int i = 0; i < 5; i++)
        {
            double t = i / 4.0, arch = 0.06 * Math.Sin(Math.PI * t);
            double furrow = brow < 0 ? -brow * 0.07 * t : 0;     // inner ends drop and pull in
            double y = -0.4 - arch - 0.1 * Math.Max(0, brow) + furrow;
            F(17 + i, -0.66 + 0.5 * t + furrow * 0.5, y);
            F(26 - i, 0.66 - 0.5 * t - furrow * 0.5, y);
        }
        for (int i = 0; i < 4; i++) F(27 + i, 0, -0.24 + 0.13 * i);
        for (int i = 0; i < 5; i++) F(31 + i, -0.18 + 0.09 * i, 0.24 + 0.04 * Math.Sin(Math.PI * i / 4));
        double eh = 0.05 * (1 - idle.Blink);
        double[] ex = [-0.52, -0.43, -0.33, -0.24, -0.33, -0.43];
        double[] ey = [0, -1, -1, 0, 1, 1];
        for (int i = 0; i < 6; i++) { F(36 + i, ex[i], -0.2 + ey[i] * eh); F(42 + i, -ex[(9 - i) % 6], -0.2 + ey[(9 - i) % 6] * eh); }
        double w = 0.3 * width, my = 0.56, up = 0.07 + open * 0.04, lo = 0.08 + open * 0.25, o = open * 0.2;
        F(48, -w, my); F(49, -0.6 * w, my - 0.9 * up); F(50, -0.25 * w, my - up); F(51, 0, my - 0.85 * up);
        F(52, 0.25 * w, my - up); F(53, 0.6 * w, my - 0.9 * up); F(54, w, my);
        F(55, 0.6 * w, my + lo); F(56, 0.25 * w, my + 1.1 * lo); F(57, 0, my + 1.15 * lo); F(58, -0.25 * w, my + 1.1 * lo); F(59, -0.6 * w, my + lo);
        double iy = my + 0.3 * o;
        F(60, -0.85 * w, iy); F(61, -0.3 * w, iy - o / 2); F(62, 0, iy - o / 2); F(63, 0.3 * w, iy - o / 2);
        F(64, 0.85 * w, iy); F(65, 0.3 * w, iy + o / 2); F(66, 0, iy + o / 2); F(67, -0.3 * w, iy + o / 2);

        // Body head points from the face: nose tip, eye centres, ears at the contour's top.
        Copy(pts, SynthLayout.FaceStart + 30, SynthLayout.Nose);
        Mid(pts, SynthLayout.FaceStart + 42, SynthLayout.FaceStart + 45, SynthLayout.LeftEye);
        Mid(pts, SynthLayout.FaceStart + 36, SynthLayout.FaceStart + 39, SynthLayout.RightEye);
        double tx = hx + r * (0.97 * ct + 0.1 * st), ty = hy + r * (0.97 * st - 0.1 * ct);
        pts[2 * SynthLayout.LeftEar] = tx; pts[2 * SynthLayout.LeftEar + 1] = ty;
        pts[2 * SynthLayout.RightEar] = hx + r * (-0.97 * ct + 0.1 * st); pts[2 * SynthLayout.RightEar + 1] = hy + r * (-0.97 * st - 0.1 * ct);
    }

    private static void Copy(double[] p, int from, int to) { p[2 * to] = p[2 * from]; p[2 * to + 1] = p[2 * from + 1]; }
    private static void Mid(double[] p, int a, int b, int to) { p[2 * to] = (p[2 * a] + p[2 * b]) / 2; p[2 * to + 1] = (p[2 * a + 1] + p[2 * b + 1]) / 2; }
}
