namespace SignNotebooks.Synthetic;

/// <summary>
/// Turns one lexical sign into articulator states frame by frame: location + movement path for the dominant
/// hand, the other hand mirrored, passive or at rest, and the non-manual face.
/// </summary>
public static class SignPerformer
{
    /// <summary>Frames a sign takes at the profile's base rate, for this signer (before random rhythm).</summary>
    public static double BaseDuration(SignEntry sign, int signFrames, SynthSigner signer) =>
        signFrames * (0.7 + 0.3 * sign.Movement.Repeats) / Math.Pow(sign.Movement.Speed, 0.8) / signer.Tempo;

    /// <summary>State at phase u ∈ [0, 1] of the sign.</summary>
    public static void State(SignEntry sign, BodyFrame body, double u, double[] s)
    {
        var mv = sign.Movement;
        var (ax, ay) = body.Anchor(sign.Location);
        var (ox, oy) = Offset(mv, u);
        double amp = mv.Amplitude * body.Sw;
        double x = ax + amp * ox, y = ay + amp * oy;
        double angle = sign.Angle * Math.PI / 180;
        ArticulatorState.SetHand(s, ArticulatorState.Right, x, y, angle, sign.Dominant);
        if (mv.Shape == PathShape.Wiggle) Wiggle(s, ArticulatorState.Right, mv.Repeats, u);

        switch (sign.Hands)
        {
            case HandUse.TwoSymmetric:
                ArticulatorState.SetHand(s, ArticulatorState.Left, body.MirrorX(x), y, Math.PI - angle, sign.Dominant);
                if (mv.Shape == PathShape.Wiggle) Wiggle(s, ArticulatorState.Left, mv.Repeats, u + 0.25);
                break;
            case HandUse.DominantPassive:
                var (px, py) = body.PassiveBase;
                ArticulatorState.SetHand(s, ArticulatorState.Left, px, py, Math.PI, sign.Passive ?? Handshape.B);
                break;
            default:
                var (rx, ry) = body.Rest(left: true);
                ArticulatorState.SetHand(s, ArticulatorState.Left, rx, ry, Math.PI / 2, Handshape.Rest);
                break;
        }
        var (open, width) = ArticulatorState.Mouth(sign.Mouth);
        s[ArticulatorState.Face] = open;
        s[ArticulatorState.Face + 1] = width;
        s[ArticulatorState.Face + 2] = ArticulatorState.Brows(sign.Brows);
    }

    /// <summary>Rest pose (before the first and after the last sign).</summary>
    public static void Rest(BodyFrame body, double[] s)
    {
        var (rx, ry) = body.Rest(left: false);
        ArticulatorState.SetHand(s, ArticulatorState.Right, rx, ry, Math.PI / 2, Handshape.Rest);
        var (lx, ly) = body.Rest(left: true);
        ArticulatorState.SetHand(s, ArticulatorState.Left, lx, ly, Math.PI / 2, Handshape.Rest);
        var (open, width) = ArticulatorState.Mouth(MouthShape.Neutral);
        s[ArticulatorState.Face] = open; s[ArticulatorState.Face + 1] = width; s[ArticulatorState.Face + 2] = 0;
    }

    /// <summary>Path offset in amplitude units; every path starts at (0, 0).</summary>
    private static (double X, double Y) Offset(Movement mv, double u)
    {
        double n = Math.Sqrt(mv.DirX * mv.DirX + mv.DirY * mv.DirY);
        double dx = n > 0 ? mv.DirX / n : 0, dy = n > 0 ? mv.DirY / n : 1;
        // Perpendicular chosen to point upward so arcs bulge up like real arcs over a base.
        double px = -dy, py = dx;
        if (py > 0 || (py == 0 && px > 0)) { px = -px; py = -py; }
        int reps = Math.Max(1, mv.Repeats);
        double p = reps == 1 ? Smooth(u) : 0.5 - 0.5 * Math.Cos(2 * Math.PI * reps * u);
        switch (mv.Shape)
        {
            case PathShape.Line: return (dx * p, dy * p);
            case PathShape.Arc: return (dx * p + px * 0.35 * Math.Sin(Math.PI * p), dy * p + py * 0.35 * Math.Sin(Math.PI * p));
            case PathShape.Circle:
                double th = 2 * Math.PI * reps * Smooth(u);
                return (0.5 * (Math.Cos(th) - 1), 0.5 * Math.Sin(th));
            case PathShape.Zigzag:
                double z = 0.25 * Math.Sin(2 * Math.PI * (reps + 1) * u);
                return (dx * u + px * z, dy * u + py * z);
            case PathShape.Tap:
                double t = Math.Abs(Math.Sin(Math.PI * reps * u));
                return (dx * t, dy * t);
            case PathShape.Wiggle: return (dx * u, dy * u);
            default: return (0, 0);
        }
    }

    private static void Wiggle(double[] s, int hand, int reps, double u)
    {
        for (int f = 1; f < 5; f++)
            s[hand + 3 + f] = Math.Clamp(s[hand + 3 + f] + 0.3 * Math.Sin(2 * Math.PI * (2 * reps * u + 0.2 * f)), 0, 1);
    }

    private static double Smooth(double u) => u * u * (3 - 2 * u);
}
