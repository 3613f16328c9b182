using Microsoft.ML.OnnxRuntime;
using SignNotebooks.Util;

namespace SignNotebooks.Pose;

/// <summary>
/// Opens an ONNX Runtime session on the requested execution provider. CUDA is decided by trying: the GPU package
/// lists CUDAExecutionProvider as available even on a machine without a GPU or without the CUDA libraries, so only
/// a session that actually initialises counts, and every fallback says why in one log line.
/// </summary>
public static class PoseSessionFactory
{
    /// <summary>The session and the provider it runs on ("CUDA" or "CPU"). <paramref name="role"/> and <paramref name="flag"/> name the model in logs and errors.</summary>
    public static (InferenceSession Session, string Provider) Open(string path, PoseDevice device, int threads, Action<string> log,
        string role = "pose", string flag = "--model")
    {
        if (!File.Exists(path))
            throw new UserFacingException($"{role} model {path} does not exist. Fix: pass the path of an ONNX {role} model ({flag}).");
        if (device != PoseDevice.Cpu)
        {
            bool listed = OrtEnv.Instance().GetAvailableProviders().Contains("CUDAExecutionProvider");
            if (!listed)
            {
                if (device == PoseDevice.Cuda)
                    log($"{role}: CUDA requested but this ONNX Runtime build has no CUDA provider (CPU build); using CPU");
            }
            else
            {
                try
                {
                    var cuda = Options(threads);
                    cuda.AppendExecutionProvider_CUDA(0);
                    var s = Create(path, cuda, role);
                    log($"{role}: running on CUDA (device 0)");
                    return (s, "CUDA");
                }
                catch (Exception e) when (e is OnnxRuntimeException or DllNotFoundException or EntryPointNotFoundException)
                {
                    log($"{role}: CUDA did not initialise ({FirstLine(e.Message)}); using CPU");
                }
            }
        }
        var cpu = Create(path, Options(threads), role);
        log($"{role}: running on CPU ({(threads > 0 ? $"{threads} thread{(threads == 1 ? "" : "s")}" : "ONNX Runtime's default threads")})");
        return (cpu, "CPU");
    }

    private static SessionOptions Options(int threads)
    {
        var o = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            // Warnings such as "unused input" are noise for users; real failures still throw.
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
            InterOpNumThreads = 1,
        };
        if (threads > 0) o.IntraOpNumThreads = threads;
        return o;
    }

    private static InferenceSession Create(string path, SessionOptions o, string role)
    {
        try { return new InferenceSession(path, o); }
        catch (OnnxRuntimeException e)
        {
            throw new UserFacingException($"{role} model {path} could not be loaded by ONNX Runtime ({FirstLine(e.Message)}). " +
                "Fix: check that the file is a complete .onnx model (opset ≤ 21), not a PyTorch checkpoint.", e);
        }
    }

    private static string FirstLine(string s) => s.Split('\n')[0].Trim();
}
