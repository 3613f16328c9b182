using static TorchSharp.torch;

namespace SignNotebooks.Translation;

/// <summary>
/// The keys and values a decoder keeps while it decodes one sentence, per layer: the cross-attention ones of the
/// encoder output (fixed) and the self-attention ones of every position decoded so far. The self-attention tensors
/// outlive the dispose scope of the step that made them (beam search frees each step's tensors), so the cache owns
/// them and frees them when they are replaced or the cache is disposed.
/// </summary>
public sealed class DecoderCache : IDisposable
{
    /// <summary>One layer's keys and values: (N, H, L, Dh) self-attention, (1 or N, H, T, Dh) cross-attention.</summary>
    public sealed class Layer(Tensor crossKeys, Tensor crossValues) : IDisposable
    {
        public Tensor CrossKeys { get; } = crossKeys;
        public Tensor CrossValues { get; } = crossValues;
        public Tensor? SelfKeys { get; private set; }
        public Tensor? SelfValues { get; private set; }

        /// <summary>Adds the newest position's keys/values (N, H, 1, Dh).</summary>
        public void Append(Tensor keys, Tensor values) => Replace(
            SelfKeys is null ? keys.clone() : cat(new[] { SelfKeys, keys }, 2),
            SelfValues is null ? values.clone() : cat(new[] { SelfValues, values }, 2));

        /// <summary>Keeps row rows[i] as row i (beam search's survivors, in their new order).</summary>
        public void Reorder(Tensor rows)
        {
            if (SelfKeys is null || SelfValues is null) return;
            Replace(SelfKeys.index_select(0, rows), SelfValues.index_select(0, rows));
        }

        public void Clear() => Replace(null, null);

        private void Replace(Tensor? keys, Tensor? values)
        {
            SelfKeys?.Dispose();
            SelfValues?.Dispose();
            SelfKeys = keys?.DetachFromDisposeScope();
            SelfValues = values?.DetachFromDisposeScope();
        }

        public void Dispose() => Clear();
    }

    public IReadOnlyList<Layer> Layers { get; }

    public DecoderCache(IEnumerable<(Tensor Keys, Tensor Values)> cross) => Layers = cross.Select(c => new Layer(c.Keys, c.Values)).ToArray();

    public void Reorder(Tensor rows) { foreach (var l in Layers) l.Reorder(rows); }
    public void Clear() { foreach (var l in Layers) l.Clear(); }
    public void Dispose() { foreach (var l in Layers) l.Dispose(); }
}
