using TorchSharp;
using TorchSharp.Modules;
using SignNotebooks.Models.Pyramid;
using static TorchSharp.torch;

namespace SignNotebooks.Models.Backbones;

/// <summary>
/// One stream: the S3D `backbone` plus, in the two-stream model, its `pyramid` (spec §4). Owns the frozen-stem
/// rule (spec §1.1): frozen weights, and optionally the stem BN held in eval under train().
/// </summary>
public sealed class StreamEncoder : nn.Module<Tensor, Tensor>
{
    private readonly S3DBackbone backbone;
    private readonly PyramidNetwork? pyramid;
    private readonly bool stemFrozen;
    private readonly bool stemBatchNormTrains;

    public StreamEncoder(int inChannels, ModelConfig c, bool withPyramid, bool freezeStem, bool stemBatchNormTrains)
        : base(nameof(StreamEncoder))
    {
        backbone = new S3DBackbone(inChannels, c);
        if (withPyramid) pyramid = new PyramidNetwork(backbone.Channels);
        stemFrozen = freezeStem;
        this.stemBatchNormTrains = stemBatchNormTrains;
        RegisterComponents();
        foreach (var m in modules())
            if (m is BatchNorm3d bn) bn.momentum = c.BackboneBatchNormMomentum;
        if (freezeStem)
            foreach (var p in backbone.Stem.parameters()) p.requires_grad = false;
        if (freezeStem && !stemBatchNormTrains) backbone.Stem.eval();
    }

    public S3DBackbone Backbone => backbone;
    public PyramidNetwork? Pyramid => pyramid;

    public override void train(bool on = true)
    {
        base.train(on);
        // spec §1.1 quirk: single-stream video training keeps the frozen stem in eval (running BN stats).
        if (on && stemFrozen && !stemBatchNormTrains) backbone.Stem.eval();
    }

    public override Tensor forward(Tensor x) => backbone.call(x);
}
