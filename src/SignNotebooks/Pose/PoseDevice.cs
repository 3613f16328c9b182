namespace SignNotebooks.Pose;

/// <summary>Which ONNX Runtime execution provider a pose model runs on.</summary>
public enum PoseDevice
{
    /// <summary>CUDA when it actually initialises (GPU build), else CPU.</summary>
    Auto,
    /// <summary>The CPU provider.</summary>
    Cpu,
    /// <summary>CUDA, falling back to CPU with a log line when it does not initialise.</summary>
    Cuda,
}
