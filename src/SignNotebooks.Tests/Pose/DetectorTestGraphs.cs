using Google.Protobuf;
using Onnx;

namespace SignNotebooks.Tests.Pose;

/// <summary>
/// Tiny mmdeploy-style end2end detectors written with OnnxSharp: image input (1, 3, H, W), outputs <c>dets</c>
/// (1, N, 5) and <c>labels</c> (1, N) int64. Either constant detections, or one box whose score is the mean of the
/// normalised input (a bright frame "has a person", a dark one not), so a clip can switch between found and missed.
/// </summary>
internal static class DetectorTestGraphs
{
    /// <summary>Constant detections: rows of (x1, y1, x2, y2, score) in input pixels, and their class labels.</summary>
    public static void WriteConstant(string path, int inW, int inH, float[][] dets, long[] labels, params (string Key, string Value)[] metadata)
    {
        var g = new GraphProto { Name = "det_test" };
        g.Input.Add(Value("input", TensorProto.Types.DataType.Float, [1, 3, inH, inW]));
        g.Initializer.Add(Floats("dets_const", [1, dets.Length, 5], dets.SelectMany(r => r).ToArray()));
        g.Node.Add(Node("Identity", ["dets_const"], "dets"));
        AddLabels(g, labels);
        Save(path, g, metadata);
    }

    /// <summary>One box (x1, y1, x2, y2 in input pixels) whose score is the mean input value; label 0.</summary>
    public static void WriteBrightness(string path, int inW, int inH, float[] box, params (string Key, string Value)[] metadata)
    {
        var g = new GraphProto { Name = "det_brightness" };
        g.Input.Add(Value("input", TensorProto.Types.DataType.Float, [1, 3, inH, inW]));
        g.Initializer.Add(Floats("box", [1, 1, 4], box));
        var shape = new TensorProto { Name = "score_shape", DataType = (int)TensorProto.Types.DataType.Int64 };
        shape.Dims.Add(3);
        shape.Int64Data.AddRange([1, 1, 1]);
        g.Initializer.Add(shape);
        g.Node.Add(Node("ReduceMean", ["input"], "mean"));                       // (1, 1, 1, 1)
        g.Node.Add(Node("Reshape", ["mean", "score_shape"], "score"));           // (1, 1, 1, 1) -> (1, 1, 1)
        var concat = Node("Concat", ["box", "score"], "dets");                   // (1, 1, 4) + (1, 1, 1) -> (1, 1, 5)
        concat.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 2 });
        g.Node.Add(concat);
        AddLabels(g, [0]);
        Save(path, g, metadata);
    }

    private static void AddLabels(GraphProto g, long[] labels)
    {
        var t = new TensorProto { Name = "labels_const", DataType = (int)TensorProto.Types.DataType.Int64 };
        t.Dims.AddRange([1, labels.Length]);
        t.Int64Data.AddRange(labels);
        g.Initializer.Add(t);
        g.Node.Add(Node("Identity", ["labels_const"], "labels"));
        g.Output.Add(Value("dets", TensorProto.Types.DataType.Float, [1, -1, 5]));
        g.Output.Add(Value("labels", TensorProto.Types.DataType.Int64, [1, -1]));
    }

    private static TensorProto Floats(string name, long[] dims, float[] values)
    {
        var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        t.Dims.AddRange(dims);
        t.FloatData.AddRange(values);
        return t;
    }

    private static NodeProto Node(string op, string[] inputs, string output)
    {
        var n = new NodeProto { OpType = op, Name = output + "_node" };
        n.Input.AddRange(inputs);
        n.Output.Add(output);
        return n;
    }

    private static void Save(string path, GraphProto g, (string Key, string Value)[] metadata)
    {
        var model = new ModelProto { IrVersion = 8, ProducerName = "SignNotebooks.Tests", Graph = g };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 13 });
        foreach (var (k, v) in metadata) model.MetadataProps.Add(new StringStringEntryProto { Key = k, Value = v });
        File.WriteAllBytes(path, model.ToByteArray());
    }

    // A negative dimension is written symbolic (N detections is dynamic in mmdeploy's exports).
    private static ValueInfoProto Value(string name, TensorProto.Types.DataType type, long[] dims)
    {
        var shape = new TensorShapeProto();
        for (int i = 0; i < dims.Length; i++)
            shape.Dim.Add(dims[i] >= 0 ? new TensorShapeProto.Types.Dimension { DimValue = dims[i] } : new TensorShapeProto.Types.Dimension { DimParam = $"n{i}" });
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } } };
    }
}
