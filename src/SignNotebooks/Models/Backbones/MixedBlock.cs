using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SignNotebooks.Models.Backbones;

/// <summary>Branch widths of one inception block: b0, b1 reduce→out, b2 reduce→out, b3 (spec §1.1 table).</summary>
public readonly record struct MixedWidths(int B0, int B1Reduce, int B1, int B2Reduce, int B2, int B3)
{
    /// <summary>Channels after concatenating the four branches.</summary>
    public int Out => B0 + B1 + B2 + B3;
    public MixedWidths Scale(ModelConfig c) => new(c.Ch(B0), c.Ch(B1Reduce), c.Ch(B1), c.Ch(B2Reduce), c.Ch(B2), c.Ch(B3));
}

/// <summary>
/// S3D inception block (Mixed_3b … Mixed_4f): four branches concatenated on channels in the order b0,b1,b2,b3
/// (spec §1.1). Keys `branch0.0.*`, `branch{1,2}.{0,1}.*`, `branch3.1.*` (index 0 of branch3 is the max-pool).
/// </summary>
public sealed class MixedBlock : nn.Module<Tensor, Tensor>
{
    private readonly Sequential branch0;
    private readonly Sequential branch1;
    private readonly Sequential branch2;
    private readonly Sequential branch3;

    public MixedBlock(int inChannels, MixedWidths w) : base(nameof(MixedBlock))
    {
        var one = (1L, 1L, 1L);
        var zero = (0L, 0L, 0L);
        branch0 = nn.Sequential(new BasicConv3d(inChannels, w.B0, one, one, zero));
        branch1 = nn.Sequential(new BasicConv3d(inChannels, w.B1Reduce, one, one, zero), new SepConv3d(w.B1Reduce, w.B1, 3, 1, 1));
        branch2 = nn.Sequential(new BasicConv3d(inChannels, w.B2Reduce, one, one, zero), new SepConv3d(w.B2Reduce, w.B2, 3, 1, 1));
        branch3 = nn.Sequential(nn.MaxPool3d((3L, 3L, 3L), (1L, 1L, 1L), (1L, 1L, 1L)), new BasicConv3d(inChannels, w.B3, one, one, zero));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => Layers.Scoped.Run(() =>
        torch.cat(new[] { branch0.call(x), branch1.call(x), branch2.call(x), branch3.call(x) }, dim: 1));
}
