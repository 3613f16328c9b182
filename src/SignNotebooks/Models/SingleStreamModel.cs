using TorchSharp;
using SignNotebooks.Models.Backbones;
using SignNotebooks.Models.Heads;
using static TorchSharp.torch;

namespace SignNotebooks.Models;

/// <summary>
/// Single-stream pretraining network (spec §7.1 stages 1a/1b) with the official keys: `visual_backbone.*` +
/// `visual_head.*` for video, `visual_backbone_keypoint.*` + `visual_head_keypoint.*` for keypoints (spec §12).
/// Output head: `video` or `keypoint`.
/// </summary>
public sealed class SingleStreamModel : RecognitionModel
{
    private readonly StreamEncoder encoder;
    private readonly VisualHead head;
    private readonly bool isVideo;

    public SingleStreamModel(ModelConfig config) : base(nameof(SingleStreamModel), config)
    {
        config.Validate();
        if (config.Streams == StreamKind.TwoStream)
            throw new ArgumentException("SingleStreamModel needs Streams = Video or Keypoint; use TwoStreamModel for two streams.");
        isVideo = config.Streams == StreamKind.Video;
        // The keypoint stream has `freeze_block: 0` (spec §1.1); the video stem is frozen per config.
        encoder = isVideo
            ? new StreamEncoder(config.RgbChannels, config, withPyramid: false, config.FreezeRgbStem, config.StemBatchNormTrains)
            : new StreamEncoder(config.KeypointChannels, config, withPyramid: false, freezeStem: false, stemBatchNormTrains: true);
        head = new VisualHead(encoder.Backbone.Channels[3], config);
        // Names depend on the stream, so register by hand instead of by field name.
        register_module(isVideo ? "visual_backbone" : "visual_backbone_keypoint", encoder);
        register_module(isVideo ? "visual_head" : "visual_head_keypoint", head);
    }

    public StreamEncoder Encoder => encoder;

    public override RecognitionOutputs Forward(Tensor? rgb, Tensor? heatmaps, Tensor lengths)
    {
        CheckInput(rgb, "rgb", isVideo, Config.RgbChannels);
        CheckInput(heatmaps, "heatmaps", !isVideo, Config.KeypointChannels);
        var x = (isVideo ? rgb : heatmaps)!;
        var pooled = Pool(encoder.Backbone.call(x)); // (B, 832, T/4, h, w) -> (B, T/4, 832)
        var len4 = S3DBackbone.LevelLengths(lengths, pooled.shape[1], x.shape[2]);
        var outputs = new RecognitionOutputs();
        if (isVideo) outputs.VideoFeatures = pooled; else outputs.KeypointFeatures = pooled;
        outputs.Add(isVideo ? RecognitionOutputs.Video : RecognitionOutputs.Keypoint, head.Run(pooled, len4));
        return outputs;
    }
}
