using Google.Protobuf;
using Onnx;
using SignNotebooks.Util;
using static SignNotebooks.Pose.OnnxGraphWriter;

namespace SignNotebooks.Pose.Tflite;

/// <summary>
/// Converts a float TFLite model into an ONNX graph (opset 13) that ONNX Runtime runs. Inputs and outputs keep TFLite's
/// names and shapes (NHWC); inside, every rank-4 activation is NCHW, so convolutions and pools map 1:1, and weights are
/// permuted once (OHWI → OIHW, depthwise 1HWC → C1HW, NHWC constants → NCHW). Float16 and sparse weights are
/// expanded at conversion. Exactly the operators of <see cref="Supported"/> are converted; any other is refused by
/// its schema name.
/// </summary>
public sealed partial class TfliteToOnnx
{
    /// <summary>Bumped whenever the converter's output changes, so cached ONNX files are rebuilt.</summary>
    public const string ConverterVersion = "1";

    public static readonly IReadOnlySet<TfliteOp> Supported = new HashSet<TfliteOp>
    {
        TfliteOp.Add, TfliteOp.Sub, TfliteOp.Mul, TfliteOp.AveragePool2D, TfliteOp.MaxPool2D, TfliteOp.Concatenation,
        TfliteOp.Conv2D, TfliteOp.DepthwiseConv2D, TfliteOp.DepthToSpace, TfliteOp.Dequantize, TfliteOp.Densify,
        TfliteOp.FullyConnected, TfliteOp.Logistic, TfliteOp.Relu, TfliteOp.Relu6, TfliteOp.Reshape,
        TfliteOp.ResizeBilinear, TfliteOp.Pad, TfliteOp.Mean, TfliteOp.StridedSlice, TfliteOp.Prelu,
    };

    private readonly TfliteModel _m;
    private readonly OnnxGraphWriter _g;
    private readonly Dictionary<int, ConstValue> _const = new();
    private readonly Dictionary<int, string> _onnx = new();
    private readonly string _file;

    private TfliteToOnnx(TfliteModel m)
    {
        _m = m;
        _file = Path.GetFileName(m.Path);
        _g = new OnnxGraphWriter(Path.GetFileNameWithoutExtension(m.Path));
    }

    /// <summary>Converts the model; throws a <see cref="UserFacingException"/> naming every unsupported operator.</summary>
    public static ModelProto Convert(TfliteModel m)
    {
        var unsupported = m.Operators.Where(o => !Supported.Contains(o.Op)).Select(o => o.OpName).Distinct().ToList();
        if (unsupported.Count > 0)
            throw new UserFacingException($"{m.Path}: operator{(unsupported.Count > 1 ? "s" : "")} {string.Join(", ", unsupported)} not supported by the TFLite → ONNX converter " +
                                          $"(it covers {string.Join(", ", Supported.Select(TfliteOps.Name).Order())}). Fix: use a model built from these operators.");
        return new TfliteToOnnx(m).Run();
    }

    /// <summary>Converts <paramref name="tflite"/> and writes the ONNX file.</summary>
    public static void ConvertFile(string tflite, string onnx)
    {
        var model = Convert(TfliteModel.Load(tflite));
        var tmp = onnx + ".tmp";
        using (var f = File.Create(tmp)) model.WriteTo(f);
        File.Move(tmp, onnx, overwrite: true);
    }

    private ModelProto Run()
    {
        foreach (var t in _m.Tensors.Where(t => t.IsConstant)) _const[t.Index] = TfliteConstants.Read(t, _file);
        foreach (var i in _m.Inputs)
        {
            var t = _m.Tensors[i];
            if (t.Type != TfliteType.Float32) throw new UserFacingException($"{_file}: input '{t.Name}' is {t.Type}; only float32 inputs are converted");
            _g.Input(t.Name, Dims(t.Shape));
            _onnx[i] = t.Shape.Length == 4 ? _g.Op("Transpose", [t.Name], null, Attr("perm", 0, 3, 1, 2)) : t.Name;   // NHWC -> NCHW
        }
        foreach (var op in _m.Operators) Emit(op);
        foreach (var o in _m.Outputs)
        {
            var t = _m.Tensors[o];
            if (t.Shape.Length == 4) _g.Op("Transpose", [Value(o)], t.Name, Attr("perm", 0, 2, 3, 1));   // NCHW -> NHWC
            else _g.Op("Identity", [Value(o)], t.Name);
            _g.Output(t.Name, Dims(t.Shape));
        }
        return _g.Model("signnb tflite-to-onnx", new Dictionary<string, string>
        {
            ["signnb.converter"] = ConverterVersion,
            ["signnb.source"] = _file,
        });
    }

    private void Emit(TfliteOperator op)
    {
        var outT = _m.Tensors[op.Outputs[0]];
        string Out() => _onnx[op.Outputs[0]] = $"tfl.t{op.Outputs[0]}";
        switch (op.Op)
        {
            case TfliteOp.Dequantize:
            case TfliteOp.Densify:
                _const[op.Outputs[0]] = Fold(op);
                return;
            case TfliteOp.Conv2D: Conv(op, depthwise: false); return;
            case TfliteOp.DepthwiseConv2D: Conv(op, depthwise: true); return;
            case TfliteOp.Add: Binary(op, "Add"); return;
            case TfliteOp.Sub: Binary(op, "Sub"); return;
            case TfliteOp.Mul: Binary(op, "Mul"); return;
            case TfliteOp.Relu: _g.Op("Relu", [Value(op.Inputs[0])], Out()); return;
            case TfliteOp.Relu6: Clip(Value(op.Inputs[0]), 0, 6, Out()); return;
            case TfliteOp.Logistic: _g.Op("Sigmoid", [Value(op.Inputs[0])], Out()); return;
            case TfliteOp.Prelu: _g.Op("PRelu", [Value(op.Inputs[0]), Broadcastable(op.Inputs[1], outT.Shape.Length)], Out()); return;
            case TfliteOp.MaxPool2D: Pool(op, "MaxPool"); return;
            case TfliteOp.AveragePool2D: Pool(op, "AveragePool"); return;
            case TfliteOp.Pad: Pad(op); return;
            case TfliteOp.Reshape: Reshape(Value(op.Inputs[0]), _m.Tensors[op.Inputs[0]].Shape, outT.Shape, Out()); return;
            case TfliteOp.Concatenation: Concat(op); return;
            case TfliteOp.FullyConnected: FullyConnected(op); return;
            case TfliteOp.Mean: Mean(op); return;
            case TfliteOp.ResizeBilinear: Resize(op); return;
            case TfliteOp.DepthToSpace:
                // TFLite's NHWC depth_to_space reads channel (i·b + j)·C' + c: ONNX's DCR mode on NCHW.
                _g.Op("DepthToSpace", [Value(op.Inputs[0])], Out(), Attr("blocksize", (long)op.Options!.Value.Int(0)), Attr("mode", "DCR"));
                return;
            case TfliteOp.StridedSlice: StridedSlice(op); return;
            default: throw new UserFacingException($"{_file}: operator {op.OpName} not supported");
        }
    }

    private ConstValue Fold(TfliteOperator op)
    {
        var src = _const.TryGetValue(op.Inputs[0], out var c) ? c
            : throw new UserFacingException($"{_file}: {op.OpName} #{op.Index} reads a non-constant tensor; only weight dequantisation/densification is converted");
        return src with { Shape = _m.Tensors[op.Outputs[0]].Shape };
    }

    /// <summary>The ONNX name of a tensor; constants become initializers (rank 4 permuted to NCHW) on first use.</summary>
    private string Value(int index)
    {
        if (_onnx.TryGetValue(index, out var n)) return n;
        if (!_const.TryGetValue(index, out var c))
            throw new UserFacingException($"{_file}: tensor {index} '{_m.Tensors[index].Name}' is used before any operator writes it");
        var shape = c.Shape;
        var name = $"tfl.c{index}";
        if (c.F is null) _g.Int64s(name, c.I!.Select(v => (long)v).ToArray());
        else if (shape.Length == 4) _g.Constant(name, Dims([shape[0], shape[3], shape[1], shape[2]]), Nchw(c.F, shape));
        else _g.Constant(name, Dims(shape), c.F);
        return _onnx[index] = name;
    }

    /// <summary>
    /// A constant operand of a broadcasting op next to a rank-<paramref name="rank"/> activation: NumPy broadcasting
    /// aligns on the right in NHWC, so left-pad its shape with 1s to the rank, then permute like the activation.
    /// </summary>
    private string Broadcastable(int index, int rank)
    {
        if (!_const.TryGetValue(index, out var c) || rank != 4 || c.Shape.Length == 4) return Value(index);
        var s = Enumerable.Repeat(1, 4 - c.Shape.Length).Concat(c.Shape).ToArray();
        var name = $"tfl.c{index}_r4";
        _g.Constant(name, Dims([s[0], s[3], s[1], s[2]]), Nchw(c.Floats($"{_file}: tensor {index}"), s));
        return name;
    }

    private string Binary(TfliteOperator op, string onnxOp)
    {
        int rank = _m.Tensors[op.Outputs[0]].Shape.Length;
        var y = _g.Op(onnxOp, [Broadcastable(op.Inputs[0], rank), Broadcastable(op.Inputs[1], rank)]);
        return Activation(y, op.Options?.SByte(0) ?? 0, op);   // Add/Sub/MulOptions: fused_activation_function 0
    }

    /// <summary>Applies a fused activation (schema ActivationFunctionType) and names the result as the op's output.</summary>
    private string Activation(string y, int fused, TfliteOperator op)
    {
        var output = _onnx[op.Outputs[0]] = $"tfl.t{op.Outputs[0]}";
        return fused switch
        {
            0 => _g.Op("Identity", [y], output),
            1 => _g.Op("Relu", [y], output),
            2 => Clip(y, -1, 1, output),
            3 => Clip(y, 0, 6, output),
            4 => _g.Op("Tanh", [y], output),
            _ => throw new UserFacingException($"{_file}: {op.OpName} #{op.Index} has fused activation {fused}, which is not supported"),
        };
    }

    private string Clip(string x, float lo, float hi, string output)
    {
        var id = _g.Graph.Node.Count;
        var min = _g.Constant($"tfl.clip{id}.min", [], [lo]);
        var max = _g.Constant($"tfl.clip{id}.max", [], [hi]);
        return _g.Op("Clip", [x, min, max], output);
    }

    private static long[] Dims(int[] shape) => shape.Select(d => (long)d).ToArray();

    /// <summary>NHWC-ordered values of shape (a, b, c, d) → (a, d, b, c).</summary>
    internal static float[] Nchw(float[] v, int[] s) => Permute(v, s, [0, 3, 1, 2]);

    /// <summary>Transposes row-major values of shape <paramref name="s"/>: output dim i is input dim perm[i].</summary>
    internal static float[] Permute(float[] v, int[] s, int[] perm)
    {
        int r = s.Length;
        var outShape = perm.Select(p => s[p]).ToArray();
        var inStride = new long[r];
        inStride[r - 1] = 1;
        for (int i = r - 2; i >= 0; i--) inStride[i] = inStride[i + 1] * s[i + 1];
        var res = new float[v.Length];
        var idx = new int[r];
        for (long o = 0; o < res.Length; o++)
        {
            long src = 0;
            for (int i = 0; i < r; i++) src += idx[i] * inStride[perm[i]];
            res[o] = v[src];
            for (int i = r - 1; i >= 0; i--) { if (++idx[i] < outShape[i]) break; idx[i] = 0; }
        }
        return res;
    }
}
