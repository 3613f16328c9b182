namespace SignNotebooks.Synthetic;

/// <summary>An RGB colour.</summary>
public readonly record struct Rgb(byte R, byte G, byte B)
{
    public Rgb Scale(double f) => new(Clamp(R * f), Clamp(G * f), Clamp(B * f));
    private static byte Clamp(double v) => (byte)Math.Clamp((int)Math.Round(v), 0, 255);
}

/// <summary>
/// One synthetic signer: body proportions (in frame heights), tempo, rhythm and appearance. Signers 0–11 are
/// "seen" (train/dev/test); 12–15 appear only in test-shift.
/// </summary>
public sealed record SynthSigner(
    int Index, string Id,
    double ShoulderWidth, double HeadRadius, double NeckLength, double TorsoLength, double UpperArm, double Forearm,
    double HandLength, double Tempo, double Rhythm,
    Rgb Skin, Rgb Hair, Rgb Shirt, bool LongHair)
{
    public const int SeenCount = 12, UnseenCount = 4, Count = SeenCount + UnseenCount;

    private static readonly Rgb[] Skins =
    [
        new(255, 224, 196), new(241, 194, 160), new(224, 172, 130), new(198, 140, 100),
        new(160, 105, 70), new(120, 78, 52), new(92, 60, 40), new(232, 190, 172),
    ];
    private static readonly Rgb[] Hairs = [new(30, 24, 20), new(80, 50, 30), new(150, 110, 60), new(210, 180, 120), new(120, 120, 120), new(60, 30, 20)];

    /// <summary>The signer with this index; a pure function of (seed, index).</summary>
    public static SynthSigner Create(int seed, int index)
    {
        var r = SynthRng.For((ulong)seed, SynthRng.Hash("signer"), (ulong)index);
        double size = r.Uniform(0.92, 1.08);
        // Shirts: seen signers wear dark-to-mid colours, unseen ones brighter ones, so appearance shifts too.
        double shirtLight = index < SeenCount ? r.Uniform(0.15, 0.55) : r.Uniform(0.55, 0.85);
        double hue = r.NextDouble();
        return new SynthSigner(
            index, $"Signer{index + 1:D2}",
            ShoulderWidth: 0.36 * size * r.Uniform(0.9, 1.1),
            HeadRadius: 0.085 * size * r.Uniform(0.92, 1.08),
            NeckLength: 0.05 * size * r.Uniform(0.85, 1.15),
            TorsoLength: 0.5 * size,
            UpperArm: 0.19 * size * r.Uniform(0.94, 1.06),
            Forearm: 0.17 * size * r.Uniform(0.94, 1.06),
            HandLength: 0.125 * size * r.Uniform(0.92, 1.08),
            Tempo: r.Uniform(0.8, 1.25),
            Rhythm: r.Uniform(0.05, 0.2),
            Skin: Skins[r.Int(0, Skins.Length - 1)],
            Hair: Hairs[r.Int(0, Hairs.Length - 1)],
            Shirt: Hsv(hue, r.Uniform(0.3, 0.9), shirtLight),
            LongHair: r.Chance(0.4));
    }

    /// <summary>
    /// The same signer (body, tempo, rhythm) in other clothes, skin and hair drawn by <paramref name="r"/> from what the
    /// seen signers can wear: shirt lightness stays in the seen range, so test-shift's brighter shirts remain unseen.
    /// </summary>
    public SynthSigner Redressed(ref SynthRng r)
    {
        double hue = r.NextDouble();
        var shirt = Hsv(hue, r.Uniform(0.3, 0.9), r.Uniform(0.15, 0.55));
        return this with { Skin = Skins[r.Int(0, Skins.Length - 1)], Hair = Hairs[r.Int(0, Hairs.Length - 1)], Shirt = shirt, LongHair = r.Chance(0.4) };
    }

    private static Rgb Hsv(double h, double s, double v)
    {
        double c = v * s, x = c * (1 - Math.Abs(h * 6 % 2 - 1)), m = v - c;
        (double r, double g, double b) = (int)(h * 6) switch
        {
            0 => (c, x, 0.0), 1 => (x, c, 0.0), 2 => (0.0, c, x), 3 => (0.0, x, c), 4 => (x, 0.0, c), _ => (c, 0.0, x),
        };
        return new Rgb((byte)((r + m) * 255), (byte)((g + m) * 255), (byte)((b + m) * 255));
    }
}
