using Google.FlatBuffers;
using SignNotebooks.Util;

namespace SignNotebooks.Pose.Tflite;

/// <summary>
/// Read-only view of a TFLite model through hand-written accessors over <c>Google.FlatBuffers</c>' <c>Table</c>.
/// Field numbers follow TensorFlow Lite's public <c>schema.fbs</c> (table fields in declaration order; a union takes
/// two slots, its type then its value). Only what the converter reads is exposed.
/// </summary>
public sealed class TfliteModel
{
    public IReadOnlyList<TfliteTensor> Tensors { get; }
    public IReadOnlyList<TfliteOperator> Operators { get; }
    public int[] Inputs { get; }
    public int[] Outputs { get; }
    public string Path { get; }

    private TfliteModel(string path, IReadOnlyList<TfliteTensor> tensors, IReadOnlyList<TfliteOperator> ops, int[] inputs, int[] outputs)
    {
        Path = path; Tensors = tensors; Operators = ops; Inputs = inputs; Outputs = outputs;
    }

    public static TfliteModel Load(string path) => Parse(File.ReadAllBytes(path), path);

    public static TfliteModel Parse(byte[] bytes, string path = "<memory>")
    {
        var bb = new ByteBuffer(bytes);
        if (bytes.Length < 8 || !Table.__has_identifier(bb, "TFL3"))
            throw new UserFacingException($"{path}: not a TFLite model (no TFL3 file identifier)");
        var model = new Fb(bb.GetInt(0), bb);
        // Model: version 0, operator_codes 1, subgraphs 2, description 3, buffers 4.
        // OperatorCode: deprecated_builtin_code (byte) 0, custom_code 1, version 2, builtin_code (int) 3; the code is the larger.
        var codes = model.Tables(1).Select(c => Math.Max(c.SByte(0), c.Int(3))).ToArray();
        var customNames = model.Tables(1).Select(c => c.String(1)).ToArray();
        var buffers = model.Tables(4).Select(b => b.Bytes(0)).ToArray();
        var graphs = model.Tables(2);
        if (graphs.Count != 1) throw new UserFacingException($"{path}: {graphs.Count} subgraphs; the converter reads models with one");
        var g = graphs[0];
        // SubGraph: tensors 0, inputs 1, outputs 2, operators 3, name 4.
        var tensors = g.Tables(0).Select((t, i) => ReadTensor(t, i, buffers)).ToList();
        var ops = g.Tables(3).Select((o, i) =>
        {
            // Operator: opcode_index 0, inputs 1, outputs 2, builtin_options_type 3, builtin_options 4.
            int idx = (int)o.UInt(0);
            var op = (TfliteOp)codes[idx];
            return new TfliteOperator(i, op, op == TfliteOp.Custom ? customNames[idx] : null, o.Ints(1), o.Ints(2), o.Table(4));
        }).ToList();
        return new TfliteModel(path, tensors, ops, g.Ints(1), g.Ints(2));
    }

    private static TfliteTensor ReadTensor(Fb t, int index, byte[]?[] buffers)
    {
        // Tensor: shape 0, type 1, buffer 2, name 3, quantization 4, is_variable 5, sparsity 6, shape_signature 7.
        var data = buffers[(int)t.UInt(2)];
        var q = t.Table(4);
        float[]? scale = q?.Floats(2);
        return new TfliteTensor(index, t.String(3) ?? $"t{index}", t.Ints(0), (TfliteType)t.SByte(1),
            data is { Length: > 0 } ? data : null, scale is { Length: > 0 } ? scale : null, t.Table(6));
    }
}

/// <summary>One tensor: NHWC shape as stored, element type, constant data (null for activations).</summary>
public sealed record TfliteTensor(int Index, string Name, int[] Shape, TfliteType Type, byte[]? Data, float[]? QuantScale, Fb? Sparsity)
{
    public bool IsConstant => Data is not null;
    public long Elements => Shape.Aggregate(1L, (a, d) => a * d);
}

/// <summary>One operator with its builtin options table (null when the op has none).</summary>
public sealed record TfliteOperator(int Index, TfliteOp Op, string? CustomName, int[] Inputs, int[] Outputs, Fb? Options)
{
    public string OpName => Op == TfliteOp.Custom ? $"CUSTOM({CustomName})" : TfliteOps.Name(Op);
}

/// <summary>
/// A FlatBuffers table with field access by field number (vtable slot 4 + 2·n). Missing fields give the schema's default.
/// </summary>
public readonly struct Fb(int pos, ByteBuffer bb)
{
    private readonly Table _t = new(pos, bb);
    private int Off(int field) => _t.__offset(4 + 2 * field);

    public int Int(int field, int dflt = 0) { int o = Off(field); return o == 0 ? dflt : _t.bb.GetInt(_t.bb_pos + o); }
    public uint UInt(int field) { int o = Off(field); return o == 0 ? 0 : _t.bb.GetUint(_t.bb_pos + o); }
    public sbyte SByte(int field, sbyte dflt = 0) { int o = Off(field); return o == 0 ? dflt : _t.bb.GetSbyte(_t.bb_pos + o); }
    public bool Bool(int field) { int o = Off(field); return o != 0 && _t.bb.Get(_t.bb_pos + o) != 0; }
    public float Float(int field, float dflt = 0) { int o = Off(field); return o == 0 ? dflt : _t.bb.GetFloat(_t.bb_pos + o); }
    public string? String(int field) { int o = Off(field); return o == 0 ? null : _t.__string(_t.bb_pos + o); }

    public Fb? Table(int field)
    {
        int o = Off(field);
        return o == 0 ? null : new Fb(_t.__indirect(_t.bb_pos + o), _t.bb);
    }

    public IReadOnlyList<Fb> Tables(int field)
    {
        int o = Off(field);
        if (o == 0) return [];
        int n = _t.__vector_len(o), start = _t.__vector(o);
        var list = new Fb[n];
        for (int i = 0; i < n; i++) list[i] = new Fb(_t.__indirect(start + 4 * i), _t.bb);
        return list;
    }

    public int[] Ints(int field) => Vector(field, 4, (bb, p) => bb.GetInt(p));
    public float[] Floats(int field) => Vector(field, 4, (bb, p) => bb.GetFloat(p));
    public ushort[] UShorts(int field) => Vector(field, 2, (bb, p) => bb.GetUshort(p));
    public byte[] Bytes(int field)
    {
        int o = Off(field);
        return o == 0 ? [] : _t.__vector_as_arraysegment(o) is { } seg ? seg.ToArray() : [];
    }

    private T[] Vector<T>(int field, int size, Func<ByteBuffer, int, T> get)
    {
        int o = Off(field);
        if (o == 0) return [];
        int n = _t.__vector_len(o), start = _t.__vector(o);
        var v = new T[n];
        for (int i = 0; i < n; i++) v[i] = get(_t.bb, start + size * i);
        return v;
    }
}

public enum TfliteType : sbyte { Float32 = 0, Float16 = 1, Int32 = 2, UInt8 = 3, Int64 = 4, Int8 = 9 }
