using System.Runtime.InteropServices;
using TorchSharp;

namespace SignNotebooks.Util;

/// <summary>
/// Process-wide libtorch settings that every network of this project needs, applied once before the first model is
/// built (<see cref="EnsureConfigured"/>).
///
/// Why oneDNN is capped at SSE4.1 unless this machine was checked: on the project's machines of 2026-12-03 (AMD EPYC, AVX-512 with bf16/VNNI) libtorch 2.10's
/// oneDNN 3.7.1 convolutions compute wrong sums whenever a channel count is not a multiple of the blocking width
/// (errors of 0.4–1.8 against float64 for 12, 20, 24, 40 or 104 channels: `ONEDNN_VERBOSE` shows the jit:avx512_core
/// kernels on channel-padded `aBcde16b` layouts), and training then turns NaN within a few passes. Capping the ISA at
/// AVX2 or AVX gives the same wrong sums; at SSE4.1 every tested shape is exact to 1e-6 (TorchBackendTests). Turning
/// oneDNN off altogether is exact too, but libtorch's im2col path is ~25× slower on the standard keypoint step (43 s
/// against 1.7 s per pass of 8 clips, `signnb plan --stage keypoint --profile standard`), so SSE4.1 oneDNN is the
/// the safe default. On a machine where <see cref="OneDnnCheck"/> found the best ISA exact (its verdict is cached per
/// CPU; `signnb doctor --onednn` runs it, environment/setup.sh does after each build) the cap is lifted: 2.4× faster
/// standard training passes. `SIGNNB_ONEDNN=off` switches oneDNN off, `=full` lifts the cap unchecked, `=sse41` keeps
/// it even on a checked machine, and a user's own ONEDNN_MAX_CPU_ISA is respected. NNPACK is off as well: it
/// cannot run on this CPU and libtorch logs "Could not initialize NNPACK" on every convolution that asks for it.
/// </summary>
public static class TorchBackend
{
    private static readonly object Gate = new();
    private static bool _configured;
    private static bool _isaCapped;

    /// <summary>True when oneDNN (mkldnn) convolutions are enabled in this process.</summary>
    public static bool OneDnnEnabled { get; private set; } = true;

    /// <summary>What <see cref="EnsureConfigured"/> did, for `signnb doctor` and logs.</summary>
    public static string Description { get; private set; } = "not configured yet";

    private static string Mode => ModeOf(Environment.GetEnvironmentVariable("SIGNNB_ONEDNN"));

    /// <summary>SIGNNB_ONEDNN's value as a mode: off, full, sse41, or auto (unset or anything else: the cached check decides).</summary>
    public static string ModeOf(string? value) => (value ?? "").Trim().ToLowerInvariant() switch
    {
        "0" or "off" => "off",
        "1" or "full" => "full",
        "sse41" or "sse4.1" => "sse41",
        _ => "auto",
    };

    /// <summary>Whether a mode caps the ISA at SSE4.1, given this machine's cached check (null: never checked).</summary>
    public static bool CapsIsa(string mode, OneDnnVerdict? verdict) => mode switch
    {
        "sse41" => true,
        "auto" => verdict is not { Exact: true },
        _ => false,
    };

    /// <summary>The verdict the cap was decided by (auto mode), for the description.</summary>
    private static OneDnnVerdict? _verdict;

    /// <summary>
    /// Caps oneDNN's ISA through the process environment before oneDNN reads it (at its first primitive). .NET's
    /// Environment.SetEnvironmentVariable does not reach native getenv on Linux, hence libc's setenv. Called by the
    /// library's module initializer, so no convolution of this process can run before it.
    /// </summary>
    public static void CapOneDnnIsa()
    {
        lock (Gate)
        {
            if (_isaCapped) return;
            _isaCapped = true;
            string mode = Mode;
            if (mode == "auto")
            {
                // Whatever goes wrong reading the verdict (no /proc, no home folder) leaves this process unchecked: capped.
                try { _verdict = OneDnnCheck.Cached(); }
                catch (Exception) { _verdict = null; }
            }
            if (!CapsIsa(mode, _verdict)) return;
            if (Environment.GetEnvironmentVariable("ONEDNN_MAX_CPU_ISA") is not null || Environment.GetEnvironmentVariable("DNNL_MAX_CPU_ISA") is not null) return;
            try { SetEnv("ONEDNN_MAX_CPU_ISA", "SSE41", 0); }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { }
        }
    }

#pragma warning disable CA2255 // a library initializer on purpose: the cap must precede any convolution, even a user's own
    [System.Runtime.CompilerServices.ModuleInitializer]
    internal static void OnLoad() => CapOneDnnIsa();
#pragma warning restore CA2255

    public static void EnsureConfigured()
    {
        CapOneDnnIsa();
        lock (Gate)
        {
            if (_configured) return;
            _configured = true;
            torch.InitializeDeviceType(DeviceType.CPU);   // loads libtorch
            string mode = Mode;
            try
            {
                var ctx = GlobalContext();
                SetUserEnabledNNPACK(ctx, false);
                SetUserEnabledMkldnn(ctx, mode != "off");
                OneDnnEnabled = UserEnabledMkldnn(ctx);
                string isa = GetEnv("ONEDNN_MAX_CPU_ISA") ?? GetEnv("DNNL_MAX_CPU_ISA") ?? "the CPU's best";
                Description = !OneDnnEnabled
                    ? "oneDNN convolutions off (libtorch's im2col + GEMM path, exact but slow; SIGNNB_ONEDNN=off)"
                    : $"oneDNN convolutions on, ISA {isa}" + mode switch
                    {
                        "full" => " (SIGNNB_ONEDNN=full: not checked; wrong sums on some AVX-512 EPYC machines)",
                        "auto" when _verdict is { Exact: true } => $" (checked exact on this CPU {_verdict.CheckedUtc}: {OneDnnCheck.CachePath(_verdict.MachineKey)})",
                        "auto" when _verdict is not null => $" (the best ISA computed wrong sums on this CPU, {_verdict.CheckedUtc})",
                        "auto" => " (this CPU's best ISA is not checked yet: `signnb doctor --onednn`)",
                        _ => "",
                    };
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                Description = $"could not reach libtorch's context ({e.GetType().Name}); convolutions use libtorch's defaults";
            }
        }
    }

    private static string? GetEnv(string name) => Marshal.PtrToStringUTF8(GetEnvNative(name));

    [DllImport("libc.so.6", EntryPoint = "setenv")]
    private static extern int SetEnv([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);

    [DllImport("libc.so.6", EntryPoint = "getenv")]
    private static extern IntPtr GetEnvNative([MarshalAs(UnmanagedType.LPUTF8Str)] string name);

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
