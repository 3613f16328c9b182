using System.Runtime;

namespace SignNotebooks.Util;

/// <summary>
/// Holds the garbage collector off while a block of TorchSharp calls runs. Why: in TorchSharp 0.107 an implicit
/// Scalar (created by `x * 0.5`, by the library's own BatchNorm `num_batches_tracked.add_(1)`, by optimiser
/// steps…) becomes unreachable once its handle is read, so a GC during the native call can finalise it mid-
/// operation. Seen here: "For integral input tensors, argument alpha must not be a floating point number" inside
/// BatchNorm after 107 training steps in a notebook kernel, whose other threads allocate and trigger GCs.
/// Our own code keeps its Scalars alive (<see cref="KeptScalars"/>); this covers the library's internals.
/// Starting a region collects first (at a safe point, between steps); a block that allocates more than the
/// budget simply ends the region early (a GC may then run, as without the guard).
/// </summary>
public readonly struct NoGcRegion : IDisposable
{
    private readonly bool _started;

    private NoGcRegion(bool started) { _started = started; }

    /// <summary>Starts a no-GC region of <paramref name="budgetBytes"/> unless one is already active.</summary>
    public static NoGcRegion Enter(long budgetBytes = 256L << 20)
    {
        if (GCSettings.LatencyMode == GCLatencyMode.NoGCRegion) return new NoGcRegion(false);
        try { return new NoGcRegion(GC.TryStartNoGCRegion(budgetBytes)); }
        catch (Exception e) when (e is InvalidOperationException or ArgumentOutOfRangeException) { return new NoGcRegion(false); }
    }

    public void Dispose()
    {
        if (_started && GCSettings.LatencyMode == GCLatencyMode.NoGCRegion)
        {
            try { GC.EndNoGCRegion(); }
            catch (InvalidOperationException) { } // the budget was exceeded and the runtime already left the region
        }
    }
}
