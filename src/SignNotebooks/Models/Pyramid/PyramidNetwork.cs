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
        var p3 = Layers.Scoped.Run(() => c3 + CropTo(upsample_layers[0].call(c4), c3));
        var p2 = Layers.Scoped.Run(() => c2 + CropTo(upsample_layers[1].call(p3), c2));
        return new[] { p2, p3 };
    }

    // The stride-2 pools round up (k 3, s 2, p 1 gives ceil(n/2)), so a side that is not a multiple of 16 (heatmaps at
    // 24² reach 3 at C3 and 2 at C4) comes back from the ×2 transposed conv one larger than the level it joins. Keep the
    // leading rows and columns, as FPN implementations do. At the paper's sizes (112/224) the sides match and this is
    // a no-op, so the official keys, shapes and outputs are unchanged.
    internal static Tensor CropTo(Tensor up, Tensor skip)
    {
        long h = skip.shape[3], w = skip.shape[4];
        if (up.shape[3] == h && up.shape[4] == w) return up;
        if (up.shape[3] < h || up.shape[4] < w || up.shape[3] > h + 1 || up.shape[4] > w + 1)
            throw new ArgumentException($"pyramid levels do not fit: up-sampled {up.shape[3]}×{up.shape[4]} against {h}×{w}; " +
                                        "use heatmap sides divisible by 8 (RGB twice that).");
        // (B, C, T, H+1?, W+1?) -> (B, C, T, H, W)
        return up[.., .., .., ..(int)h, ..(int)w];
    }

    public override Tensor forward(Tensor x) =>
        throw new NotSupportedException("PyramidNetwork needs three levels: call Build(c2, c3, c4).");
}
