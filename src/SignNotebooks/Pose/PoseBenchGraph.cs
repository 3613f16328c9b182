using Google.Protobuf;
using Onnx;

namespace SignNotebooks.Pose;

/// <summary>
/// Writes <see cref="PoseBenchGraphConfig"/> as an ONNX heatmap model with seeded random weights (He-uniform, so
/// activations stay finite through the ReLU chain). For timing the runtime path only: its keypoints mean nothing.
/// </summary>
public static class PoseBenchGraph
{
    /// <summary>Writes the model; returns its parameter count and multiply-adds per frame.</summary>
    public static (long Parameters, double MultiplyAdds) Write(string path, PoseBenchGraphConfig c, int seed = 0)
    {
        var (model, parameters, macs) = Build(c, new Random(seed));
        using (var f = File.Create(path)) model!.WriteTo(f);
        return (parameters, macs);
    }

    /// <summary>Parameter count and multiply-adds per frame, without generating any weights.</summary>
    public static (long Parameters, double MultiplyAdds) Size(PoseBenchGraphConfig c)
    {
        var (_, parameters, macs) = Build(c, null);
        return (parameters, macs);
    }

    private static (ModelProto? Model, long Parameters, double MultiplyAdds) Build(PoseBenchGraphConfig c, Random? rng)
    {
        if (c.InputWidth % 32 != 0 || c.InputHeight % 32 != 0)
            throw new ArgumentException($"input {c.InputWidth}×{c.InputHeight}: both sides must be multiples of 32 (the low branch is at 1/32)");
        var b = new Builder(rng);
        int h4 = c.InputHeight / 4, w4 = c.InputWidth / 4;
        // (1, 3, H, W) -> stem (two stride-2 convs) -> (1, Ch, H/4, W/4)
        var x = b.Conv("input", 3, 64, 3, 2, 1, c.InputHeight / 2, c.InputWidth / 2, relu: true);
        x = b.Conv(x, 64, c.HighChannels, 3, 2, 1, h4, w4, relu: true);
        var high = x;
        for (int i = 0; i < c.HighLayers; i++) high = b.Conv(high, c.HighChannels, c.HighChannels, 3, 1, 1, h4, w4, relu: true);
        // (1, Ch, H/4, W/4) -> patchify 8×8 -> (1, Cl, H/32, W/32) -> convs -> 1×1 to Ch -> nearest ×8 -> add
        var low = b.Conv(x, c.HighChannels, c.LowChannels, 8, 8, 0, h4 / 8, w4 / 8, relu: true);
        for (int i = 0; i < c.LowLayers; i++) low = b.Conv(low, c.LowChannels, c.LowChannels, 3, 1, 1, h4 / 8, w4 / 8, relu: true);
        low = b.Conv(low, c.LowChannels, c.HighChannels, 1, 1, 0, h4 / 8, w4 / 8, relu: false);
        var up = b.Upsample(low, 8);
        var fused = b.Node("Add", [high, up]);
        b.Conv(fused, c.HighChannels, c.Keypoints, 1, 1, 0, h4, w4, relu: false, output: "heatmaps");
        b.Graph.Input.Add(Value("input", 1, 3, c.InputHeight, c.InputWidth));
        b.Graph.Output.Add(Value("heatmaps", 1, c.Keypoints, h4, w4));
        if (rng is null) return (null, b.Parameters, b.MultiplyAdds);
        var model = new ModelProto { IrVersion = 8, ProducerName = "SignNotebooks.PoseBenchGraph", Graph = b.Graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 13 });
        return (model, b.Parameters, b.MultiplyAdds);
    }

    private static ValueInfoProto Value(string name, params long[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims) shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }

    // With no random generator the builder only counts (for Size).
    private sealed class Builder(Random? rng)
    {
        public GraphProto Graph { get; } = new() { Name = "pose_bench" };
        public long Parameters { get; private set; }
        public double MultiplyAdds { get; private set; }
        private int _n;

        public string Conv(string x, int cin, int cout, int k, int stride, int pad, int outH, int outW, bool relu, string? output = null)
        {
            int id = _n++;
            float bound = (float)Math.Sqrt(6.0 / (cin * k * k));
            var w = Init($"conv{id}.weight", [cout, cin, k, k], bound);
            var bias = Init($"conv{id}.bias", [cout], 0.01f);
            var node = new NodeProto { OpType = "Conv", Name = $"conv{id}" };
            node.Input.Add(x); node.Input.Add(w); node.Input.Add(bias);
            string y = relu || output is null ? $"conv{id}.out" : output;
            node.Output.Add(y);
            node.Attribute.Add(Ints("kernel_shape", k, k));
            node.Attribute.Add(Ints("strides", stride, stride));
            node.Attribute.Add(Ints("pads", pad, pad, pad, pad));
            Graph.Node.Add(node);
            MultiplyAdds += (double)cout * cin * k * k * outH * outW;
            return relu ? Node("Relu", [y], output) : y;
        }

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

        public string Node(string op, string[] inputs, string? output = null)
        {
            var node = new NodeProto { OpType = op, Name = $"{op.ToLowerInvariant()}{_n++}" };
            node.Input.AddRange(inputs);
            node.Output.Add(output ?? node.Name + ".out");
            Graph.Node.Add(node);
            return node.Output[0];
        }

        private string Init(string name, long[] dims, float bound)
        {
            long n = dims.Aggregate(1L, (a, d) => a * d);
            Parameters += n;
            if (rng is null) return name;
            var values = new float[n];
            for (long i = 0; i < n; i++) values[i] = (float)((rng.NextDouble() * 2 - 1) * bound);
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
}
