namespace SignNotebooks.Corpora;

/// <summary>
/// What a pickled torch tensor becomes: only its shape. SLRT's annotation files carry an empty <c>sign</c> tensor
/// (spec §9) that no recognition code reads; its storage is a nested torch.save archive that is deliberately not
/// opened, so reading annotations never needs torch and never runs torch's loader.
/// </summary>
public sealed record TorchTensorPlaceholder(long[] Shape)
{
    public long Length => Shape.Aggregate(1L, (a, b) => a * b);
}
