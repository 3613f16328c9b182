using TorchSharp;

namespace SignNotebooks.Util;

/// <summary>The `--device cpu|cuda` option of the commands that run a network.</summary>
public static class ComputeDevice
{
    /// <summary>
    /// The torch device for a name. `cuda` needs a CUDA build (`-p:TorchBackend=cuda`) and a visible GPU; without
    /// them it is a <see cref="UserFacingException"/> before any work starts, never a crash in the first kernel.
    /// </summary>
    public static torch.Device Resolve(string name) => name.ToLowerInvariant() switch
    {
        "cpu" => torch.CPU,
        "cuda" or "gpu" => torch.cuda.is_available() ? torch.CUDA
            : throw new UserFacingException("--device cuda: no CUDA device is available (torch.cuda.is_available() is false; this build links " +
                                            "the CPU libtorch unless it was built with -p:TorchBackend=cuda). Fix: build with " +
                                            "`dotnet build -p:TorchBackend=cuda` on a machine with an NVIDIA GPU and driver, or use --device cpu."),
        _ => throw new UserFacingException($"--device {name}: unknown device. Fix: use cpu or cuda."),
    };
}
