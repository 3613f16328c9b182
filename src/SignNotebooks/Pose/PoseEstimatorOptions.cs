namespace SignNotebooks.Pose;

/// <summary>How a <see cref="PoseEstimator"/> runs.</summary>
/// <param name="Device">Execution provider choice.</param>
/// <param name="Threads">ONNX Runtime intra-op threads; 0 leaves ONNX Runtime's default (one per core).</param>
/// <param name="ExpectedKeypoints">When set, a model with another K is refused at load time (133 for extraction, spec §1.2).</param>
/// <param name="Log">Where provider choices and the descriptor are reported; null = nowhere.</param>
public sealed record PoseEstimatorOptions(
    PoseDevice Device = PoseDevice.Auto,
    int Threads = 0,
    int? ExpectedKeypoints = null,
    Action<string>? Log = null);
