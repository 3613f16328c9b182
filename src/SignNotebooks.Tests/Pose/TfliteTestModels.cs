using Google.FlatBuffers;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Google.Protobuf;
using SignNotebooks.Pose.Tflite;

namespace SignNotebooks.Tests.Pose;

/// <summary>
/// Writes small TFLite models with <see cref="FlatBufferBuilder"/> (field numbers from TFLite's schema.fbs), so each
/// converter test runs one operator through the real path: TFLite bytes → <see cref="TfliteModel"/> →
/// <see cref="TfliteToOnnx"/> → ONNX Runtime.
/// </summary>
internal sealed class TfliteTestModel
{
    private sealed record T(string Name, int[] Shape, TfliteType Type, byte[]? Data, Func<FlatBufferBuilder, int>? Sparsity);
    private sealed record O(TfliteOp Code, int[] Ins, int[] Outs, byte OptionsType, (int Field, object Value)[] Options);
    private readonly List<T> _tensors = [];
    private readonly List<O> _ops = [];

    public int Tensor(int[] shape, string? name = null) => Add(new T(name ?? $"t{_tensors.Count}", shape, TfliteType.Float32, null, null));
    public int Floats(int[] shape, float[] v) => Add(new T($"c{_tensors.Count}", shape, TfliteType.Float32, Bytes(v), null));
    public int Halves(int[] shape, float[] v) => Add(new T($"h{_tensors.Count}", shape, TfliteType.Float16, v.Select(x => (Half)x).SelectMany(h => BitConverter.GetBytes(h)).ToArray(), null));
    public int Ints(int[] shape, int[] v) => Add(new T($"i{_tensors.Count}", shape, TfliteType.Int32, v.SelectMany(BitConverter.GetBytes).ToArray(), null));

    /// <summary>A sparse float32 constant: dimension 0 dense, dimension 1 CSR (row segments, column indices).</summary>
    public int SparseCsr(int[] shape, float[] values, int[] segments, int[] columns) =>
        Add(new T($"s{_tensors.Count}", shape, TfliteType.Float32, Bytes(values), b =>
        {
            int Level(bool dense, int size, int[]? seg, int[]? idx)
            {
                int segOff = 0, idxOff = 0;
                if (!dense) { segOff = IntTable(b, seg!); idxOff = IntTable(b, idx!); }
                b.StartTable(6);
                b.AddSbyte(0, (sbyte)(dense ? 0 : 1), 0); b.AddInt(1, size, 0);
                if (!dense) { b.AddByte(2, 1, 0); b.AddOffset(3, segOff, 0); b.AddByte(4, 1, 0); b.AddOffset(5, idxOff, 0); }
                return b.EndTable();
            }
            var l0 = Level(true, shape[0], null, null);
            var l1 = Level(false, 0, segments, columns);
            var order = IntVector(b, [0, 1]);
            var levels = OffsetVector(b, [l0, l1]);
            b.StartTable(3); b.AddOffset(0, order, 0); b.AddOffset(2, levels, 0);
            return b.EndTable();
        }));

    public void Op(TfliteOp code, int[] ins, int[] outs, byte optionsType = 0, params (int Field, object Value)[] options) =>
        _ops.Add(new O(code, ins, outs, optionsType, options));

    private int Add(T t) { _tensors.Add(t); return _tensors.Count - 1; }
    private static byte[] Bytes(float[] v) => v.SelectMany(BitConverter.GetBytes).ToArray();

    public byte[] Build(int[] inputs, int[] outputs)
    {
        var b = new FlatBufferBuilder(1024) { ForceDefaults = true };
        // Buffers: 0 is the empty buffer by convention; each constant gets its own.
        var bufferOffsets = new List<int> { EmptyTable(b) };
        var tensorBuffer = new int[_tensors.Count];
        for (int i = 0; i < _tensors.Count; i++)
        {
            if (_tensors[i].Data is null) continue;
            var bytes = _tensors[i].Data!;
            b.StartVector(1, bytes.Length, 16);
            for (int k = bytes.Length - 1; k >= 0; k--) b.AddByte(bytes[k]);
            var data = b.EndVector().Value;
            b.StartTable(3); b.AddOffset(0, data, 0);
            bufferOffsets.Add(b.EndTable());
            tensorBuffer[i] = bufferOffsets.Count - 1;
        }
        var tensorOffsets = _tensors.Select((t, i) =>
        {
            var shape = IntVector(b, t.Shape);
            var name = b.CreateString(t.Name);
            int sparsity = t.Sparsity?.Invoke(b) ?? 0;
            b.StartTable(8);
            b.AddOffset(0, shape, 0); b.AddSbyte(1, (sbyte)t.Type, 0); b.AddUint(2, (uint)tensorBuffer[i], 0); b.AddOffset(3, name.Value, 0);
            if (sparsity != 0) b.AddOffset(6, sparsity, 0);
            return b.EndTable();
        }).ToArray();
        var codes = _ops.Select(o => o.Code).Distinct().ToList();
        var opOffsets = _ops.Select(o =>
        {
            var ins = IntVector(b, o.Ins);
            var outs = IntVector(b, o.Outs);
            int opts = o.Options.Length == 0 && o.OptionsType == 0 ? 0 : OptionsTable(b, o.Options);
            b.StartTable(5);
            b.AddUint(0, (uint)codes.IndexOf(o.Code), 0); b.AddOffset(1, ins, 0); b.AddOffset(2, outs, 0);
            if (opts != 0) { b.AddByte(3, o.OptionsType, 0); b.AddOffset(4, opts, 0); }
            return b.EndTable();
        }).ToArray();
        var subgraph = Table(b, (0, OffsetVector(b, tensorOffsets)), (1, IntVector(b, inputs)), (2, IntVector(b, outputs)), (3, OffsetVector(b, opOffsets)));
        var codeOffsets = codes.Select(c =>
        {
            b.StartTable(4);
            b.AddSbyte(0, (sbyte)Math.Min((int)c, 127), 0); b.AddInt(2, 1, 1); b.AddInt(3, (int)c, 0);
            return b.EndTable();
        }).ToArray();
        var codesVec = OffsetVector(b, codeOffsets);
        var graphs = OffsetVector(b, [subgraph]);
        var buffers = OffsetVector(b, bufferOffsets.ToArray());
        b.StartTable(5);
        b.AddUint(0, 3, 0); b.AddOffset(1, codesVec, 0); b.AddOffset(2, graphs, 0); b.AddOffset(4, buffers, 0);
        b.Finish(b.EndTable(), "TFL3");
        return b.SizedByteArray();
    }

    /// <summary>Converts the built model and runs it in ONNX Runtime on NHWC inputs; returns the outputs in TFLite layout.</summary>
    public float[][] Run(int[] inputs, int[] outputs, params float[][] feeds)
    {
        var onnx = TfliteToOnnx.Convert(TfliteModel.Parse(Build(inputs, outputs), "test.tflite"));
        using var s = new InferenceSession(onnx.ToByteArray());
        var values = inputs.Select((t, i) => NamedOnnxValue.CreateFromTensor(_tensors[t].Name, new DenseTensor<float>(feeds[i], _tensors[t].Shape))).ToList();
        using var r = s.Run(values);
        return outputs.Select(o => r.First(x => x.Name == _tensors[o].Name).AsTensor<float>().ToArray()).ToArray();
    }

    private static int OptionsTable(FlatBufferBuilder b, (int Field, object Value)[] fields)
    {
        int vec = 0;
        foreach (var (f, v) in fields) if (v is int[] iv) vec = IntVector(b, iv);
        b.StartTable(fields.Length == 0 ? 1 : fields.Max(f => f.Field) + 1);
        foreach (var (f, v) in fields)
            switch (v)
            {
                case int i: b.AddInt(f, i, 0); break;
                case sbyte s: b.AddSbyte(f, s, 0); break;
                case bool x: b.AddBool(f, x, false); break;
                case float x: b.AddFloat(f, x, 0); break;
                case int[]: b.AddOffset(f, vec, 0); break;
                default: throw new ArgumentException($"option type {v.GetType()}");
            }
        return b.EndTable();
    }

    private static int EmptyTable(FlatBufferBuilder b) { b.StartTable(0); return b.EndTable(); }

    private static int Table(FlatBufferBuilder b, params (int Field, int Offset)[] fields)
    {
        b.StartTable(fields.Max(f => f.Field) + 1);
        foreach (var (f, o) in fields) b.AddOffset(f, o, 0);
        return b.EndTable();
    }

    private static int IntTable(FlatBufferBuilder b, int[] v)
    {
        var vec = IntVector(b, v);
        b.StartTable(1); b.AddOffset(0, vec, 0);
        return b.EndTable();
    }

    private static int IntVector(FlatBufferBuilder b, int[] v)
    {
        b.StartVector(4, v.Length, 4);
        for (int i = v.Length - 1; i >= 0; i--) b.AddInt(v[i]);
        return b.EndVector().Value;
    }

    private static int OffsetVector(FlatBufferBuilder b, int[] offsets)
    {
        b.StartVector(4, offsets.Length, 4);
        for (int i = offsets.Length - 1; i >= 0; i--) b.AddOffset(offsets[i]);
        return b.EndVector().Value;
    }
}
