using System.Collections.Concurrent;
using TorchSharp;

namespace SignNotebooks.Util;

/// <summary>
/// Process-lifetime TorchSharp <see cref="Scalar"/>s. Why: in TorchSharp 0.107 an implicitly converted Scalar
/// (<c>x * 0.5</c>, <c>x.clamp(0, 1)</c>, <c>arange(n)</c>) is unreachable as soon as its native handle has been read,
/// so a garbage collection during the native call can run its finalizer and free it mid-operation
/// (use-after-free: "Unknown scalar type", "Expected false to be true" or a crash). Single-threaded code rarely
/// meets a GC at that instant; a background loader thread makes it routine (reproduced in the pipeline tests).
/// Constants from here stay reachable for the whole process; for per-call values use <c>using var s = v.ToScalar();</c>.
/// TorchSharp also creates such Scalars itself: <c>add(t)</c> / <c>a + b</c> pass an implicit alpha 1 (use
/// <c>a.add(b, F(1))</c>), <c>square()</c> is <c>pow(2)</c> (use <c>x.mul(x)</c>), <c>arange(start, stop)</c> an implicit
/// step (pass it). <c>sub</c>, <c>mul</c>, <c>div</c> of two tensors create none.
/// </summary>
public static class KeptScalars
{
    private static readonly ConcurrentDictionary<double, Scalar> Floats = new();
    private static readonly ConcurrentDictionary<long, Scalar> Ints = new();

    /// <summary>A float64 Scalar that is never finalized. Use for constants and few-valued settings (σ, size ratios).</summary>
    public static Scalar F(double value) => Floats.GetOrAdd(value, v => v.ToScalar());

    /// <summary>An int64 Scalar that is never finalized (integer ops keep integer results; arange bounds).</summary>
    public static Scalar I(long value) => Ints.GetOrAdd(value, v => v.ToScalar());
}
