namespace SignNotebooks.Synthetic;

/// <summary>
/// Articulator state of one frame in world units (frame heights, y down): for each hand the palm centre,
/// the finger pointing angle (radians) and the five curls + spread; for the face the mouth opening and
/// width and the eyebrow raise (−1 furrowed … +1 raised). Stored as a flat vector so transitions are plain
/// interpolation.
/// </summary>
public static class ArticulatorState
{
    public const int HandSize = 9;            // x, y, angle, curl×5, spread
    public const int Right = 0, Left = HandSize, Face = 2 * HandSize;
    public const int Size = Face + 3;         // + mouth open, mouth width, brows

    public static void SetHand(double[] s, int offset, double x, double y, double angle, Handshape hs)
    {
        s[offset] = x; s[offset + 1] = y; s[offset + 2] = angle;
        for (int f = 0; f < 5; f++) s[offset + 3 + f] = hs.Curl(f);
        s[offset + 8] = hs.Spread;
    }

    public static (double Open, double Width) Mouth(MouthShape m) => m switch
    {
        MouthShape.Open => (0.8, 1.0), MouthShape.Round => (0.45, 0.62), MouthShape.Wide => (0.15, 1.35),
        MouthShape.Pressed => (0.0, 0.85), _ => (0.05, 1.0),
    };

    public static double Brows(BrowShape b) => b switch { BrowShape.Raised => 1, BrowShape.Furrowed => -1, _ => 0 };
}

/// <summary>Where the signer stands in world units, plus the derived body landmarks that signs refer to.</summary>
public sealed record BodyFrame(SynthSigner Signer, double CenterX, double NeckY)
{
    public double Sw => Signer.ShoulderWidth;
    public double HeadX => CenterX;
    public double HeadY => NeckY - Signer.NeckLength - 0.9 * Signer.HeadRadius;
    public (double X, double Y) RightShoulder => (CenterX - Sw / 2, NeckY + 0.03);
    public (double X, double Y) LeftShoulder => (CenterX + Sw / 2, NeckY + 0.03);

    /// <summary>Palm-centre target of the dominant (right, image-left) hand for a location.</summary>
    public (double X, double Y) Anchor(SignLocation loc)
    {
        double r = Signer.HeadRadius, cx = CenterX, ny = NeckY, sw = Sw, hx = HeadX, hy = HeadY;
        return loc switch
        {
            SignLocation.Neutral => (cx - 0.3 * sw, ny + 0.55 * sw),
            SignLocation.Chest => (cx - 0.18 * sw, ny + 0.35 * sw),
            SignLocation.Chin => (hx - 0.1 * sw, hy + 1.3 * r),
            SignLocation.Mouth => (hx - 0.12 * sw, hy + 0.85 * r),
            SignLocation.Forehead => (hx - 0.1 * sw, hy - 0.55 * r),
            SignLocation.Cheek => (hx - 1.35 * r, hy + 0.3 * r),
            SignLocation.Shoulder => (cx - 0.55 * sw, ny - 0.1 * sw),
            SignLocation.AboveHead => (hx - 0.45 * sw, hy - 1.6 * r),
            SignLocation.Side => (cx - 0.85 * sw, ny + 0.6 * sw),
            _ => (cx - 0.3 * sw, ny + 1.0 * sw),
        };
    }

    /// <summary>Hands hanging at rest by the hips.</summary>
    public (double X, double Y) Rest(bool left) => (CenterX + (left ? 1 : -1) * 0.58 * Sw, NeckY + 1.05 * Sw);

    /// <summary>The passive hand's place in dominant+passive signs (a flat base in front of the body).</summary>
    public (double X, double Y) PassiveBase => (CenterX + 0.12 * Sw, NeckY + 0.72 * Sw);

    public double MirrorX(double x) => 2 * CenterX - x;
}
