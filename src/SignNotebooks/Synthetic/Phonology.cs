namespace SignNotebooks.Synthetic;

/// <summary>
/// A handshape as finger flexion: per finger (thumb, index, middle, ring, pinky) a curl in [0, 1]
/// (0 = extended, 1 = fully flexed) and a spread in [0, 1]. The names follow the usual sign-language
/// handshape letters (B, 5, A, S, 1, V, W, 4, L, Y, C, O, claw, I).
/// </summary>
public sealed record Handshape(string Name, float Thumb, float Index, float Middle, float Ring, float Pinky, float Spread)
{
    public float Curl(int finger) => finger switch { 0 => Thumb, 1 => Index, 2 => Middle, 3 => Ring, _ => Pinky };

    public static readonly Handshape B = new("B", 0.45f, 0, 0, 0, 0, 0.05f);
    public static readonly Handshape Five = new("5", 0, 0, 0, 0, 0, 1);
    public static readonly Handshape A = new("A", 0.15f, 1, 1, 1, 1, 0);
    public static readonly Handshape S = new("S", 0.9f, 1, 1, 1, 1, 0);
    public static readonly Handshape One = new("1", 0.9f, 0, 1, 1, 1, 0);
    public static readonly Handshape V = new("V", 0.9f, 0, 0, 1, 1, 0.9f);
    public static readonly Handshape W = new("W", 0.9f, 0, 0, 0, 1, 0.8f);
    public static readonly Handshape Four = new("4", 0.9f, 0, 0, 0, 0, 0.6f);
    public static readonly Handshape L = new("L", 0, 0, 1, 1, 1, 1);
    public static readonly Handshape Y = new("Y", 0, 1, 1, 1, 0, 1);
    public static readonly Handshape C = new("C", 0.35f, 0.45f, 0.45f, 0.45f, 0.45f, 0.15f);
    public static readonly Handshape O = new("O", 0.6f, 0.7f, 0.7f, 0.7f, 0.7f, 0);
    public static readonly Handshape Claw = new("claw", 0.1f, 0.55f, 0.55f, 0.55f, 0.55f, 1);
    public static readonly Handshape I = new("I", 0.9f, 1, 1, 1, 0, 0.3f);
    /// <summary>Hand at rest (hanging, loosely curled).</summary>
    public static readonly Handshape Rest = new("rest", 0.3f, 0.3f, 0.35f, 0.4f, 0.45f, 0.1f);
}

/// <summary>Where a sign is made, relative to body landmarks of the signer.</summary>
public enum SignLocation { Neutral, Chest, Chin, Mouth, Forehead, Cheek, Shoulder, AboveHead, Side, Waist }

/// <summary>Path shape of the movement.</summary>
public enum PathShape { Hold, Line, Arc, Circle, Zigzag, Tap, Wiggle }

/// <summary>How the two hands take part.</summary>
public enum HandUse { OneHanded, TwoSymmetric, DominantPassive }

/// <summary>Mouth shape (non-manual).</summary>
public enum MouthShape { Neutral, Open, Round, Wide, Pressed }

/// <summary>Eyebrow position (non-manual).</summary>
public enum BrowShape { Neutral, Raised, Furrowed }

/// <summary>
/// Movement: path shape, direction in image coordinates (x right, y down, unit-free), amplitude in
/// shoulder widths, repetitions, and a speed factor (&gt; 1 = faster, shorter, blurrier).
/// </summary>
public sealed record Movement(PathShape Shape, float DirX = 0, float DirY = 1, float Amplitude = 0.3f, int Repeats = 1, float Speed = 1);

/// <summary>
/// One lexical sign by its phonological parameters. The dominant hand is the signer's right (image left);
/// <see cref="Angle"/> is the pointing direction of the dominant hand's fingers in degrees (−90 = up).
/// </summary>
public sealed record SignEntry(
    string Gloss, string Category, Handshape Dominant, SignLocation Location, Movement Movement,
    HandUse Hands = HandUse.OneHanded, Handshape? Passive = null,
    MouthShape Mouth = MouthShape.Neutral, BrowShape Brows = BrowShape.Neutral, float Angle = -90)
{
    /// <summary>The manual part alone (for checking minimal pairs).</summary>
    public string ManualKey => $"{Dominant.Name}|{Location}|{Movement}|{Hands}|{Passive?.Name}|{Angle}";
    public string FaceKey => $"{Mouth}|{Brows}";
    public string ManualKeyWithoutHandshape => $"{Location}|{Movement}|{Hands}|{Passive?.Name}|{Angle}";
}
