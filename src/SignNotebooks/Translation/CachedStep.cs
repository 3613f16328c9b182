using static TorchSharp.torch;

namespace SignNotebooks.Translation;

/// <summary>
/// Beam search's next-word function for one sentence with a <see cref="DecoderCache"/>: equal to recomputing the
/// whole prefix (<see cref="TranslationNetwork.NextLogProbs"/>) but each step runs the decoder on the newest token
/// only. Beam search reorders and drops beams between steps, so every call first finds, for each prefix, the row of
/// the previous call it extends and reorders the cache to match.
/// </summary>
public sealed class CachedStep : IDisposable
{
    private readonly MBartForConditionalGeneration _model;
    private readonly DecoderCache _cache;
    private readonly Tensor? _crossBlocked;
    private long[][] _previous = [];
    private readonly Device _device;

    public CachedStep(MBartForConditionalGeneration model, Tensor encoder, Tensor mask)
    {
        _model = model;
        _device = encoder.device;
        _cache = model.Model.Decoder.Cache(encoder);
        _crossBlocked = mask.logical_not().unsqueeze(1).unsqueeze(1); // (1, T) -> (1, 1, 1, T)
    }

    /// <summary>Prefixes (N, L) → log-probabilities (N, V) of the next word (on the encoder's device).</summary>
    public Tensor Next(Tensor prefixes)
    {
        prefixes = prefixes.to(_device);
        int n = (int)prefixes.shape[0], len = (int)prefixes.shape[1];
        var flat = prefixes.cpu().data<long>().ToArray();
        var rows = Enumerable.Range(0, n).Select(i => flat[(i * len)..((i + 1) * len)]).ToArray();
        if (len == 1) _cache.Clear();
        else
        {
            var from = rows.Select(r => Array.FindIndex(_previous, p => p.Length == len - 1 && p.AsSpan().SequenceEqual(r.AsSpan(0, len - 1)))).ToArray();
            if (from.Any(f => f < 0))
                throw new InvalidOperationException("a cached decoding step must extend the previous step's prefixes by one token; use NextLogProbs for arbitrary prefixes");
            _cache.Reorder(tensor(from.Select(f => (long)f).ToArray(), device: prefixes.device));
        }
        _previous = rows;
        var hidden = _model.Model.Decoder.Step(prefixes.select(1, len - 1), len - 1, _cache, _crossBlocked);
        return nn.functional.log_softmax(_model.Logits(hidden), -1);
    }

    public void Dispose() => _cache.Dispose();
}
