using Google.Protobuf;
using Onnx;

namespace SignNotebooks.Tests.Pose;

/// <summary>
/// Tiny ONNX models written in C# with OnnxSharp's protobuf types, so the pose tests need no Python or exporter:
/// constant-output models (an Identity of an initializer; the image input is declared and ignored) whose heatmaps or
/// SimCC vectors the test chose, and an identity model whose "heatmaps" are its own normalised input.
/// </summary>
internal static class PoseTestGraphs
{
    /// <summary>One graph output: its name, shape, and (for constant models) its values.</summary>
    public sealed record Output(string Name, long[] Shape, float[]? Values = null);

    /// <summary>Image input (1, 3, H, W) plus constant outputs. A null dimension in <paramref name="inputDims"/> is symbolic.</summary>
    public static void WriteConstant(string path, long?[] inputDims, params Output[] outputs) =>
        Write(path, [("input", inputDims)], outputs, identity: false);

    /// <summary>Several declared inputs (for the "unexpected inputs" error) and constant outputs.</summary>
    public static void WriteConstant(string path, (string Name, long?[] Dims)[] inputs, params Output[] outputs) =>
        Write(path, inputs, outputs, identity: false);

    /// <summary>"heatmaps" = the (1, 3, H, W) input itself: K = 3, stride 1, optional metadata entries.</summary>
    public static void WriteIdentity(string path, int inputW, int inputH, params (string Key, string Value)[] metadata)
    {
        var dims = new long?[] { 1, 3, inputH, inputW };
        Write(path, [("input", dims)], [new Output("heatmaps", [1, 3, inputH, inputW])], identity: true, metadata);
    }

    private static void Write(string path, (string Name, long?[] Dims)[] inputs, Output[] outputs, bool identity,
        (string Key, string Value)[]? metadata = null)
    {
        var graph = new GraphProto { Name = "pose_test" };
        foreach (var (name, dims) in inputs) graph.Input.Add(Value(name, dims));
        foreach (var o in outputs)
        {
            graph.Output.Add(Value(o.Name, o.Shape.Select(d => (long?)d).ToArray()));
            string source = identity ? inputs[0].Name : o.Name + "_const";
            if (!identity)
            {
                var t = new TensorProto { Name = source, DataType = (int)TensorProto.Types.DataType.Float };
                t.Dims.AddRange(o.Shape);
                var bytes = new byte[o.Values!.Length * 4];
                Buffer.BlockCopy(o.Values, 0, bytes, 0, bytes.Length);   // raw_data is little-endian float32
                t.RawData = ByteString.CopyFrom(bytes);
                graph.Initializer.Add(t);
            }
            var node = new NodeProto { OpType = "Identity", Name = o.Name + "_node" };
            node.Input.Add(source);
            node.Output.Add(o.Name);
            graph.Node.Add(node);
        }
        var model = new ModelProto { IrVersion = 8, ProducerName = "SignNotebooks.Tests", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 13 });
        foreach (var (k, v) in metadata ?? []) model.MetadataProps.Add(new StringStringEntryProto { Key = k, Value = v });
        File.WriteAllBytes(path, model.ToByteArray());
    }

    private static ValueInfoProto Value(string name, long?[] dims)
    {
        var shape = new TensorShapeProto();
        for (int i = 0; i < dims.Length; i++)
            shape.Dim.Add(dims[i] is long d
                ? new TensorShapeProto.Types.Dimension { DimValue = d }
                : new TensorShapeProto.Types.Dimension { DimParam = $"d{i}" });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }

    /// <summary>(K, H, W) unnormalised Gaussians with peak 1 at the given (x, y) heatmap locations (mmpose's target).</summary>
    public static float[] GaussianHeatmaps(int h, int w, double sigma, IReadOnlyList<(double X, double Y)> centres)
    {
        var maps = new float[centres.Count * h * w];
        for (int k = 0; k < centres.Count; k++)
            for (int i = 0; i < h; i++)
                for (int j = 0; j < w; j++)
                {
                    double dx = j - centres[k].X, dy = i - centres[k].Y;
                    maps[(k * h + i) * w + j] = (float)Math.Exp(-(dx * dx + dy * dy) / (2 * sigma * sigma));
                }
        return maps;
    }

    /// <summary>(K, n) 1-D Gaussians of peak <paramref name="peak"/> at the given bin positions (RTMPose's SimCC target).</summary>
    public static float[] GaussianVectors(int n, double sigma, IReadOnlyList<double> centres, float peak = 1f)
    {
        var v = new float[centres.Count * n];
        for (int k = 0; k < centres.Count; k++)
            for (int i = 0; i < n; i++)
                v[k * n + i] = peak * (float)Math.Exp(-(i - centres[k]) * (i - centres[k]) / (2 * sigma * sigma));
        return v;
    }
}
