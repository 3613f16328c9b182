using TorchSharp;
using TorchSharp.Modules;
using SignNotebooks.Models.Backbones;
using static TorchSharp.torch;

namespace SignNotebooks.Models.Fusion;

/// <summary>Per-level features of both streams after the laterals: C1..C4 each, plus the SPN levels [P2, P3] when built.</summary>
public sealed record TwoStreamFeatures(Tensor[] Rgb, Tensor[] Keypoint, Tensor[]? RgbPyramid, Tensor[]? KeypointPyramid);

/// <summary>
/// `visual_backbone_twostream` (spec §2, §12): the RGB and keypoint S3D streams run layer by layer; after C1, C2, C3
/// (base indices 0, 3, 6) both lateral directions are computed from the pre-fusion pair and added simultaneously.
/// None after C4. Then each stream's pyramid runs on the post-lateral C2, C3, C4.
/// </summary>
public sealed class TwoStreamBackbone : nn.Module<Tensor, Tensor>
{
    private static readonly int[] FusionPoints = { 0, 3, 6 };

    private readonly StreamEncoder rgb_stream;
    private readonly StreamEncoder pose_stream;
    private readonly ModuleList<LateralConnection>? rgb_stream_lateral;  // keypoint -> video
    private readonly ModuleList<LateralConnection>? pose_stream_lateral; // video -> keypoint

    public TwoStreamBackbone(ModelConfig c) : base(nameof(TwoStreamBackbone))
    {
        rgb_stream = new StreamEncoder(c.RgbChannels, c, c.Pyramid, c.FreezeRgbStem, c.StemBatchNormTrains);
        pose_stream = new StreamEncoder(c.KeypointChannels, c, c.Pyramid, freezeStem: false, stemBatchNormTrains: true);
        var ch = rgb_stream.Backbone.Channels;
        if (c.LateralKeypointToRgb)
            rgb_stream_lateral = new ModuleList<LateralConnection>(Enumerable.Range(0, 3).Select(i => new LateralConnection(ch[i], upsample: true)).ToArray());
        if (c.LateralRgbToKeypoint)
            pose_stream_lateral = new ModuleList<LateralConnection>(Enumerable.Range(0, 3).Select(i => new LateralConnection(ch[i], upsample: false)).ToArray());
        RegisterComponents();
    }

    public StreamEncoder RgbStream => rgb_stream;
    public StreamEncoder PoseStream => pose_stream;

    /// <param name="rgb">(B, 3, T, H, W)</param>
    /// <param name="heatmaps">(B, K, T, H/2, W/2): the fixed 2:1 ratio is what aligns the laterals (spec §2).</param>
    public TwoStreamFeatures Encode(Tensor rgb, Tensor heatmaps)
    {
        var rgbBone = rgb_stream.Backbone;
        var kpBone = pose_stream.Backbone;
        Tensor x = rgb, y = heatmaps;
        var cr = new List<Tensor>(4);
        var ck = new List<Tensor>(4);
        for (int i = 0; i < rgbBone.Count; i++)
        {
            x = rgbBone.Layer(i, x);
            y = kpBone.Layer(i, y);
            int level = Array.IndexOf(FusionPoints, i);
            if (level >= 0)
            {
                var x0 = x; var y0 = y; // both directions read the pre-fusion pair
                if (rgb_stream_lateral is not null) x = x0 + rgb_stream_lateral[level].call(y0);
                if (pose_stream_lateral is not null) y = y0 + pose_stream_lateral[level].call(x0);
            }
            if (S3DBackbone.BlockEnds.Contains(i)) { cr.Add(x); ck.Add(y); }
        }
        Tensor[]? pr = rgb_stream.Pyramid?.Build(cr[1], cr[2], cr[3]);
        Tensor[]? pk = pose_stream.Pyramid?.Build(ck[1], ck[2], ck[3]);
        return new TwoStreamFeatures(cr.ToArray(), ck.ToArray(), pr, pk);
    }

    public override Tensor forward(Tensor x) =>
        throw new NotSupportedException("TwoStreamBackbone takes two inputs: call Encode(rgb, heatmaps).");
}
