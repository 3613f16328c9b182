using SignNotebooks.Data;

namespace SignNotebooks.Tests.Data;

/// <summary>A hand-made in-memory corpus for pipeline tests: random frames, random-walk keypoints.</summary>
internal sealed class TinyDataset : ISignDataset
{
    public const int H = 48, W = 40;
    private static readonly string[] Lexicon = ["HELLO", "RAIN", "GO", "HOUSE", "TOMORROW"];
    public List<(string Name, bool WithFrames)> Loads { get; } = [];
    public Func<SignClip, SignClip>? Corrupt { get; init; }
    private readonly int _clips;

    public TinyDataset(int clips = 7) => _clips = clips;

    public string Name => "tiny";
    public IReadOnlyList<string> Splits => ["train", "dev"];
    public IReadOnlyList<string> Glosses => Lexicon;
    public IReadOnlyList<string> ClipNames(string split) => Enumerable.Range(0, _clips).Select(i => $"{split}-{i:D2}").ToList();

    public SignClip Load(string split, string name, bool withFrames = true)
    {
        lock (Loads) Loads.Add((name, withFrames));
        int index = int.Parse(name[(name.IndexOf('-') + 1)..]);
        var rng = new Random(1000 + index);
        int t = 9 + 3 * index;
        byte[]? frames = null;
        if (withFrames) { frames = new byte[t * H * W * 3]; rng.NextBytes(frames); }
        var kp = new float[t * 133 * 3];
        for (int k = 0; k < 133; k++)
        {
            double x = rng.NextDouble() * W, y = rng.NextDouble() * H;
            for (int f = 0; f < t; f++)
            {
                x = Math.Clamp(x + rng.NextDouble() * 2 - 1, 0, W - 1);
                y = Math.Clamp(y + rng.NextDouble() * 2 - 1, 0, H - 1);
                int o = (f * 133 + k) * 3;
                (kp[o], kp[o + 1], kp[o + 2]) = ((float)x, (float)y, 0.9f);
            }
        }
        var glosses = Enumerable.Range(0, 1 + index % 4).Select(i => Lexicon[(index + i) % Lexicon.Length]).ToArray();
        var clip = new SignClip(name, split, $"s{index % 2}", t, W, H, frames, kp, glosses);
        return Corrupt is null ? clip : Corrupt(clip);
    }
}
