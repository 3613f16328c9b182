using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SignNotebooks.Importance;

/// <summary>
/// Keypoint-importance estimator: per frame, how much each articulator of <see cref="ArticulatorParts"/> matters
/// (logits; sigmoid gives [0, 1]). A 1-D temporal convolution stack over <see cref="ImportanceFeatures"/>: the
/// receptive field of 1 + 2·(5 − 1) + 2·(5 − 1)·2 = 25 frames covers a sign and its neighbours (SynthSign signs last
/// 3–10 frames at tempo 1), so the network can tell a sign's own movement from a transition.
/// </summary>
public sealed class ImportanceEstimator : nn.Module<Tensor, Tensor>
{
    private readonly Conv1d input_proj;
    private readonly Conv1d temporal1;
    private readonly Conv1d temporal2;
    private readonly Conv1d output;

    public int Keypoints { get; }
    public int Hidden { get; }

    public ImportanceEstimator(int keypoints = 79, int hidden = 64) : base(nameof(ImportanceEstimator))
    {
        Util.TorchBackend.EnsureConfigured();
        Keypoints = keypoints;
        Hidden = hidden;
        input_proj = nn.Conv1d(keypoints * ImportanceFeatures.PerKeypoint, hidden, 1);
        temporal1 = nn.Conv1d(hidden, hidden, 5, padding: 2);
        temporal2 = nn.Conv1d(hidden, hidden, 5, padding: 4, dilation: 2);
        output = nn.Conv1d(hidden, ArticulatorParts.Count, 1);
        RegisterComponents();
    }

    /// <summary>(B, T, K·5) features → (B, T, parts) logits.</summary>
    public override Tensor forward(Tensor features)
    {
        using var scope = NewDisposeScope();
        // (B, T, K·5) -> (B, K·5, T): Conv1d wants channels before time.
        var x = features.permute(0, 2, 1);
        x = input_proj.call(x).relu();
        x = temporal1.call(x).relu();
        x = temporal2.call(x).relu();
        // (B, parts, T) -> (B, T, parts).
        return output.call(x).permute(0, 2, 1).MoveToOuterDisposeScope();
    }
}
