using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace SignNotebooks.Pose.Holistic;

/// <summary>
/// One converted MediaPipe model in ONNX Runtime: an NHWC float input of a fixed size, its outputs by name. Each
/// call samples a <see cref="Roi"/> of the frame into the input (MediaPipe's ImageToTensorCalculator) and runs.
/// </summary>
public sealed class HolisticModel : IDisposable
{
    private readonly InferenceSession _session;
    private readonly string _input;
    private readonly float[] _buffer;
    private readonly float _lo, _hi;
    public string Name { get; }
    public int Width { get; }
    public int Height { get; }
    public string Provider { get; }
    /// <summary>Calls of <see cref="Run"/> and their total wall time (crop + inference), for the benchmark.</summary>
    public int Runs { get; private set; }
    public TimeSpan Elapsed { get; private set; }

    /// <param name="name">one of <see cref="HolisticAssets.Models"/></param>
    /// <param name="lo">value of a black pixel in the model's input range (the graph's output_tensor_float_range)</param>
    /// <param name="hi">value of a white pixel</param>
    public HolisticModel(string name, float lo, float hi, int threads, Action<string> log)
    {
        Name = name;
        (_session, Provider) = PoseSessionFactory.Open(HolisticAssets.RequireOnnx(name), PoseDevice.Cpu, threads, log, role: name);
        var input = _session.InputMetadata.Single();
        _input = input.Key;
        var shape = input.Value.Dimensions;   // (1, H, W, 3)
        if (shape.Length != 4 || shape[3] != 3 || shape[1] <= 0 || shape[2] <= 0)
            throw new InvalidOperationException($"{HolisticAssets.OnnxPath(name)}: input {_input} has shape ({string.Join(", ", shape)}); (1, H, W, 3) expected. Fix: delete the file and run `signnb mediapipe fetch` to convert it again.");
        Height = shape[1]; Width = shape[2];
        _buffer = new float[Width * Height * 3];
        _lo = lo; _hi = hi;
    }

    /// <summary>The output names, in the model's order.</summary>
    public IReadOnlyList<string> OutputNames => _session.OutputMetadata.Keys.ToList();

    /// <summary>Samples <paramref name="roi"/> of <paramref name="frame"/> (zero border) and runs the model.</summary>
    public Dictionary<string, float[]> Run(RgbFrame frame, Roi roi)
    {
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        RoiCrop.Crop(frame, roi, Width, Height, _lo, _hi, into: _buffer);
        var tensor = new DenseTensor<float>(_buffer, [1, Height, Width, 3]);
        using var results = _session.Run([NamedOnnxValue.CreateFromTensor(_input, tensor)]);
        var outputs = results.ToDictionary(r => r.Name, r => r.AsTensor<float>().ToArray());
        Runs++;
        Elapsed += System.Diagnostics.Stopwatch.GetElapsedTime(start);
        return outputs;
    }

    /// <summary>The output called <paramref name="name"/>, or a clear error naming the model and what it has.</summary>
    public static float[] Output(Dictionary<string, float[]> outputs, string name, string model, int minLength) =>
        outputs.TryGetValue(name, out var v) && v.Length >= minLength ? v
        : throw new InvalidOperationException($"{model}: output '{name}' with ≥ {minLength} values expected; the model has {string.Join(", ", outputs.Select(o => $"{o.Key} ({o.Value.Length})"))}. Fix: delete {HolisticAssets.OnnxPath(model)} and run `signnb mediapipe fetch`.");

    public void Dispose() => _session.Dispose();
}
