using static TorchSharp.torch;

namespace SignNotebooks.Models.Layers;

/// <summary>
/// Memory discipline for long clips. A dispose scope keeps every tensor made inside it alive until it ends, so a
/// forward wrapped in one scope holds all intermediates at once (a 400-frame paper-size clip then needs > 20 GB).
/// Blocks run their body in an inner scope and hand only the result out; loops dispose what they no longer need.
/// Disposing is safe under autograd: the graph keeps its own references.
/// </summary>
internal static class Scoped
{
    /// <summary>Runs <paramref name="body"/> in its own dispose scope and returns its result to the caller's scope.</summary>
    public static Tensor Run(Func<Tensor> body)
    {
        using var scope = NewDisposeScope();
        return body().MoveToOuterDisposeScope();
    }

    /// <summary>Disposes <paramref name="t"/> unless it is one of <paramref name="keep"/>.</summary>
    public static void Drop(Tensor t, params Tensor?[] keep)
    {
        foreach (var k in keep) if (ReferenceEquals(k, t)) return;
        t.Dispose();
    }
}
