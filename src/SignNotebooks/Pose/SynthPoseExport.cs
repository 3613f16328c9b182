using System.Globalization;
using System.Text.Json;
using Google.Protobuf;
using SignNotebooks.Keypoints;

namespace SignNotebooks.Pose;

/// <summary>
/// Writes a trained <see cref="SynthPoseNet"/> as an ONNX heatmap model that <see cref="PoseEstimator"/> opens like
/// any HRNet export: input (1, 3, S, S) named <c>input</c>, output (1, 133, S/4, S/4) named <c>heatmaps</c>. Each
/// BatchNorm is folded into its conv (eval statistics), so the graph holds only Conv and Relu nodes. The
/// normalisation and colour order go into the model's metadata (<see cref="PoseModelInspector.MetaMean"/> …).
/// </summary>
public static class SynthPoseExport
{
    /// <summary>Metadata key holding the training config as JSON (for the cache and for readers of the file).</summary>
    public const string MetaConfig = "signnb.synthpose.config";

    /// <summary>The normalisation the model was trained with: ImageNet statistics on RGB 0–255 values, like mmpose's.</summary>
    public static PoseModelDescriptor Descriptor(SynthPoseConfig c) =>
        new(c.InputSize, c.InputSize, PoseModelDescriptor.ImageNetMean, PoseModelDescriptor.ImageNetStd, ChannelOrder.Rgb,
            PoseOutputKind.Heatmap, WholeBody.Count, "input", ["heatmaps"]);

    /// <summary>Writes the ONNX file (atomically: a finished file or none); returns its parameter count.</summary>
    public static long Write(SynthPoseNet net, string path, IReadOnlyDictionary<string, string>? extraMetadata = null)
    {
        var c = net.Config;
        var g = new OnnxGraphWriter("synthsign_pose");
        string x = "input";
        int cin = 3, side = c.InputSize;
        foreach (var layer in net.Layers)
        {
            var folded = layer.Folded();
            int cout = folded.Bias.Length;
            side /= (int)layer.Stride;
            x = g.Conv(x, cin, cout, 3, (int)layer.Stride, (int)layer.Dilation, side, side, relu: true, () => folded, dilation: (int)layer.Dilation);
            cin = cout;
        }
        var head = net.Head();
        x = g.Conv(x, cin, net.Keypoints, 1, 1, 0, side, side, relu: false, () => head);
        // (1, K, h, w) -> (1, K, h·w) -> softmax over positions -> (1, K, h, w), as SynthPoseNet.Heatmaps.
        x = g.Reshape(x, [1, net.Keypoints, side * side]);
        x = g.Softmax(x, 2);
        g.Reshape(x, [1, net.Keypoints, side, side], output: "heatmaps");
        g.Io("input", [1, 3, c.InputSize, c.InputSize], "heatmaps", [1, net.Keypoints, side, side]);
        var d = Descriptor(c);
        string Join(float[] v) => string.Join(",", v.Select(f => f.ToString("R", CultureInfo.InvariantCulture)));
        var meta = new Dictionary<string, string>
        {
            [PoseModelInspector.MetaChannelOrder] = "rgb",
            [PoseModelInspector.MetaMean] = Join(d.Mean),
            [PoseModelInspector.MetaStd] = Join(d.Std),
            [MetaConfig] = JsonSerializer.Serialize(c),
        };
        foreach (var (k, v) in extraMetadata ?? new Dictionary<string, string>()) meta[k] = v;
        var model = g.Model("SignNotebooks.SynthPoseExport", meta);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var tmp = full + $".{Environment.ProcessId}.tmp";
        using (var f = File.Create(tmp)) model.WriteTo(f);
        File.Move(tmp, full, overwrite: true);
        return g.Parameters;
    }
}
