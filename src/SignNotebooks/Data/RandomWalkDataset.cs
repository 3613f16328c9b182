namespace SignNotebooks.Data;

/// <summary>
/// A throw-away corpus of noise frames and random-walk keypoints, generated once and held in memory, for
/// benchmarks and smoke tests of the input pipeline (it has no signs; use SynthSign for anything learnable).
/// Every tenth keypoint set is a missed detection (0, 0, 0) so the corner-blob path is exercised too.
/// </summary>
public sealed class RandomWalkDataset : ISignDataset
{
    private readonly Dictionary<string, SignClip> _clips = new(StringComparer.Ordinal);
    private readonly List<string> _names = [];

    public RandomWalkDataset(int clips, int frames, int width, int height, int seed = 0)
    {
        var rng = new Random(seed);
        for (int c = 0; c < clips; c++)
        {
            var frameBytes = new byte[(long)frames * height * width * 3];
            rng.NextBytes(frameBytes);
            var kp = new float[frames * 133 * 3];
            for (int k = 0; k < 133; k++)
            {
                double x = rng.NextDouble() * width, y = rng.NextDouble() * height;
                for (int f = 0; f < frames; f++)
                {
                    x = Math.Clamp(x + 4 * (rng.NextDouble() - 0.5), 0, width - 1);
                    y = Math.Clamp(y + 4 * (rng.NextDouble() - 0.5), 0, height - 1);
                    int o = (f * 133 + k) * 3;
                    if ((f * 133 + k) % 10 == 0) continue;   // missed detection
                    (kp[o], kp[o + 1], kp[o + 2]) = ((float)x, (float)y, (float)(0.5 + 0.5 * rng.NextDouble()));
                }
            }
            string name = $"walk-{c:D4}";
            _names.Add(name);
            _clips[name] = new SignClip(name, "train", "walker", frames, width, height, frameBytes, kp,
                Enumerable.Range(0, 1 + c % 5).Select(i => Glosses[(c + i) % Glosses.Count]).ToArray());
        }
    }

    public string Name => "random-walk";
    public IReadOnlyList<string> Splits { get; } = ["train"];
    public IReadOnlyList<string> Glosses { get; } = ["A", "B", "C", "D", "E", "F"];
    public IReadOnlyList<string> ClipNames(string split) => split == "train" ? _names : [];

    public SignClip Load(string split, string name, bool withFrames = true)
    {
        var clip = _clips[name];
        return withFrames ? clip : clip with { Frames = null };
    }
}
