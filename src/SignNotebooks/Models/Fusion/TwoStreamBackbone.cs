using TorchSharp;
using TorchSharp.Modules;
using SignNotebooks.Models.Layers;
using SignNotebooks.Models.Backbones;
using static TorchSharp.torch;

namespace SignNotebooks.Models.Fusion;

/// <summary>C4 of both streams after the laterals, plus each stream's SPN levels [P2, P3] when built.</summary>
public sealed record TwoStreamFeatures(Tensor RgbC4, Tensor KeypointC4, Tensor[]? RgbPyramid, Tensor[]? KeypointPyramid);

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
            rgb_stream_lateral = new ModuleList<LateralConnection>(Enumerable.Range(0, 3).Select(i => new LateralConnection(ch[i], upsample: true, c.ZeroInitLaterals == true)).ToArray());
        if (c.LateralRgbToKeypoint)
            pose_stream_lateral = new ModuleList<LateralConnection>(Enumerable.Range(0, 3).Select(i => new LateralConnection(ch[i], upsample: false, c.ZeroInitLaterals == true)).ToArray());
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
        // C2 and C3 are kept only while a pyramid still needs them; C1 is never kept (long clips, see Scoped).
        bool keep = rgb_stream.Pyramid is not null;
        for (int i = 0; i < rgbBone.Count; i++)
        {
            var nx = rgbBone.Layer(i, x);
            var ny = kpBone.Layer(i, y);
            if (!cr.Any(t => ReferenceEquals(t, x))) Scoped.Drop(x, rgb);
            if (!ck.Any(t => ReferenceEquals(t, y))) Scoped.Drop(y, heatmaps);
            x = nx; y = ny;
            int level = Array.IndexOf(FusionPoints, i);
            if (level >= 0)
            {
                Tensor x0 = x, y0 = y; // both directions read the pre-fusion pair
                if (rgb_stream_lateral is not null) x = Scoped.Run(() => x0 + rgb_stream_lateral[level].call(y0));
                if (pose_stream_lateral is not null) y = Scoped.Run(() => y0 + pose_stream_lateral[level].call(x0));
                if (!ReferenceEquals(x, x0)) x0.Dispose();
                if (!ReferenceEquals(y, y0)) y0.Dispose();
            }
            if (S3DBackbone.BlockEnds.Contains(i) && (i == 12 || keep && i > 0)) { cr.Add(x); ck.Add(y); }
        }
        // cr/ck now hold [C2, C3, C4] with a pyramid, else [C4].
        Tensor[]? pr = rgb_stream.Pyramid?.Build(cr[0], cr[1], cr[2]);
        Tensor[]? pk = pose_stream.Pyramid?.Build(ck[0], ck[1], ck[2]);
        for (int j = 0; j < cr.Count - 1; j++) { cr[j].Dispose(); ck[j].Dispose(); }
        return new TwoStreamFeatures(cr[^1], ck[^1], pr, pk);
    }

    public override Tensor forward(Tensor x) =>
        throw new NotSupportedException("TwoStreamBackbone takes two inputs: call Encode(rgb, heatmaps).");
}
