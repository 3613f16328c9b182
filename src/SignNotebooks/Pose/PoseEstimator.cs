using Microsoft.ML.OnnxRuntime;
using SignNotebooks.Util;

namespace SignNotebooks.Pose;

/// <summary>
/// A top-down whole-body pose estimator over ONNX Runtime: box → affine crop → model → heatmap or SimCC decoding →
/// frame pixels. One person per frame, the whole frame as the box unless one is given (see Pose/README.md).
/// </summary>
public sealed class PoseEstimator : IDisposable
{
    private readonly InferenceSession _session;
    private readonly float[] _input;
    private readonly long[] _inputShape;

    /// <summary>The descriptor in force (auto-detected, then adjusted).</summary>
    public PoseModelDescriptor Descriptor { get; }
    /// <summary>"CPU" or "CUDA".</summary>
    public string Provider { get; }
    /// <summary>The model file.</summary>
    public string ModelPath { get; }

    private PoseEstimator(InferenceSession session, string provider, PoseModelDescriptor d, string path)
    {
        (_session, Provider, Descriptor, ModelPath) = (session, provider, d, path);
        _input = new float[3 * d.InputHeight * d.InputWidth];
        _inputShape = [1, 3, d.InputHeight, d.InputWidth];
    }

    /// <summary>
    /// Opens a model, describes it from its graph, applies <paramref name="adjust"/> (overrides such as the channel
    /// order or a dynamic input size) and validates the result against the graph.
    /// </summary>
    public static PoseEstimator Open(string path, PoseEstimatorOptions? options = null, Func<PoseModelDescriptor, PoseModelDescriptor>? adjust = null)
    {
        options ??= new PoseEstimatorOptions();
        var log = options.Log ?? (_ => { });
        var (session, provider) = PoseSessionFactory.Open(path, options.Device, options.Threads, log);
        try
        {
            var d = PoseModelInspector.Describe(session, path);
            if (adjust is not null) d = adjust(d);
            PoseModelInspector.Validate(d, session, path, options.ExpectedKeypoints);
            log($"pose: {Path.GetFileName(path)}: {d}");
            return new PoseEstimator(session, provider, d, path);
        }
        catch { session.Dispose(); throw; }
    }

    /// <summary>K × (x, y, score) in frame pixels for the person in <paramref name="box"/> (default: the whole frame).</summary>
    public float[] Estimate(RgbFrame frame, PoseBox? box = null)
    {
        var d = Descriptor;
        frame.Validate();
        var fitted = (box ?? PoseBox.Full(frame.Width, frame.Height)).FitAspect(d.InputWidth / (double)d.InputHeight, d.BoxPadding);
        PosePreprocessor.Fill(frame, fitted, d, _input);
        using var input = OrtValue.CreateTensorValueFromMemory(_input, _inputShape);
        using var runOptions = new RunOptions();
        using var outputs = _session.Run(runOptions, [d.InputName], [input], d.OutputNames.ToArray());
        var kp = d.OutputKind == PoseOutputKind.Heatmap ? DecodeHeatmap(outputs[0]) : DecodeSimcc(outputs[0], outputs[1]);
        // Input pixels → frame pixels through the same box (mmpose: kp / input_size · scale + centre − scale / 2).
        double sx = fitted.Width / d.InputWidth, sy = fitted.Height / d.InputHeight;
        for (int k = 0; k < d.KeypointCount; k++)
        {
            kp[3 * k] = (float)(fitted.X + kp[3 * k] * sx);
            kp[3 * k + 1] = (float)(fitted.Y + kp[3 * k + 1] * sy);
        }
        return kp;
    }

    // Heatmap pixels → input pixels by the plain size ratio (mmpose MSRAHeatmap: keypoints · input_size / heatmap_size).
    private float[] DecodeHeatmap(OrtValue maps)
    {
        var d = Descriptor;
        var shape = maps.GetTensorTypeAndShape().Shape;
        if (shape.Length != 4 || shape[0] != 1 || shape[1] != d.KeypointCount)
            throw Mismatch($"heatmaps of shape ({string.Join(", ", shape)})", $"(1, {d.KeypointCount}, H, W)");
        int h = (int)shape[2], w = (int)shape[3];
        var kp = HeatmapDecoder.Decode(maps.GetTensorDataAsSpan<float>(), d.KeypointCount, h, w, d.Refinement, d.DarkBlurKernel);
        double rx = d.InputWidth / (double)w, ry = d.InputHeight / (double)h;
        for (int k = 0; k < d.KeypointCount; k++) { kp[3 * k] = (float)(kp[3 * k] * rx); kp[3 * k + 1] = (float)(kp[3 * k + 1] * ry); }
        return kp;
    }

    private float[] DecodeSimcc(OrtValue x, OrtValue y)
    {
        var d = Descriptor;
        var sx = x.GetTensorTypeAndShape().Shape;
        var sy = y.GetTensorTypeAndShape().Shape;
        if (sx.Length != 3 || sy.Length != 3 || sx[0] != 1 || sx[1] != d.KeypointCount || sy[1] != d.KeypointCount)
            throw Mismatch($"SimCC vectors of shapes ({string.Join(", ", sx)}) and ({string.Join(", ", sy)})", $"(1, {d.KeypointCount}, W·r) and (1, {d.KeypointCount}, H·r)");
        return SimccDecoder.Decode(x.GetTensorDataAsSpan<float>(), y.GetTensorDataAsSpan<float>(), d.KeypointCount, (int)sx[2], (int)sy[2], d.SimccSplitRatio);
    }

    private UserFacingException Mismatch(string got, string want) =>
        new($"pose model {ModelPath} produced {got}, expected {want}. Fix: check the descriptor overrides (keypoint count) or re-export the model with a batch of 1.");

    /// <inheritdoc/>
    public void Dispose() => _session.Dispose();
}
