using SignNotebooks.Models.Heads;

namespace SignNotebooks.Models;

/// <summary>
/// Every head's output of one forward pass, by name: `video`, `keypoint`, `joint`, `ensemble_last`,
/// `ensemble_early` (eval only), `video_aux_0/1`, `keypoint_aux_0/1` (aux 0 = P2, aux 1 = P3, spec §4).
/// A head that the config switched off is simply absent.
/// </summary>
public sealed class RecognitionOutputs
{
    public const string Video = "video", Keypoint = "keypoint", Joint = "joint";
    public const string EnsembleLast = "ensemble_last", EnsembleEarly = "ensemble_early";
    public const string VideoAux0 = "video_aux_0", VideoAux1 = "video_aux_1";
    public const string KeypointAux0 = "keypoint_aux_0", KeypointAux1 = "keypoint_aux_1";

    private readonly Dictionary<string, HeadOutput> heads = new(StringComparer.Ordinal);

    /// <summary>Heads in the order they were produced.</summary>
    public IReadOnlyDictionary<string, HeadOutput> Heads => heads;

    public HeadOutput this[string name] => heads.TryGetValue(name, out var h) ? h
        : throw new KeyNotFoundException($"no head '{name}' in this model's outputs (have: {string.Join(", ", heads.Keys)})");

    public bool Has(string name) => heads.ContainsKey(name);

    internal void Add(string name, HeadOutput output) => heads[name] = output;

    /// <summary>The pooled C4 features (B, T/4, 832) per stream, what SLT feature extraction stores (spec §10).</summary>
    public TorchSharp.torch.Tensor? VideoFeatures { get; internal set; }
    public TorchSharp.torch.Tensor? KeypointFeatures { get; internal set; }
}
