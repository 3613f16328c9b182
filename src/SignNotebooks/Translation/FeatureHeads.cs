using TorchSharp;
using SignNotebooks.Models;
using SignNotebooks.Models.Heads;
using static TorchSharp.torch;

namespace SignNotebooks.Translation;

/// <summary>
/// SLRT's <c>recognition_network</c> in feature mode (spec §10.4): only the three heads, <c>visual_head</c> (video),
/// <c>visual_head_keypoint</c> and <c>visual_head_fuse</c> (joint, on concat[keypoint, video]), reading the frozen
/// pooled C4 features a trained TwoStream-SLR extracted. Same keys as the recognition model's heads.
/// </summary>
public sealed class FeatureHeads : nn.Module<Tensor, Tensor>
{
    private readonly VisualHead visual_head;
    private readonly VisualHead visual_head_keypoint;
    private readonly VisualHead visual_head_fuse;

    /// <param name="featureSize">C4 channels per stream (832 at width 1).</param>
    public FeatureHeads(int featureSize, ModelConfig config) : base(nameof(FeatureHeads))
    {
        visual_head = new VisualHead(featureSize, config);
        visual_head_keypoint = new VisualHead(featureSize, config);
        visual_head_fuse = new VisualHead(2 * featureSize, config);
        RegisterComponents();
    }

    /// <param name="video">(B, T', C) pooled video features.</param>
    /// <param name="keypoint">(B, T', C) pooled keypoint features.</param>
    /// <param name="lengths">(B) int64 valid T'.</param>
    public (HeadOutput Video, HeadOutput Keypoint, HeadOutput Joint) Run(Tensor video, Tensor keypoint, Tensor lengths) =>
        (visual_head.Run(video, lengths), visual_head_keypoint.Run(keypoint, lengths),
         visual_head_fuse.Run(torch.cat(new[] { keypoint, video }, 2), lengths)); // keypoint first, (B, T', 2C), as the joint head (spec §3)

    public override Tensor forward(Tensor x) => throw new NotSupportedException("call Run(video, keypoint, lengths).");
}
