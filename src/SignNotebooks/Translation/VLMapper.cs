using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SignNotebooks.Translation;

/// <summary>What the VL-mapper reads (spec §10.4).</summary>
public enum MapperKind
{
    /// <summary>Phoenix-2014T: Linear(512→d) → ReLU → Linear(d→d) on the head's gloss features (<c>mapping.{0,2}</c>).</summary>
    Projection,
    /// <summary>CSL-Daily: a bias-free Linear(V→d) on the head's gloss probabilities, initialised with the gloss embeddings (<c>mapping.weight</c>).</summary>
    GlossProbabilities,
}

/// <summary>The visual-language mapper of TwoStream-SLT (spec §10.4): recognition output → mBART embedding space.</summary>
public sealed class VLMapper : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> mapping;

    public MapperKind Kind { get; }

    /// <param name="inputSize">Gloss-feature size (projection) or classifier size V (probabilities).</param>
    public VLMapper(MapperKind kind, int inputSize, int dModel) : base(nameof(VLMapper))
    {
        Kind = kind;
        mapping = kind == MapperKind.Projection
            ? nn.Sequential(nn.Linear(inputSize, dModel), nn.ReLU(), nn.Linear(dModel, dModel))
            : nn.Linear(inputSize, dModel, hasBias: false);
        RegisterComponents();
    }

    /// <summary>
    /// Embedding variant: the weight (d, V) takes the first V gloss-embedding rows as columns (glosses without an
    /// embedding would stay zero in SLRT; here every recognition id has one).
    /// </summary>
    public void InitFromGlossEmbedding(Tensor glossEmbedding)
    {
        if (mapping is not Linear linear) throw new InvalidOperationException("only the gloss-probability mapper starts from the gloss embeddings");
        long v = linear.weight!.shape[1];
        using (torch.no_grad()) linear.weight!.copy_(glossEmbedding.narrow(0, 0, v).t()); // (V, d) -> (d, V)
    }

    /// <param name="x">(B, T, 512) gloss features or (B, T, V) gloss probabilities.</param>
    /// <returns>(B, T, d).</returns>
    public override Tensor forward(Tensor x) => mapping.call(x);
}
