using System.Runtime.InteropServices;
using TorchSharp;

namespace SignNotebooks.Util;

/// <summary>
/// Process-wide libtorch settings that every network of this project needs, applied once before the first model is
/// built (<see cref="EnsureConfigured"/>).
///
/// Why oneDNN convolutions are off by default: on this project's machines (AMD EPYC, AVX-512 with bf16/VNNI) libtorch
/// 2.10's oneDNN 3.7.1 convolutions started returning all-NaN outputs for finite inputs and weights after a few
/// forward/backward passes of an S3D (a fresh conv of the same shape on random tensors then gave NaN too, while other
/// shapes were fine); gradients of identical passes differed run to run. Training then stopped with "the loss became
/// NaN" at step 1–5 (the tiny keypoint stage, every time). Capping oneDNN's ISA at AVX2 delayed it but did not stop
/// it; libtorch's own convolution path (im2col + GEMM) gave finite, repeatable results. `SIGNNB_ONEDNN=1` turns oneDNN
/// back on (e.g. to benchmark it, or on a machine where it works). NNPACK is off as well: it cannot run on this CPU
/// and libtorch logs "Could not initialize NNPACK" on every convolution that asks for it.
/// </summary>
public static class TorchBackend
{
    private static readonly object Gate = new();
    private static bool _configured;

    /// <summary>True when oneDNN (mkldnn) convolutions are enabled in this process.</summary>
    public static bool OneDnnEnabled { get; private set; } = true;

    /// <summary>What <see cref="EnsureConfigured"/> did, for `signnb doctor` and logs.</summary>
    public static string Description { get; private set; } = "not configured yet";

    public static void EnsureConfigured()
    {
        lock (Gate)
        {
            if (_configured) return;
            _configured = true;
            torch.InitializeDeviceType(DeviceType.CPU);   // loads libtorch
            bool wantOneDnn = Environment.GetEnvironmentVariable("SIGNNB_ONEDNN") == "1";
            try
            {
                var ctx = GlobalContext();
                SetUserEnabledNNPACK(ctx, false);
                SetUserEnabledMkldnn(ctx, wantOneDnn);
                OneDnnEnabled = UserEnabledMkldnn(ctx);
                Description = OneDnnEnabled
                    ? "oneDNN convolutions on (SIGNNB_ONEDNN=1)"
                    : "oneDNN convolutions off (libtorch's im2col + GEMM path; SIGNNB_ONEDNN=1 turns oneDNN on)";
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                Description = $"could not reach libtorch's context to switch oneDNN off ({e.GetType().Name}); convolutions use libtorch's defaults";
            }
        }
    }

    // at::globalContext() and three at::Context members (Itanium C++ ABI: `this` is the first argument). libtorch exports
    // them; TorchSharp does not wrap them.
    [DllImport("libtorch_cpu", EntryPoint = "_ZN2at13globalContextEv")]
    private static extern IntPtr GlobalContext();

    [DllImport("libtorch_cpu", EntryPoint = "_ZN2at7Context20setUserEnabledMkldnnEb")]
    private static extern void SetUserEnabledMkldnn(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    [DllImport("libtorch_cpu", EntryPoint = "_ZNK2at7Context17userEnabledMkldnnEv")]
    [return: MarshalAs(UnmanagedType.U1)]
    private static extern bool UserEnabledMkldnn(IntPtr context);

    [DllImport("libtorch_cpu", EntryPoint = "_ZN2at7Context20setUserEnabledNNPACKEb")]
    private static extern void SetUserEnabledNNPACK(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);
}
