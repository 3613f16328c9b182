using System.Buffers.Binary;
using SignNotebooks.Util;

namespace SignNotebooks.Corpora;

/// <summary>
/// A numpy array read from a pickle: shape, dtype and the raw C-order bytes, converted only when asked so a
/// multi-gigabyte keypoint file is not held twice in memory.
/// </summary>
public sealed class NumpyArray
{
    public long[] Shape { get; private set; } = [];
    public NumpyDtype Dtype { get; private set; } = new("f8");
    public byte[] Data { get; private set; } = [];
    public long Length => Shape.Aggregate(1L, (a, b) => a * b);

    public NumpyArray() { }

    public NumpyArray(long[] shape, NumpyDtype dtype, byte[] data, bool fortranOrder)
    {
        Set(shape, dtype, data, fortranOrder);
    }

    /// <summary>Called by the unpickler's BUILD after <c>_reconstruct</c>: (version, shape, dtype, is_fortran, raw bytes).</summary>
    public void __setstate__(object[] state)
    {
        int o = state.Length == 5 ? 1 : 0;   // numpy writes a version number first since 1.0; very old pickles do not
        if (state.Length - o != 4 || state[o] is not object[] shape || state[o + 1] is not NumpyDtype dtype)
            throw new UserFacingException("numpy array: unexpected pickled state. Fix: re-save the array with numpy ≥ 1.16.");
        byte[] data = state[o + 3] switch
        {
            byte[] b => b,
            string s => s.Select(c => (byte)c).ToArray(),   // protocol 0–2 from Python 2: latin-1 str
            _ => throw new UserFacingException("numpy array: holds Python objects (dtype=object), which are not read. " +
                                               "Fix: save numeric arrays only, e.g. .astype(numpy.float32)."),
        };
        Set(shape.Select(Convert.ToInt64).ToArray(), dtype, data, state[o + 2] is true);
    }

    private void Set(long[] shape, NumpyDtype dtype, byte[] data, bool fortranOrder)
    {
        if (fortranOrder && shape.Length > 1)
            throw new UserFacingException("numpy array: Fortran-ordered arrays are not read. Fix: save numpy.ascontiguousarray(a).");
        if (dtype.ByteOrder == '>')
            throw new UserFacingException($"numpy array: big-endian dtype {dtype}. Fix: save a.astype('<{dtype.Code}').");
        Shape = shape; Dtype = dtype; Data = data;
        if (Length * dtype.ItemSize != data.Length)
            throw new UserFacingException($"numpy array: shape ({string.Join(", ", shape)}) of {dtype} needs {Length * dtype.ItemSize} bytes but {data.Length} are stored. Fix: the file is damaged; re-create it.");
    }

    /// <summary>The values as float32 (converted from any numeric dtype), C order.</summary>
    public float[] ToFloat32()
    {
        var r = new float[Length];
        var d = Data.AsSpan();
        int w = Dtype.ItemSize;
        for (int i = 0; i < r.Length; i++)
        {
            var x = d.Slice(i * w, w);
            r[i] = Dtype.Code switch
            {
                "f4" => BinaryPrimitives.ReadSingleLittleEndian(x),
                "f8" => (float)BinaryPrimitives.ReadDoubleLittleEndian(x),
                "f2" => (float)BinaryPrimitives.ReadHalfLittleEndian(x),
                "i1" => (sbyte)x[0],
                "u1" or "b1" => x[0],
                "i2" => BinaryPrimitives.ReadInt16LittleEndian(x),
                "u2" => BinaryPrimitives.ReadUInt16LittleEndian(x),
                "i4" => BinaryPrimitives.ReadInt32LittleEndian(x),
                "u4" => BinaryPrimitives.ReadUInt32LittleEndian(x),
                "i8" => BinaryPrimitives.ReadInt64LittleEndian(x),
                _ => BinaryPrimitives.ReadUInt64LittleEndian(x),
            };
        }
        return r;
    }

    /// <summary>A 0-d array or numpy scalar as a double or long, the way Python code would use it.</summary>
    public object ToScalar()
    {
        if (Length != 1) throw new InvalidOperationException($"array of shape ({string.Join(", ", Shape)}) is not a scalar");
        if (Dtype.Code[0] == 'f') return (double)ToFloat32()[0];   // the branches must not share one numeric type
        return Dtype.Code switch
        {
            "i8" => BinaryPrimitives.ReadInt64LittleEndian(Data),
            "u8" => (long)BinaryPrimitives.ReadUInt64LittleEndian(Data),
            _ => (long)ToFloat32()[0],
        };
    }

    public string ShapeText => "(" + string.Join(", ", Shape) + (Shape.Length == 1 ? ",)" : ")");
}
