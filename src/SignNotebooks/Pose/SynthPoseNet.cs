using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SignNotebooks.Pose;

/// <summary>
/// The small heatmap network of <see cref="SynthPoseConfig"/>: (N, 3, S, S) normalised image → conv/BN/ReLU
/// layers → 1×1 head → (N, 133, S/stride, S/stride) logits. Its heatmaps are the logits softmaxed over each map
/// (<see cref="Heatmaps"/>): trained with cross-entropy against the normalised Gaussian target, which learns in
/// hundreds of steps where plain heatmap MSE sits at the all-zero map for thousands; the maxima are probabilities,
/// a natural score. <see cref="SynthPoseExport"/> writes <see cref="Heatmaps"/> as ONNX.
/// </summary>
public sealed class SynthPoseNet : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<ConvBnRelu> layers;
    private readonly Conv2d head;

    public SynthPoseConfig Config { get; }
    public int Keypoints { get; }

    public SynthPoseNet(SynthPoseConfig config, int keypoints = SignNotebooks.Keypoints.WholeBody.Count) : base(nameof(SynthPoseNet))
    {
        Util.TorchBackend.EnsureConfigured();
        Config = config;
        Keypoints = keypoints;
        layers = new ModuleList<ConvBnRelu>();
        long cin = 3;
        foreach (var l in config.Layers)
        {
            layers.Add(new ConvBnRelu(cin, l.Channels, l.Stride, l.Dilation));
            cin = l.Channels;
        }
        head = nn.Conv2d(cin, keypoints, 1);
        RegisterComponents();
    }

    /// <summary>The layers in order, for export.</summary>
    public IReadOnlyList<ConvBnRelu> Layers => layers.ToList();

    /// <summary>The head's weight and bias.</summary>
    public (float[] Weight, float[] Bias) Head()
    {
        using var _ = no_grad();
        return (head.weight.contiguous().data<float>().ToArray(), head.bias!.contiguous().data<float>().ToArray());
    }

    /// <summary>(N, K, h, w) maps that sum to 1 each: what the ONNX model outputs.</summary>
    public Tensor Heatmaps(Tensor x)
    {
        var logits = call(x);
        long n = logits.shape[0], k = logits.shape[1], h = logits.shape[2], w = logits.shape[3];
        // (N, K, h, w) -> (N, K, h·w) -> softmax over positions -> (N, K, h, w)
        return logits.view(n, k, h * w).softmax(-1).view(n, k, h, w);
    }

    public override Tensor forward(Tensor x)
    {
        foreach (var l in layers) x = l.call(x);
        return head.call(x);
    }
}
