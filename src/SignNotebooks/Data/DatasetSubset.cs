namespace SignNotebooks.Data;

/// <summary>
/// The first clips of each split of another corpus (e.g. the tiny profile evaluates on 8 clips). Selection is by
/// position, so it is the same every time.
/// </summary>
public sealed class DatasetSubset(ISignDataset inner, IReadOnlyDictionary<string, int> maxClips) : ISignDataset
{
    public ISignDataset Inner => inner;
    public string Name => inner.Name;
    public IReadOnlyList<string> Splits => inner.Splits;
    public IReadOnlyList<string> Glosses => inner.Glosses;

    public IReadOnlyList<string> ClipNames(string split)
    {
        var all = inner.ClipNames(split);
        return maxClips.TryGetValue(split, out var n) && n < all.Count ? all.Take(n).ToList() : all;
    }

    public SignClip Load(string split, string name, bool withFrames = true) => inner.Load(split, name, withFrames);
    public int FrameCount(string split, string name) => inner.FrameCount(split, name);
    public bool CanRestage => inner.CanRestage;
    public SignClip LoadRestaged(string split, string name, int variant) => inner.LoadRestaged(split, name, variant);
}
