using SignNotebooks.Util;

namespace SignNotebooks.Corpora;

/// <summary>
/// What a pickled torch tensor (<c>torch._utils._rebuild_tensor_v2</c>) becomes: its shape, strides, storage offset and
/// the still unopened storage bytes. SLRT's annotation files carry an empty <c>sign</c> tensor (spec §9) that no
/// recognition code reads, so only <see cref="Shape"/> is used there and the nested archive is never parsed;
/// SLRT's extracted features (<see cref="SlrtFeatureFile"/>) read the values with <see cref="ReadFloat32"/>.
/// </summary>
public sealed record TorchTensorPlaceholder(long[] Shape)
{
    public long Length => Shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>Element offset of the tensor in its storage (a view of a batch starts past the other clips).</summary>
    public long StorageOffset { get; init; }

    /// <summary>Element strides; null means contiguous row-major.</summary>
    public long[]? Stride { get; init; }

    /// <summary>The storage the tensor views (possibly the whole batch it was sliced from); null when the pickle had none.</summary>
    public PickledTorchStorage? Storage { get; init; }

    /// <summary>
    /// The tensor's values as contiguous row-major float32, read through <see cref="StorageOffset"/> and
    /// <see cref="Stride"/>; refuses a view reaching past its storage. <paramref name="source"/> names it in messages.
    /// </summary>
    public float[] ReadFloat32(string source)
    {
        if (Storage is null) throw new UserFacingException($"{source}: the tensor has no storage. Fix: pickle the tensor itself (pickle.dump), as SLRT does.");
        var (_, storage) = Storage.ReadFloat32(source);
        var stride = Stride ?? ContiguousStride(Shape);
        if (stride.Length != Shape.Length || Shape.Any(d => d < 0) || stride.Any(d => d < 0) || StorageOffset < 0)
            throw new UserFacingException($"{source}: the tensor's shape ({string.Join(", ", Shape)}), stride ({string.Join(", ", stride)}) " +
                                          $"and offset {StorageOffset} do not describe a view. Fix: the file is damaged; extract the features again.");
        var values = new float[Length];
        if (values.Length == 0) return values;
        long last = StorageOffset + Shape.Zip(stride, (d, s) => (d - 1) * s).Sum();
        if (last >= storage.Length)
            throw new UserFacingException($"{source}: the tensor (shape {string.Join("x", Shape)}, stride ({string.Join(", ", stride)}), offset {StorageOffset}) " +
                                          $"reaches storage element {last} but its storage holds {storage.Length}. Fix: the file is damaged; extract the features again.");
        // Walk the index like an odometer, last dimension fastest, so any stride order comes out row-major.
        var index = new long[Shape.Length];
        long at = StorageOffset;
        for (long i = 0; i < values.Length; i++)
        {
            values[i] = storage[at];
            for (int d = Shape.Length - 1; d >= 0; d--)
            {
                at += stride[d];
                if (++index[d] < Shape[d]) break;
                at -= stride[d] * Shape[d];
                index[d] = 0;
            }
        }
        return values;
    }

    private static long[] ContiguousStride(long[] shape)
    {
        var stride = new long[shape.Length];
        long step = 1;
        for (int d = shape.Length - 1; d >= 0; d--) { stride[d] = step; step *= shape[d]; }
        return stride;
    }
}
