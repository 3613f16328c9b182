using SignNotebooks.Util;

namespace SignNotebooks.Corpora;

/// <summary>
/// A numpy dtype as pickled by <c>numpy.dtype(str, align, copy)</c> plus its <c>__setstate__</c> tuple. Only plain
/// numeric scalars are accepted: object and structured dtypes would carry further pickled objects.
/// </summary>
public sealed class NumpyDtype
{
    /// <summary>Kind and size as numpy spells them, e.g. "f4", "i8", "u1", "b1".</summary>
    public string Code { get; }
    /// <summary>'&lt;' little endian, '&gt;' big endian, '|' not applicable (1 byte).</summary>
    public char ByteOrder { get; private set; } = '<';
    public int ItemSize => Code == "b1" ? 1 : int.Parse(Code[1..]);

    private static readonly HashSet<string> Numeric = ["b1", "i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8", "f2", "f4", "f8"];

    public NumpyDtype(string code)
    {
        if (!Numeric.Contains(code))
            throw new UserFacingException($"numpy dtype '{code}' is not a plain number type; only {string.Join(", ", Numeric)} are read. " +
                                          "Fix: convert the array with .astype(numpy.float32) before pickling.");
        Code = code;
    }

    /// <summary>Called by the unpickler's BUILD: (version, byteorder, subarray, names, fields, elsize, alignment, flags).</summary>
    public void __setstate__(object[] state)
    {
        if (state.Length < 2 || state[1] is not string order || order.Length != 1)
            throw new UserFacingException($"numpy dtype {Code}: unexpected pickled state. Fix: re-save the array with numpy ≥ 1.16.");
        if (state.Length > 3 && (state[2] is not null || state[3] is not null))
            throw new UserFacingException($"numpy dtype {Code}: structured or sub-array dtypes are not read. Fix: save plain numeric arrays.");
        ByteOrder = order[0] == '=' ? '<' : order[0];
    }

    public override string ToString() => (ByteOrder == '|' ? "" : ByteOrder.ToString()) + Code;
}
