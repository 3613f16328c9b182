using SignNotebooks.Util;

namespace SignNotebooks.Data;

/// <summary>
/// Part <see cref="Index"/> of <see cref="Count"/> (0-based, as job arrays number tasks): every Count-th clip of each
/// split starting at Index, so the parts are disjoint, together are the whole split, and each gets a similar mix of
/// clip lengths.
/// </summary>
public sealed record Shard(int Index, int Count)
{
    /// <summary>The whole split.</summary>
    public static Shard All { get; } = new(0, 1);

    /// <summary>Parses <c>i/N</c> (e.g. <c>--shard 3/8</c>, or <c>--shard $SLURM_ARRAY_TASK_ID/8</c>).</summary>
    public static Shard Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length == 2 && int.TryParse(parts[0], out int i) && int.TryParse(parts[1], out int n) && n >= 1 && i >= 0 && i < n)
            return new Shard(i, n);
        throw new UserFacingException($"--shard '{text}': expected i/N with 0 ≤ i < N (e.g. 0/4 … 3/4). Fix: pass the task's 0-based index and the number of tasks.");
    }

    public bool IsAll => Count == 1;
    public bool Contains(int position) => position % Count == Index;
    public override string ToString() => $"{Index}/{Count}";

    /// <summary>The dataset restricted to this shard (the dataset itself for <see cref="All"/>).</summary>
    public ISignDataset Apply(ISignDataset dataset) => IsAll ? dataset : new DatasetShard(dataset, this);
}

/// <summary>One <see cref="Shard"/> of another corpus; loading and glosses pass through.</summary>
public sealed class DatasetShard(ISignDataset inner, Shard shard) : ISignDataset
{
    public Shard Shard => shard;
    public string Name => inner.Name;
    public IReadOnlyList<string> Splits => inner.Splits;
    public IReadOnlyList<string> Glosses => inner.Glosses;
    public IReadOnlyList<string> ClipNames(string split) => inner.ClipNames(split).Where((_, i) => shard.Contains(i)).ToList();
    public SignClip Load(string split, string name, bool withFrames = true) => inner.Load(split, name, withFrames);
    public bool CanRestage => inner.CanRestage;
    public SignClip LoadRestaged(string split, string name, int variant) => inner.LoadRestaged(split, name, variant);
}
