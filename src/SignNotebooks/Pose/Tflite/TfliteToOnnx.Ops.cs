using SignNotebooks.Util;
using static SignNotebooks.Pose.OnnxGraphWriter;

namespace SignNotebooks.Pose.Tflite;

/// <summary>The operators with layout or padding arithmetic: convolutions, pools, pads, reshapes and slices.</summary>
public sealed partial class TfliteToOnnx
{
    /// <summary>NHWC axis → NCHW axis.</summary>
    private static readonly int[] AxisToNchw = [0, 2, 3, 1];

    /// <summary>TFLite SAME padding: output ⌈in/stride⌉, the odd pixel of the total padding goes after.</summary>
    internal static (int Before, int After) SamePadding(int input, int kernel, int stride, int dilation)
    {
        int output = (input + stride - 1) / stride;
        int total = Math.Max((output - 1) * stride + (kernel - 1) * dilation + 1 - input, 0);
        return (total / 2, total - total / 2);
    }

    private long[] Pads(TfliteOperator op, bool same, int kh, int kw, int sh, int sw, int dh, int dw)
    {
        var s = _m.Tensors[op.Inputs[0]].Shape;   // NHWC
        if (!same) return [0, 0, 0, 0];
        var (t, b) = SamePadding(s[1], kh, sh, dh);
        var (l, r) = SamePadding(s[2], kw, sw, dw);
        return [t, l, b, r];
    }

    private void Conv(TfliteOperator op, bool depthwise)
    {
        var o = op.Options!.Value;
        // Conv2DOptions: padding 0, stride_w 1, stride_h 2, fused 3, dilation_w 4, dilation_h 5.
        // DepthwiseConv2DOptions: padding 0, stride_w 1, stride_h 2, depth_multiplier 3, fused 4, dilation_w 5, dilation_h 6.
        int fused = o.SByte(depthwise ? 4 : 3);
        int dw = o.Int(depthwise ? 5 : 4, 1), dh = o.Int(depthwise ? 6 : 5, 1);
        int sw = o.Int(1), sh = o.Int(2);
        var w = _const.TryGetValue(op.Inputs[1], out var wc) ? wc
            : throw new UserFacingException($"{_file}: {op.OpName} #{op.Index} has non-constant weights");
        var ws = w.Shape;   // conv: (O, KH, KW, I); depthwise: (1, KH, KW, C·M)
        int cin = _m.Tensors[op.Inputs[0]].Shape[3], cout = depthwise ? ws[3] : ws[0];
        var wv = w.Floats($"{_file}: {op.OpName} #{op.Index} weights");
        var wName = $"tfl.w{op.Index}";
        if (depthwise) _g.Constant(wName, [cout, 1, ws[1], ws[2]], Permute(wv, ws, [3, 0, 1, 2]));
        else _g.Constant(wName, [cout, ws[3], ws[1], ws[2]], Nchw(wv, ws));
        var bias = op.Inputs.Length > 2 && op.Inputs[2] >= 0 ? _const[op.Inputs[2]].Floats($"{_file}: bias") : new float[cout];
        var bName = _g.Constant($"tfl.b{op.Index}", [cout], bias);
        var y = _g.Op("Conv", [Value(op.Inputs[0]), wName, bName], null,
            Attr("kernel_shape", ws[1], ws[2]), Attr("strides", sh, sw), Attr("dilations", dh, dw),
            Attr("pads", Pads(op, o.SByte(0) == 0, ws[1], ws[2], sh, sw, dh, dw)), Attr("group", depthwise ? (long)cin : 1L));
        Activation(y, fused, op);
    }

    private void Pool(TfliteOperator op, string onnxOp)
    {
        // Pool2DOptions: padding 0, stride_w 1, stride_h 2, filter_width 3, filter_height 4, fused 5.
        var o = op.Options!.Value;
        int sw = o.Int(1), sh = o.Int(2), kw = o.Int(3), kh = o.Int(4);
        var attrs = new List<Onnx.AttributeProto>
        {
            Attr("kernel_shape", kh, kw), Attr("strides", sh, sw), Attr("pads", Pads(op, o.SByte(0) == 0, kh, kw, sh, sw, 1, 1)),
        };
        // TFLite's average pool divides by the number of in-image pixels: ONNX's count_include_pad = 0 (its default).
        var y = _g.Op(onnxOp, [Value(op.Inputs[0])], null, [.. attrs]);
        Activation(y, o.SByte(5), op);
    }

    private void Pad(TfliteOperator op)
    {
        var p = _const[op.Inputs[1]].Ints($"{_file}: PAD #{op.Index} paddings");   // (rank, 2) in NHWC order
        int r = p.Length / 2;
        var pads = new long[2 * r];
        for (int i = 0; i < r; i++)
        {
            int a = r == 4 ? AxisToNchw[i] : i;
            pads[a] = p[2 * i];
            pads[r + a] = p[2 * i + 1];
        }
        _g.Op("Pad", [Value(op.Inputs[0]), _g.Int64s($"tfl.pads{op.Index}", pads)], _onnx[op.Outputs[0]] = $"tfl.t{op.Outputs[0]}");
    }

    /// <summary>Reshape in NHWC order: a rank-4 input goes back to NHWC first, a rank-4 result to NCHW after.</summary>
    private string Reshape(string x, int[] inShape, int[] outShape, string output)
    {
        if (inShape.Length == 4 && outShape.Length == 4 && inShape.SequenceEqual(outShape)) return _g.Op("Identity", [x], output);
        if (inShape.Length == 4) x = _g.Op("Transpose", [x], null, Attr("perm", 0, 2, 3, 1));
        var shapeName = _g.Int64s($"tfl.shape{_g.Graph.Node.Count}", Dims(outShape));
        if (outShape.Length != 4) return _g.Op("Reshape", [x, shapeName], output);
        var y = _g.Op("Reshape", [x, shapeName]);
        return _g.Op("Transpose", [y], output, Attr("perm", 0, 3, 1, 2));
    }

    private void Concat(TfliteOperator op)
    {
        // ConcatenationOptions: axis 0, fused 1.
        var o = op.Options!.Value;
        int rank = _m.Tensors[op.Outputs[0]].Shape.Length, axis = o.Int(0);
        if (axis < 0) axis += rank;
        var y = _g.Op("Concat", op.Inputs.Select(Value).ToArray(), null, Attr("axis", (long)(rank == 4 ? AxisToNchw[axis] : axis)));
        Activation(y, o.SByte(1), op);
    }

    private void FullyConnected(TfliteOperator op)
    {
        // FullyConnectedOptions: fused 0, weights_format 1, keep_num_dims 2.
        var o = op.Options!.Value;
        if (o.SByte(1) != 0) throw new UserFacingException($"{_file}: FULLY_CONNECTED #{op.Index} uses shuffled weights, which are not supported");
        var inShape = _m.Tensors[op.Inputs[0]].Shape;
        var w = _const[op.Inputs[1]];   // (O, I)
        int outF = w.Shape[0], inF = w.Shape[1];
        var x = Value(op.Inputs[0]);
        if (inShape.Length == 4) x = _g.Op("Transpose", [x], null, Attr("perm", 0, 2, 3, 1));   // flatten in NHWC order
        x = _g.Op("Reshape", [x, _g.Int64s($"tfl.fc{op.Index}.shape", -1, inF)]);
        var bias = op.Inputs.Length > 2 && op.Inputs[2] >= 0 ? _const[op.Inputs[2]].Floats($"{_file}: bias") : new float[outF];
        var y = _g.Op("Gemm", [x, _g.Constant($"tfl.w{op.Index}", [outF, inF], w.Floats($"{_file}: FC weights")), _g.Constant($"tfl.b{op.Index}", [outF], bias)],
            null, Attr("transB", 1L));
        var outShape = _m.Tensors[op.Outputs[0]].Shape;
        if (outShape.Length != 2) y = _g.Op("Reshape", [y, _g.Int64s($"tfl.fc{op.Index}.out", Dims(outShape))]);
        Activation(y, o.SByte(0), op);
    }

    private void Mean(TfliteOperator op)
    {
        var inShape = _m.Tensors[op.Inputs[0]].Shape;
        var axes = _const[op.Inputs[1]].Ints($"{_file}: MEAN axes").Select(a => a < 0 ? a + inShape.Length : a).ToArray();
        var y = _g.Op("ReduceMean", [Value(op.Inputs[0])], null,
            Attr("axes", axes.Select(a => (long)(inShape.Length == 4 ? AxisToNchw[a] : a)).ToArray()), Attr("keepdims", 1L));
        var kept = inShape.Select((d, i) => axes.Contains(i) ? 1 : d).ToArray();   // NHWC shape with reduced dims at 1
        Reshape(y, kept, _m.Tensors[op.Outputs[0]].Shape, _onnx[op.Outputs[0]] = $"tfl.t{op.Outputs[0]}");
    }

    private void Resize(TfliteOperator op)
    {
        // ResizeBilinearOptions: new_height 0, new_width 1 (deprecated), align_corners 2, half_pixel_centers 3.
        var o = op.Options;
        bool align = o?.Bool(2) ?? false, half = o?.Bool(3) ?? false;
        var size = _const[op.Inputs[1]].Ints($"{_file}: RESIZE_BILINEAR size");
        var s = _m.Tensors[op.Inputs[0]].Shape;
        var sizes = _g.Int64s($"tfl.resize{op.Index}.sizes", s[0], s[3], size[0], size[1]);
        _g.Op("Resize", [Value(op.Inputs[0]), "", "", sizes], _onnx[op.Outputs[0]] = $"tfl.t{op.Outputs[0]}",
            Attr("mode", "linear"), Attr("coordinate_transformation_mode", align ? "align_corners" : half ? "half_pixel" : "asymmetric"));
    }

    private void StridedSlice(TfliteOperator op)
    {
        // StridedSliceOptions: begin_mask 0, end_mask 1, ellipsis_mask 2, new_axis_mask 3, shrink_axis_mask 4, offset 5.
        var o = op.Options!.Value;
        if (o.Int(2) != 0 || o.Int(3) != 0 || o.Bool(5))
            throw new UserFacingException($"{_file}: STRIDED_SLICE #{op.Index} uses ellipsis, new-axis or offset masks, which are not supported");
        int beginMask = o.Int(0), endMask = o.Int(1), shrink = o.Int(4);
        var inShape = _m.Tensors[op.Inputs[0]].Shape;
        int r = inShape.Length;
        var begin = _const[op.Inputs[1]].Ints("begin");
        var end = _const[op.Inputs[2]].Ints("end");
        var strides = _const[op.Inputs[3]].Ints("strides");
        var starts = new long[r]; var ends = new long[r]; var steps = new long[r]; var axes = new long[r];
        var sliced = new int[r];
        for (int i = 0; i < r; i++)
        {
            int d = inShape[i], st = strides[i];
            long b = (beginMask >> i & 1) != 0 ? (st > 0 ? 0 : d - 1) : (begin[i] < 0 ? begin[i] + d : begin[i]);
            long e = (endMask >> i & 1) != 0 ? (st > 0 ? d : -1) : (end[i] < 0 ? end[i] + d : end[i]);
            if ((shrink >> i & 1) != 0) { e = b + 1; st = 1; }
            b = Math.Clamp(b, st > 0 ? 0 : -1, st > 0 ? d : d - 1);
            e = Math.Clamp(e, st > 0 ? 0 : -1, st > 0 ? d : d - 1);
            sliced[i] = (int)Math.Max(0, st > 0 ? (e - b + st - 1) / st : (b - e - st - 1) / -st);
            // ONNX reads a negative end as counted from the back: the "before index 0" end of a reverse slice is long.MinValue.
            starts[i] = b; ends[i] = e < 0 ? long.MinValue : e; steps[i] = st; axes[i] = r == 4 ? AxisToNchw[i] : i;
        }
        var y = _g.Op("Slice", [Value(op.Inputs[0]), _g.Int64s($"tfl.ss{op.Index}.starts", starts), _g.Int64s($"tfl.ss{op.Index}.ends", ends),
            _g.Int64s($"tfl.ss{op.Index}.axes", axes), _g.Int64s($"tfl.ss{op.Index}.steps", steps)]);
        Reshape(y, sliced, _m.Tensors[op.Outputs[0]].Shape, _onnx[op.Outputs[0]] = $"tfl.t{op.Outputs[0]}");
    }
}
