using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using SignNotebooks.Util;

namespace SignNotebooks.Pose;

/// <summary>
/// Reads a <see cref="PoseModelDescriptor"/> off an ONNX session's inputs and outputs, and checks a (possibly
/// overridden) descriptor against the graph before any frame is decoded, so a wrong model fails at load time.
/// </summary>
public static class PoseModelInspector
{
    /// <summary>Metadata keys a model may carry to state what its graph cannot (our exporters write them).</summary>
    public const string MetaChannelOrder = "signnb.channel_order", MetaMean = "signnb.mean", MetaStd = "signnb.std";

    /// <summary>The descriptor implied by the graph; dynamic input sizes come back as 0 and must be overridden.</summary>
    public static PoseModelDescriptor Describe(InferenceSession session, string path)
    {
        var inputs = session.InputNames;
        if (inputs.Count != 1)
            throw Bad(path, $"has {inputs.Count} inputs ({string.Join(", ", inputs)}), but a top-down pose model has one image input (N, 3, H, W)",
                "export the model with the image as its only input (fold constants such as the bbox into the graph)");
        var inMeta = session.InputMetadata[inputs[0]];
        var d = inMeta.IsTensor ? inMeta.Dimensions : [];
        if (!inMeta.IsTensor || inMeta.ElementType != typeof(float) || d.Length != 4 || (d[1] != 3 && d[1] > 0))
            throw Bad(path, $"input '{inputs[0]}' is {Shape(inMeta)}, expected a float tensor (N, 3, H, W)",
                "use a top-down pose model exported with a float32 NCHW image input");
        int inH = Math.Max(d[2], 0), inW = Math.Max(d[3], 0);

        var outs = session.OutputNames;
        var ranks = outs.Select(o => session.OutputMetadata[o].Dimensions.Length).ToArray();
        PoseOutputKind kind;
        string[] names;
        if (outs.Count == 1 && ranks[0] == 4) { kind = PoseOutputKind.Heatmap; names = [outs[0]]; }
        else if (outs.Count == 2 && ranks.All(r => r == 3)) { kind = PoseOutputKind.SimCC; names = OrderXY(outs); }
        else
            throw Bad(path, $"has outputs {string.Join(", ", outs.Select(o => $"'{o}' {Shape(session.OutputMetadata[o])}"))}; " +
                "expected one heatmap output (N, K, H, W) or two SimCC outputs (N, K, W·r) and (N, K, H·r)",
                "export only the keypoint head's outputs (heatmaps, or simcc_x and simcc_y)");

        int k = session.OutputMetadata[names[0]].Dimensions[1];
        double ratio = 2.0;
        if (kind == PoseOutputKind.SimCC && inW > 0 && session.OutputMetadata[names[0]].Dimensions[2] > 0)
            ratio = session.OutputMetadata[names[0]].Dimensions[2] / (double)inW;   // RTMPose: 576 bins / 288 px = 2.0

        var desc = new PoseModelDescriptor(inW, inH, PoseModelDescriptor.ImageNetMean, PoseModelDescriptor.ImageNetStd,
            ChannelOrder.Rgb, kind, Math.Max(k, 0), inputs[0], names, ratio);
        return FromMetadata(desc, session.ModelMetadata.CustomMetadataMap, path);
    }

    /// <summary>Throws a <see cref="UserFacingException"/> when the descriptor and the graph disagree.</summary>
    public static void Validate(PoseModelDescriptor desc, InferenceSession session, string path, int? expectedKeypoints = null)
    {
        if (desc.InputWidth <= 0 || desc.InputHeight <= 0)
            throw Bad(path, "has a dynamic input size", "state it in the descriptor (--input-size WxH on the command line)");
        if (desc.Mean.Length != 3 || desc.Std.Length != 3 || desc.Std.Any(s => s <= 0))
            throw Bad(path, "needs three means and three positive standard deviations", "fix the descriptor's Mean/Std");
        if (desc.KeypointCount <= 0)
            throw Bad(path, "has a dynamic keypoint count", "state KeypointCount in the descriptor");
        if (desc.OutputKind == PoseOutputKind.Heatmap && (desc.DarkBlurKernel < 1 || desc.DarkBlurKernel % 2 == 0))
            throw Bad(path, $"DARK blur kernel {desc.DarkBlurKernel} is not a positive odd size", "use 11 (mmpose's default) or 17");
        foreach (var o in desc.OutputNames)
            if (!session.OutputMetadata.ContainsKey(o))
                throw Bad(path, $"has no output '{o}' (outputs: {string.Join(", ", session.OutputNames)})", "fix the descriptor's OutputNames");
        int k = session.OutputMetadata[desc.OutputNames[0]].Dimensions[1];
        if (k > 0 && k != desc.KeypointCount)
            throw Bad(path, $"outputs {k} keypoints but the descriptor says {desc.KeypointCount}", "drop the KeypointCount override or use a matching model");
        if (desc.OutputKind == PoseOutputKind.SimCC)
        {
            int wx = session.OutputMetadata[desc.OutputNames[0]].Dimensions[2], hy = session.OutputMetadata[desc.OutputNames[1]].Dimensions[2];
            // Both axes share one split ratio (mmpose SimCCLabel); a mismatch means x and y, or the input size, are wrong.
            if (wx > 0 && hy > 0 && (Math.Abs(wx - desc.InputWidth * desc.SimccSplitRatio) > 0.5 || Math.Abs(hy - desc.InputHeight * desc.SimccSplitRatio) > 0.5))
                throw Bad(path, $"has SimCC vectors of {wx} (x) and {hy} (y) bins, which do not match input {desc.InputWidth}×{desc.InputHeight} at split ratio {desc.SimccSplitRatio:0.###}",
                    "check which output is x (OutputNames), the input size and the split ratio");
        }
        if (expectedKeypoints is int want && desc.KeypointCount != want)
            throw Bad(path, $"outputs {desc.KeypointCount} keypoints ({desc.Layout} layout), but {want} are needed " +
                $"({(want == 133 ? "COCO-WholeBody, spec §1.2" : "the requested layout")})",
                "use a whole-body model (HRNet-w48 COCO-WholeBody, RTMW, DWPose)");
    }

    // SimCC heads name their outputs simcc_x / simcc_y; with other names the export order (x first) is kept.
    private static string[] OrderXY(IReadOnlyList<string> outs)
    {
        bool EndsWith(string s, char c) => s.Length > 0 && char.ToLowerInvariant(s[^1]) == c;
        if (EndsWith(outs[0], 'y') && EndsWith(outs[1], 'x')) return [outs[1], outs[0]];
        return [outs[0], outs[1]];
    }

    private static PoseModelDescriptor FromMetadata(PoseModelDescriptor d, IReadOnlyDictionary<string, string> meta, string path)
    {
        if (meta.TryGetValue(MetaChannelOrder, out var order)) d = d with { ChannelOrder = ParseOrder(order, () => Bad(path, $"metadata {MetaChannelOrder} = '{order}' is neither rgb nor bgr", "fix the exporter")) };
        if (meta.TryGetValue(MetaMean, out var mean)) d = d with { Mean = Floats(mean, MetaMean, p => Bad(path, p, "fix the exporter")) };
        if (meta.TryGetValue(MetaStd, out var std)) d = d with { Std = Floats(std, MetaStd, p => Bad(path, p, "fix the exporter")) };
        return d;
    }

    internal static ChannelOrder ParseOrder(string s, Func<Exception> bad) => s.Trim().ToLowerInvariant() switch
    {
        "rgb" => ChannelOrder.Rgb,
        "bgr" => ChannelOrder.Bgr,
        _ => throw bad(),
    };

    /// <summary>A comma-separated list of numbers from metadata <paramref name="key"/>; <paramref name="bad"/> makes the error.</summary>
    internal static float[] Floats(string s, string key, Func<string, Exception> bad)
    {
        var parts = s.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var r = new float[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!float.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out r[i]))
                throw bad($"metadata {key} = '{s}' is not a comma-separated list of numbers");
        return r;
    }

    internal static string Shape(NodeMetadata m) =>
        m.IsTensor ? $"{m.ElementType.Name} ({string.Join(", ", m.Dimensions.Select(x => x < 0 ? "?" : x.ToString(CultureInfo.InvariantCulture)))})" : "not a tensor";

    internal static UserFacingException Bad(string path, string problem, string fix) =>
        new($"pose model {path} {problem}. Fix: {fix}.");
}
