using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using SignNotebooks.Util;

namespace SignNotebooks.Pose;

/// <summary>
/// An optional person detector in front of the pose estimator (spec §1.2 used mmdet): an mmdeploy/mmdet end2end ONNX
/// detector with one image input (1, 3, H, W) and outputs <c>dets</c> (1, N, 5: x1, y1, x2, y2, score in input pixels)
/// and <c>labels</c> (1, N). The frame is letterboxed (or stretched) to the input, and the highest-scoring person
/// above the threshold is mapped back to frame pixels. See Pose/README.md.
/// </summary>
public sealed class PersonDetector : IDisposable
{
    /// <summary>Metadata keys beyond the pose model's (<see cref="PoseModelInspector.MetaChannelOrder"/>, mean, std).</summary>
    public const string MetaResize = "signnb.resize", MetaPadValue = "signnb.pad_value", MetaInputSize = "signnb.input_size";

    private readonly InferenceSession _session;
    private readonly float[] _input;
    private readonly long[] _inputShape;
    private readonly Type _labelType;

    /// <summary>The descriptor in force.</summary>
    public PersonDetectorDescriptor Descriptor { get; }
    /// <summary>"CPU" or "CUDA".</summary>
    public string Provider { get; }
    /// <summary>The model file.</summary>
    public string ModelPath { get; }
    /// <summary>Where per-clip box counts are reported (never null).</summary>
    public Action<string> Log { get; }
    /// <summary>Box counts over every clip extracted with this detector so far.</summary>
    public PersonBoxCounts Totals { get; internal set; } = new();

    private PersonDetector(InferenceSession session, string provider, PersonDetectorDescriptor d, string path, Action<string> log)
    {
        (_session, Provider, Descriptor, ModelPath, Log) = (session, provider, d, path, log);
        _input = new float[3 * d.InputHeight * d.InputWidth];
        _inputShape = [1, 3, d.InputHeight, d.InputWidth];
        _labelType = session.OutputMetadata[d.LabelsName].ElementType;
    }

    /// <summary>Opens a detector, describes it from its graph and metadata, applies <paramref name="adjust"/> and validates the result.</summary>
    public static PersonDetector Open(string path, PoseEstimatorOptions? options = null, Func<PersonDetectorDescriptor, PersonDetectorDescriptor>? adjust = null)
    {
        options ??= new PoseEstimatorOptions();
        var log = options.Log ?? (_ => { });
        var (session, provider) = PoseSessionFactory.Open(path, options.Device, options.Threads, log, "detector", "--detector");
        try
        {
            var d = Describe(session, path);
            if (adjust is not null) d = adjust(d);
            Validate(d, session, path);
            log($"detector: {Path.GetFileName(path)}: {d}");
            return new PersonDetector(session, provider, d, path, log);
        }
        catch { session.Dispose(); throw; }
    }

    /// <summary>The descriptor implied by the graph and its <c>signnb.*</c> metadata; a dynamic input size comes back as 0.</summary>
    public static PersonDetectorDescriptor Describe(InferenceSession session, string path)
    {
        const string exportFix = "export the detector with mmdeploy's detection end2end config (e.g. detection_onnxruntime_static.py), " +
            "whose outputs are dets (1, N, 5) and labels (1, N); or leave out --detector to use the whole frame";
        var inputs = session.InputNames;
        if (inputs.Count != 1)
            throw Bad(path, $"has {inputs.Count} inputs ({string.Join(", ", inputs)}), but an end2end detector has one image input (1, 3, H, W)", exportFix);
        var inMeta = session.InputMetadata[inputs[0]];
        var d = inMeta.IsTensor ? inMeta.Dimensions : [];
        if (!inMeta.IsTensor || inMeta.ElementType != typeof(float) || d.Length != 4 || (d[1] != 3 && d[1] > 0))
            throw Bad(path, $"input '{inputs[0]}' is {PoseModelInspector.Shape(inMeta)}, expected a float tensor (1, 3, H, W)", exportFix);

        var outs = session.OutputNames;
        bool IsDets(string o) => session.OutputMetadata[o].Dimensions is { Length: 3 } s && (s[2] == 5 || s[2] < 0);
        bool IsLabels(string o) => session.OutputMetadata[o].Dimensions.Length == 2;
        // mmdeploy names them dets and labels (instance segmentation adds masks); other exports are matched by shape.
        string? dets = outs.Contains("dets") && IsDets("dets") ? "dets" : outs.Count == 2 ? outs.FirstOrDefault(IsDets) : null;
        string? labels = outs.Contains("labels") && IsLabels("labels") ? "labels" : outs.Count == 2 ? outs.FirstOrDefault(o => o != dets && IsLabels(o)) : null;
        if (dets is null || labels is null)
            throw Bad(path, $"has outputs {string.Join(", ", outs.Select(o => $"'{o}' {PoseModelInspector.Shape(session.OutputMetadata[o])}"))}; " +
                "expected mmdeploy's end2end detection outputs dets (1, N, 5: x1, y1, x2, y2, score) and labels (1, N)", exportFix);

        var desc = new PersonDetectorDescriptor(Math.Max(d[3], 0), Math.Max(d[2], 0), PersonDetectorDescriptor.RtmdetMean, PersonDetectorDescriptor.RtmdetStd,
            ChannelOrder.Bgr, DetectorResize.Letterbox, 114f, inputs[0], dets, labels);
        return FromMetadata(desc, session.ModelMetadata.CustomMetadataMap, path);
    }

    /// <summary>Throws a <see cref="UserFacingException"/> when the descriptor cannot run on the graph.</summary>
    public static void Validate(PersonDetectorDescriptor desc, InferenceSession session, string path)
    {
        if (desc.InputWidth <= 0 || desc.InputHeight <= 0)
            throw Bad(path, "has a dynamic input size", $"state it as metadata {MetaInputSize} = WxH, with --detector-input-size WxH, or in the descriptor (640x640 for RTMDet and YOLOX)");
        var dims = session.InputMetadata[desc.InputName].Dimensions;
        if ((dims[3] > 0 && dims[3] != desc.InputWidth) || (dims[2] > 0 && dims[2] != desc.InputHeight))
            throw Bad(path, $"has a fixed input of {dims[3]}×{dims[2]}, but the descriptor says {desc.InputWidth}×{desc.InputHeight}", "drop the input size override");
        if (desc.Mean.Length != 3 || desc.Std.Length != 3 || desc.Std.Any(s => s <= 0))
            throw Bad(path, "needs three means and three positive standard deviations", "fix the descriptor's Mean/Std or the signnb.mean/signnb.std metadata");
        if (desc.ScoreThreshold is < 0 or > 1)
            throw Bad(path, $"score threshold {desc.ScoreThreshold} is outside [0, 1]", "pass a threshold between 0 and 1 (mmpose's demo uses 0.3)");
        foreach (var o in new[] { desc.DetsName, desc.LabelsName })
            if (!session.OutputMetadata.ContainsKey(o))
                throw Bad(path, $"has no output '{o}' (outputs: {string.Join(", ", session.OutputNames)})", "fix the descriptor's DetsName/LabelsName");
        var t = session.OutputMetadata[desc.LabelsName].ElementType;
        if (t != typeof(long) && t != typeof(int) && t != typeof(float))
            throw Bad(path, $"labels output '{desc.LabelsName}' holds {t.Name}", "export integer (int64) or float class labels");
    }

    /// <summary>The highest-scoring person above the threshold, in frame pixels (clipped to the frame), or null.</summary>
    public PersonDetection? Detect(RgbFrame frame)
    {
        var d = Descriptor;
        frame.Validate();
        var (sx, sy) = Fill(frame, d, _input);
        using var input = OrtValue.CreateTensorValueFromMemory(_input, _inputShape);
        using var runOptions = new RunOptions();
        using var outputs = _session.Run(runOptions, [d.InputName], [input], [d.DetsName, d.LabelsName]);
        var shape = outputs[0].GetTensorTypeAndShape().Shape;
        if (shape.Length != 3 || shape[0] != 1 || shape[2] != 5)
            throw Bad(ModelPath, $"produced dets of shape ({string.Join(", ", shape)})", "export with a batch of 1 and dets (1, N, 5)");
        var dets = outputs[0].GetTensorDataAsSpan<float>();
        int n = (int)shape[1];
        var labels = Labels(outputs[1], n);
        PersonDetection? best = null;
        for (int i = 0; i < n; i++)
        {
            float score = dets[5 * i + 4];
            if (labels[i] != d.PersonClass || score < d.ScoreThreshold || (best is { } b && score <= b.Score)) continue;
            // Input pixels → frame pixels: undo the resize (the letterbox pads bottom/right, so there is no offset).
            double x1 = Math.Clamp(dets[5 * i] / sx, 0, frame.Width), y1 = Math.Clamp(dets[5 * i + 1] / sy, 0, frame.Height);
            double x2 = Math.Clamp(dets[5 * i + 2] / sx, 0, frame.Width), y2 = Math.Clamp(dets[5 * i + 3] / sy, 0, frame.Height);
            if (x2 - x1 < 1 || y2 - y1 < 1) continue;
            best = new PersonDetection(new PoseBox(x1, y1, x2 - x1, y2 - y1), score);
        }
        return best;
    }

    private long[] Labels(OrtValue v, int n)
    {
        var r = new long[n];
        int have = (int)Math.Min(n, v.GetTensorTypeAndShape().ElementCount);
        if (have < n) throw Bad(ModelPath, $"produced {have} labels for {n} detections", "export labels (1, N) alongside dets (1, N, 5)");
        if (_labelType == typeof(long)) v.GetTensorDataAsSpan<long>()[..n].CopyTo(r);
        else if (_labelType == typeof(int)) { var s = v.GetTensorDataAsSpan<int>(); for (int i = 0; i < n; i++) r[i] = s[i]; }
        else { var s = v.GetTensorDataAsSpan<float>(); for (int i = 0; i < n; i++) r[i] = (long)MathF.Round(s[i]); }
        return r;
    }

    /// <summary>
    /// Fills the (1, 3, H, W) input from the whole frame and returns the scale from frame to input pixels per axis.
    /// Letterbox: one scale, the scaled frame top-left, <see cref="PersonDetectorDescriptor.PadValue"/> elsewhere (mmdet
    /// Resize keep_ratio + Pad). Bilinear with half-pixel centres and replicated borders, as OpenCV's resize.
    /// </summary>
    public static (double ScaleX, double ScaleY) Fill(RgbFrame frame, PersonDetectorDescriptor d, float[] input)
    {
        int W = d.InputWidth, H = d.InputHeight, fw = frame.Width, fh = frame.Height, plane = W * H;
        if (input.Length != 3 * plane) throw new ArgumentException($"input buffer needs {3 * plane} floats");
        int nw = W, nh = H;
        if (d.Resize == DetectorResize.Letterbox)
        {
            double r = Math.Min(W / (double)fw, H / (double)fh);
            nw = Math.Min(W, (int)(fw * r + 0.5)); nh = Math.Min(H, (int)(fh * r + 0.5));   // mmcv imrescale rounding
        }
        double sx = nw / (double)fw, sy = nh / (double)fh;
        var rgb = frame.Rgb;
        ReadOnlySpan<int> src = d.ChannelOrder == ChannelOrder.Rgb ? [0, 1, 2] : [2, 1, 0];
        for (int c = 0; c < 3; c++)
        {
            float mean = d.Mean[c], inv = 1 / d.Std[c], pad = (d.PadValue - mean) * inv;
            int ch = src[c];
            for (int v = 0; v < H; v++)
            {
                double fy = Math.Clamp((v + 0.5) / sy - 0.5, 0, fh - 1);
                int y0 = (int)fy, y1 = Math.Min(y0 + 1, fh - 1);
                double ay = fy - y0;
                for (int u = 0; u < W; u++)
                {
                    int o = c * plane + v * W + u;
                    if (u >= nw || v >= nh) { input[o] = pad; continue; }
                    double fx = Math.Clamp((u + 0.5) / sx - 0.5, 0, fw - 1);
                    int x0 = (int)fx, x1 = Math.Min(x0 + 1, fw - 1);
                    double ax = fx - x0;
                    double top = rgb[(y0 * fw + x0) * 3 + ch] * (1 - ax) + rgb[(y0 * fw + x1) * 3 + ch] * ax;
                    double bottom = rgb[(y1 * fw + x0) * 3 + ch] * (1 - ax) + rgb[(y1 * fw + x1) * 3 + ch] * ax;
                    input[o] = (float)((top * (1 - ay) + bottom * ay - mean) * inv);
                }
            }
        }
        return (sx, sy);
    }

    private static PersonDetectorDescriptor FromMetadata(PersonDetectorDescriptor d, IReadOnlyDictionary<string, string> meta, string path)
    {
        Exception BadMeta(string problem) => Bad(path, problem, "fix the exporter's metadata");
        if (meta.TryGetValue(PoseModelInspector.MetaChannelOrder, out var order))
            d = d with { ChannelOrder = PoseModelInspector.ParseOrder(order, () => BadMeta($"metadata {PoseModelInspector.MetaChannelOrder} = '{order}' is neither rgb nor bgr")) };
        if (meta.TryGetValue(PoseModelInspector.MetaMean, out var mean)) d = d with { Mean = PoseModelInspector.Floats(mean, PoseModelInspector.MetaMean, BadMeta) };
        if (meta.TryGetValue(PoseModelInspector.MetaStd, out var std)) d = d with { Std = PoseModelInspector.Floats(std, PoseModelInspector.MetaStd, BadMeta) };
        if (meta.TryGetValue(MetaPadValue, out var pad)) d = d with { PadValue = PoseModelInspector.Floats(pad, MetaPadValue, BadMeta) is [var p] ? p : throw BadMeta($"metadata {MetaPadValue} = '{pad}' is not one number") };
        if (meta.TryGetValue(MetaResize, out var resize))
            d = d with { Resize = resize.Trim().ToLowerInvariant() switch
            {
                "letterbox" => DetectorResize.Letterbox,
                "stretch" => DetectorResize.Stretch,
                _ => throw BadMeta($"metadata {MetaResize} = '{resize}' is neither letterbox nor stretch"),
            } };
        if (meta.TryGetValue(MetaInputSize, out var size))
        {
            var p = size.Trim().ToLowerInvariant().Split('x');
            if (p.Length != 2 || !int.TryParse(p[0], CultureInfo.InvariantCulture, out int w) || !int.TryParse(p[1], CultureInfo.InvariantCulture, out int h) || w <= 0 || h <= 0)
                throw BadMeta($"metadata {MetaInputSize} = '{size}' is not WxH");
            d = d with { InputWidth = w, InputHeight = h };
        }
        return d;
    }

    private static UserFacingException Bad(string path, string problem, string fix) => new($"detector model {path} {problem}. Fix: {fix}.");

    /// <inheritdoc/>
    public void Dispose() => _session.Dispose();
}
