using TorchSharp;
using TorchSharp.Modules;
using SignNotebooks.Models.Backbones;
using SignNotebooks.Models.Fusion;
using SignNotebooks.Models.Heads;
using static TorchSharp.torch;

namespace SignNotebooks.Models;

/// <summary>
/// TwoStream-SLR (spec §1–§5): RGB and keypoint S3D with bidirectional laterals, three main heads (video, keypoint,
/// joint on concat[keypoint, video]), the late ensemble, and per stream an SPN with two auxiliary heads plus the
/// eval-only early ensemble of the two P3 heads.
/// </summary>
public sealed class TwoStreamModel : RecognitionModel
{
    private readonly TwoStreamBackbone visual_backbone_twostream;
    private readonly VisualHead visual_head;
    private readonly VisualHead visual_head_keypoint;
    private readonly VisualHead? visual_head_fuse;
    private readonly ModuleList<VisualHead>? visual_head_remain;
    private readonly ModuleList<VisualHead>? visual_head_keypoint_remain;

    public TwoStreamModel(ModelConfig config) : base(nameof(TwoStreamModel), config)
    {
        config.Validate();
        visual_backbone_twostream = new TwoStreamBackbone(config);
        var ch = visual_backbone_twostream.RgbStream.Backbone.Channels;
        visual_head = new VisualHead(ch[3], config);
        visual_head_keypoint = new VisualHead(ch[3], config);
        if (config.JointHead) visual_head_fuse = new VisualHead(2 * ch[3], config);
        if (config.Pyramid)
        {
            // aux 0 reads P2 (C2 channels), aux 1 reads P3 (C3 channels), spec §3 table.
            visual_head_remain = new ModuleList<VisualHead>(new VisualHead(ch[1], config), new VisualHead(ch[2], config));
            visual_head_keypoint_remain = new ModuleList<VisualHead>(new VisualHead(ch[1], config), new VisualHead(ch[2], config));
        }
        RegisterComponents();
    }

    public TwoStreamBackbone Backbone => visual_backbone_twostream;

    // spec §2: the laterals need the 2:1 RGB:heatmap ratio. The SPN adds C2 and C3 to up-sampled deeper levels, so the
    // heatmap side (halved three times up to C3) must divide by 8; C4 rounds up and PyramidNetwork.CropTo trims the one
    // extra row it brings back (24/48 works, 112/224 matches exactly).
    private void CheckSizes(Tensor rgb, Tensor hm)
    {
        if (rgb.shape[0] != hm.shape[0] || rgb.shape[2] != hm.shape[2])
            throw new ArgumentException($"rgb and heatmaps must share B and T; got ({string.Join(", ", rgb.shape)}) and ({string.Join(", ", hm.shape)}).");
        bool ratio = (Config.LateralKeypointToRgb || Config.LateralRgbToKeypoint) && (rgb.shape[3] != 2 * hm.shape[3] || rgb.shape[4] != 2 * hm.shape[4]);
        bool pyramid = Config.Pyramid && (hm.shape[3] % 8 != 0 || hm.shape[4] % 8 != 0 || rgb.shape[3] % 16 != 0 || rgb.shape[4] % 16 != 0);
        if (ratio || pyramid)
            throw new ArgumentException($"frame sizes rgb {rgb.shape[3]}×{rgb.shape[4]}, heatmaps {hm.shape[3]}×{hm.shape[4]} do not fit: the laterals need RGB = 2 × heatmap " +
                                        "and the pyramid needs heatmap sides divisible by 8 (e.g. 224/112, 64/32, 48/24).");
    }

    public override RecognitionOutputs Forward(Tensor? rgb, Tensor? heatmaps, Tensor lengths)
    {
        CheckInput(rgb, "rgb", true, Config.RgbChannels);
        CheckInput(heatmaps, "heatmaps", true, Config.KeypointChannels);
        CheckSizes(rgb!, heatmaps!);
        var f = visual_backbone_twostream.Encode(rgb!, heatmaps!);
        long tIn = rgb!.shape[2];
        var outputs = new RecognitionOutputs();

        var pooledRgb = Pool(f.RgbC4);     // (B, 832, T/4, h, w) -> (B, T/4, 832)
        var pooledKp = Pool(f.KeypointC4);
        outputs.VideoFeatures = pooledRgb;
        outputs.KeypointFeatures = pooledKp;
        var len4 = S3DBackbone.LevelLengths(lengths, pooledRgb.shape[1], tIn);
        var v = visual_head.Run(pooledRgb, len4);
        var k = visual_head_keypoint.Run(pooledKp, len4);
        outputs.Add(RecognitionOutputs.Video, v);
        outputs.Add(RecognitionOutputs.Keypoint, k);
        var probSum = v.Probs + k.Probs;
        if (visual_head_fuse is not null)
        {
            var j = visual_head_fuse.Run(torch.cat(new[] { pooledKp, pooledRgb }, dim: 2), len4); // keypoint first, (B, T/4, 1664)
            outputs.Add(RecognitionOutputs.Joint, j);
            probSum = probSum + j.Probs;
        }
        // spec §3: log(Σ p) is the log of the mean up to a constant, so softmax of it is the mean probability.
        outputs.Add(RecognitionOutputs.EnsembleLast, HeadOutput.FromLogits(torch.log(probSum), len4));

        if (visual_head_remain is not null && visual_head_keypoint_remain is not null)
        {
            for (int i = 0; i < 2; i++)
            {
                var pr = Pool(f.RgbPyramid![i]); // (B, C, T/2, h, w) -> (B, T/2, C)
                var pk = Pool(f.KeypointPyramid![i]);
                var len2 = S3DBackbone.LevelLengths(lengths, pr.shape[1], tIn);
                outputs.Add(i == 0 ? RecognitionOutputs.VideoAux0 : RecognitionOutputs.VideoAux1, visual_head_remain[i].Run(pr, len2));
                outputs.Add(i == 0 ? RecognitionOutputs.KeypointAux0 : RecognitionOutputs.KeypointAux1, visual_head_keypoint_remain[i].Run(pk, len2));
            }
            if (!training)
            {
                var a = outputs[RecognitionOutputs.VideoAux1];
                var b = outputs[RecognitionOutputs.KeypointAux1];
                outputs.Add(RecognitionOutputs.EnsembleEarly, HeadOutput.FromLogits(torch.log(a.Probs + b.Probs), a.ValidLengths));
            }
        }
        return outputs;
    }
}
