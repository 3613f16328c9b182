using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SignNotebooks.Models.Pyramid;

/// <summary>
/// Sign pyramid network "v1" of one stream (spec §4): P3 = C3 + Up₀(C4), P2 = C2 + Up₁(P3), element-wise sums, no
/// smoothing conv. A side branch: it never feeds back into the backbone. Keys `upsample_layers.{0,1}.*`.
/// </summary>
public sealed class PyramidNetwork : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<Upsampling> upsample_layers;

    /// <param name="channels">C1..C4 channel counts of the stream.</param>
    public PyramidNetwork(IReadOnlyList<int> channels) : base(nameof(PyramidNetwork))
    {
        upsample_layers = new ModuleList<Upsampling>(
            new Upsampling(channels[3], channels[2], temporalStride: 2), // Up₀: C4 (T/4) -> C3 size (T/2)
            new Upsampling(channels[2], channels[1], temporalStride: 1)); // Up₁: P3 -> C2 size
        RegisterComponents();
    }

    /// <summary>Returns [P2, P3] from the post-lateral [C2, C3, C4].</summary>
    public Tensor[] Build(Tensor c2, Tensor c3, Tensor c4)
    {
        var p3 = Layers.Scoped.Run(() => c3 + upsample_layers[0].call(c4));
        var p2 = Layers.Scoped.Run(() => c2 + upsample_layers[1].call(p3));
        return new[] { p2, p3 };
    }

    public override Tensor forward(Tensor x) =>
        throw new NotSupportedException("PyramidNetwork needs three levels: call Build(c2, c3, c4).");
}
