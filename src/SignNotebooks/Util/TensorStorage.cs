using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace SignNotebooks.Util;

/// <summary>
/// Storage identity of tensors. TorchSharp 0.107 hands out a new wrapper (and handle) for the same parameter on
/// every <c>state_dict()</c> call and exposes no public data pointer, so tied weights are recognised by the address
/// of their storage, read through LibTorchSharp's own export.
/// </summary>
public static class TensorStorage
{
    [DllImport("LibTorchSharp")]
    private static extern IntPtr THSStorage_data_ptr(IntPtr tensor);

    /// <summary>The address of the tensor's storage: equal for tensors that share memory (tied weights, views).</summary>
    public static IntPtr DataPointer(Tensor t) => THSStorage_data_ptr(t.Handle);

    /// <summary>A module's parameters, each storage once (an optimiser must not step a tied weight twice).</summary>
    public static IEnumerable<TorchSharp.Modules.Parameter> UniqueParameters(nn.Module module) => module.parameters().DistinctBy(DataPointer);
}
