using Google.Protobuf;
using Onnx;

namespace SignNotebooks.Pose;

/// <summary>
/// Builds a small ONNX graph (opset 13) of convolutions, ReLUs, adds and resizes with OnnxSharp's protobuf types, so
/// pose models can be written without Python: the random-weight timing graph (<see cref="PoseBenchGraph"/>) and the
/// trained SynthSign model (<see cref="SynthPoseExport"/>). Counts parameters and multiply-adds as it goes. The
/// generic helpers (<see cref="Op"/>, <see cref="Constant"/>, <see cref="Int64s"/>) serve the TFLite converter
/// (<see cref="Tflite.TfliteToOnnx"/>).
/// </summary>
internal sealed class OnnxGraphWriter(string graphName)
{
    public GraphProto Graph { get; } = new() { Name = graphName };
    public long Parameters { get; private set; }
    public double MultiplyAdds { get; private set; }
    private int _n;

    /// <summary>
    /// A 2-D convolution with bias; <paramref name="weights"/> supplies (weight [cout, cin, k, k], bias [cout]) or is
    /// null when only counting. Returns the output name (after the ReLU when <paramref name="relu"/>).
    /// </summary>
    public string Conv(string x, int cin, int cout, int k, int stride, int pad, int outH, int outW, bool relu,
        Func<(float[] Weight, float[] Bias)>? weights, int dilation = 1, string? output = null)
    {
        int id = _n++;
        float[]? w = null, b = null;
        if (weights is not null) (w, b) = weights();
        var wName = Init($"conv{id}.weight", [cout, cin, k, k], w);
        var bName = Init($"conv{id}.bias", [cout], b);
        var node = new NodeProto { OpType = "Conv", Name = $"conv{id}" };
        node.Input.Add(x); node.Input.Add(wName); node.Input.Add(bName);
        string y = relu || output is null ? $"conv{id}.out" : output;
        node.Output.Add(y);
        node.Attribute.Add(Ints("kernel_shape", k, k));
        node.Attribute.Add(Ints("strides", stride, stride));
        node.Attribute.Add(Ints("pads", pad, pad, pad, pad));
        node.Attribute.Add(Ints("dilations", dilation, dilation));
        Graph.Node.Add(node);
        MultiplyAdds += (double)cout * cin * k * k * outH * outW;
        return relu ? Node("Relu", [y], output) : y;
    }

    /// <summary>Nearest-neighbour upsampling by an integer factor.</summary>
    public string Upsample(string x, int factor)
    {
        var scales = new TensorProto { Name = $"up{_n}.scales", DataType = (int)TensorProto.Types.DataType.Float };
        scales.Dims.Add(4);
        scales.FloatData.AddRange([1f, 1f, factor, factor]);
        Graph.Initializer.Add(scales);
        var node = new NodeProto { OpType = "Resize", Name = $"up{_n++}" };
        node.Input.Add(x); node.Input.Add(""); node.Input.Add(scales.Name);   // opset 13: X, roi (unused), scales
        node.Output.Add(node.Name + ".out");
        node.Attribute.Add(new AttributeProto { Name = "mode", Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8("nearest") });
        Graph.Node.Add(node);
        return node.Name + ".out";
    }

    /// <summary>Reshape to a fixed shape (an int64 initializer, as opset 13 wants).</summary>
    public string Reshape(string x, long[] shape, string? output = null)
    {
        var t = new TensorProto { Name = $"reshape{_n}.shape", DataType = (int)TensorProto.Types.DataType.Int64 };
        t.Dims.Add(shape.Length);
        t.Int64Data.AddRange(shape);
        Graph.Initializer.Add(t);
        return Node("Reshape", [x, t.Name], output);
    }

    /// <summary>Softmax over one axis (opset 13 semantics: that axis only).</summary>
    public string Softmax(string x, int axis, string? output = null)
    {
        var y = Node("Softmax", [x], output);
        Graph.Node[^1].Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = axis });
        return y;
    }

    public string Node(string op, string[] inputs, string? output = null)
    {
        var node = new NodeProto { OpType = op, Name = $"{op.ToLowerInvariant()}{_n++}" };
        node.Input.AddRange(inputs);
        node.Output.Add(output ?? node.Name + ".out");
        Graph.Node.Add(node);
        return node.Output[0];
    }

    /// <summary>A node with attributes, writing <paramref name="output"/> (or a fresh name).</summary>
    public string Op(string op, string[] inputs, string? output = null, params AttributeProto[] attributes)
    {
        var y = Node(op, inputs, output);
        Graph.Node[^1].Attribute.AddRange(attributes);
        return y;
    }

    /// <summary>A float32 initializer (counted as parameters).</summary>
    public string Constant(string name, long[] dims, float[] values) => Init(name, dims, values);

    /// <summary>An int64 initializer (shapes, pads, axes).</summary>
    public string Int64s(string name, params long[] values)
    {
        var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        t.Dims.Add(values.Length);
        t.Int64Data.AddRange(values);
        Graph.Initializer.Add(t);
        return name;
    }

    public void Input(string name, long[] dims) => Graph.Input.Add(Value(name, dims));
    public void Output(string name, long[] dims) => Graph.Output.Add(Value(name, dims));

    public static AttributeProto Attr(string name, params long[] v) => Ints(name, v);
    public static AttributeProto Attr(string name, long v) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = v };
    public static AttributeProto Attr(string name, float v) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = v };
    public static AttributeProto Attr(string name, string v) => new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(v) };

    /// <summary>Declares the graph's float input and output with fixed shapes.</summary>
    public void Io(string input, long[] inputShape, string output, long[] outputShape)
    {
        Graph.Input.Add(Value(input, inputShape));
        Graph.Output.Add(Value(output, outputShape));
    }

    /// <summary>The model around the graph, with optional metadata (e.g. <see cref="PoseModelInspector.MetaMean"/>).</summary>
    public ModelProto Model(string producer, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var model = new ModelProto { IrVersion = 8, ProducerName = producer, Graph = Graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 13 });
        foreach (var (k, v) in metadata ?? new Dictionary<string, string>())
            model.MetadataProps.Add(new StringStringEntryProto { Key = k, Value = v });
        return model;
    }

    private static ValueInfoProto Value(string name, long[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims) shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }

    private string Init(string name, long[] dims, float[]? values)
    {
        long n = dims.Aggregate(1L, (a, d) => a * d);
        Parameters += n;
        if (values is null) return name;
        if (values.Length != n) throw new ArgumentException($"{name}: {values.Length} values for shape ({string.Join(", ", dims)})");
        var bytes = new byte[n * 4];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);   // raw_data: little-endian float32
        var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(bytes) };
        t.Dims.AddRange(dims);
        Graph.Initializer.Add(t);
        return name;
    }

    private static AttributeProto Ints(string name, params long[] v)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(v);
        return a;
    }
}
