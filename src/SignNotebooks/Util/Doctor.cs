using System.Diagnostics;
using System.Runtime.InteropServices;
using SignNotebooks.Build;

namespace SignNotebooks.Util;

/// <summary>One line of the doctor's report.</summary>
/// <param name="Name">What was checked.</param>
/// <param name="Ok">Whether it is usable.</param>
/// <param name="Required">Whether the workbook needs it (false: only some tests or commands do).</param>
/// <param name="Detail">Version or finding.</param>
/// <param name="Fix">The exact command or step that fixes it, when not ok.</param>
public sealed record DoctorCheck(string Name, bool Ok, bool Required, string Detail, string? Fix = null);

/// <summary>Checks every native dependency the project uses and says how to fix what is missing.</summary>
public static class Doctor
{
    public static IReadOnlyList<DoctorCheck> Run()
    {
        var checks = new List<DoctorCheck>
        {
            new(".NET runtime", true, true, $"{RuntimeInformation.FrameworkDescription} on {RuntimeInformation.OSDescription} ({RuntimeInformation.RuntimeIdentifier})"),
        };
        checks.Add(CheckLibTorchSharpFile());
        // Loading a broken libLibTorchSharp.so aborts the process, so only try when the file check passed.
        checks.Add(checks[^1].Ok ? CheckTorch() : new DoctorCheck("libtorch", false, true, "not loaded (see above)", checks[^1].Fix));
        if (checks[^1].Ok) checks.Add(CheckOneDnn());
        checks.Add(HugePages(Environment.GetEnvironmentVariable("GLIBC_TUNABLES"), ReadOrNull("/sys/kernel/mm/transparent_hugepage/enabled")));
        checks.Add(CheckOnnxRuntime());
        checks.Add(CheckTool("ffmpeg", "-version", "video files (optional; frames folders work without it)", "apt-get install -y ffmpeg", required: false));
        checks.Add(CheckOpenCv());
        checks.Add(CheckTool("sctk", "sclite -h", "sclite, for the scoring parity test (optional)", "apt-get install -y sctk", required: false, anyExit: true));
        checks.Add(CheckPythonTorch());
        checks.Add(CheckMediaPipe());
        return checks;
    }

    private static string? ReadOrNull(string path)
    {
        try { return File.Exists(path) ? File.ReadAllText(path) : null; }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    /// <summary>
    /// Whether libtorch's large allocations get transparent huge pages (environment/malloc.sh says why: whole standard
    /// training probes 1.18–1.28× faster). <paramref name="glibcTunables"/> is this process's GLIBC_TUNABLES,
    /// <paramref name="thpEnabled"/> the text of /sys/kernel/mm/transparent_hugepage/enabled (null: not Linux).
    /// </summary>
    public static DoctorCheck HugePages(string? glibcTunables, string? thpEnabled)
    {
        const string Name = "huge pages for large allocations";
        var mode = thpEnabled is null ? null
            : System.Text.RegularExpressions.Regex.Match(thpEnabled, @"\[(\w+)\]") is { Success: true } m ? m.Groups[1].Value : thpEnabled.Trim();
        var tunable = (glibcTunables ?? "").Split(':').Select(t => t.Trim())
            .LastOrDefault(t => t.StartsWith("glibc.malloc.hugetlb=", StringComparison.Ordinal))?["glibc.malloc.hugetlb=".Length..];
        const string Fix = "run through environment/signnb (it sets GLIBC_TUNABLES=glibc.malloc.hugetlb=1), or export that yourself before starting a notebook kernel";
        return mode switch
        {
            null => new(Name, true, false, "no transparent huge pages on this system (not Linux?); nothing to do"),
            "never" => new(Name, true, false, "transparent huge pages are off on this system (THP mode never); large allocations use 4 KB pages"),
            "always" => new(Name, true, false, "THP mode always: large allocations get huge pages without asking"),
            _ when tunable is "1" or "2" => new(Name, true, false, $"on: GLIBC_TUNABLES has glibc.malloc.hugetlb={tunable}, THP mode {mode}"),
            _ => new(Name, false, false,
                $"off: THP mode {mode} grants huge pages only to mappings that ask, and GLIBC_TUNABLES {(tunable is null ? "does not set glibc.malloc.hugetlb" : $"sets glibc.malloc.hugetlb={tunable}")}: standard training passes run about 1.2× slower",
                Fix),
        };
    }

    private static DoctorCheck CheckLibTorchSharpFile()
    {
        var dir = Path.GetDirectoryName(typeof(TorchSharp.torch).Assembly.Location) ?? AppContext.BaseDirectory;
        var candidates = new[] { Path.Combine(dir, ElfVersionNeeds.FileName), Path.Combine(dir, "cpu", ElfVersionNeeds.FileName) }
            .Where(File.Exists).ToList();
        if (candidates.Count == 0)
            return new("libLibTorchSharp.so", true, true, $"not next to TorchSharp.dll ({dir}); TorchSharp will load it from the NuGet cache");
        var bad = candidates.Where(p => ElfVersionNeeds.Scan(p, fix: false) > 0).ToList();
        return bad.Count == 0
            ? new("libLibTorchSharp.so", true, true, $"{string.Join(", ", candidates)}: loadable on this libstdc++")
            : new("libLibTorchSharp.so", false, true, $"{string.Join(", ", bad)} still needs {ElfVersionNeeds.NeededVersion}, which Debian 12's libstdc++ lacks",
                "rebuild: `dotnet build SignNotebooks.sln` (the build marks the need weak in every copy)");
    }

    private static DoctorCheck CheckTorch()
    {
        try
        {
            return new("libtorch", true, true, TorchInfo.Describe());
        }
        catch (Exception e)
        {
            return new("libtorch", false, true, e.Message.Split('\n')[0],
                "rebuild with `dotnet build SignNotebooks.sln`; for the CPU backend the packages are TorchSharp 0.107.0 + libtorch-cpu-linux-x64 2.10.0");
        }
    }

    private static DoctorCheck CheckOneDnn()
    {
        TorchBackend.EnsureConfigured();
        var v = OneDnnCheck.Cached();
        // Not required: unchecked or wrong, convolutions stay exact at the SSE4.1 cap, only slower.
        return v switch
        {
            { Exact: true } => new("oneDNN ISA", true, false, TorchBackend.Description),
            { Exact: false } => new("oneDNN ISA", true, false, $"{TorchBackend.Description}; the best ISA was off by {v.MaxRelativeError:G3} here ({v.Detail}), so it stays capped"),
            null => new("oneDNN ISA", false, false, TorchBackend.Description,
                "`signnb doctor --onednn` checks this CPU's best ISA against float64 once (6–7 s on the idle 2-core machine here) and lifts the SSE4.1 cap if it is exact (2.4× faster training)"),
        };
    }

    private static DoctorCheck CheckOnnxRuntime()
    {
        try
        {
            var v = Microsoft.ML.OnnxRuntime.OrtEnv.Instance().GetVersionString();
            return new("ONNX Runtime", true, true, $"{v}, providers: {string.Join(", ", Microsoft.ML.OnnxRuntime.OrtEnv.Instance().GetAvailableProviders())} (listed, not probed)");
        }
        catch (Exception e)
        {
            return new("ONNX Runtime", false, true, e.Message.Split('\n')[0], "rebuild with `dotnet build SignNotebooks.sln` (package Microsoft.ML.OnnxRuntime 1.31.1)");
        }
    }

    // Not required: video falls back to the ffmpeg command. Loading a library with missing dependencies only throws.
    private static DoctorCheck CheckOpenCv()
    {
        const string name = "OpenCV (in-process video)", fix = "apt-get install -y libgtk-3-0 (environment/setup.sh does it)";
        try
        {
            return new(name, true, false, $"OpenCvSharp {OpenCvSharp.Cv2.GetVersionString()}: mp4/avi decoded in-process");
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or BadImageFormatException or EntryPointNotFoundException)
        {
            var so = new[] { AppContext.BaseDirectory, Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native") }
                .Select(d => Path.Combine(d, "libOpenCvSharpExtern.so")).FirstOrDefault(File.Exists);
            var missing = so is null ? "" : string.Join(", ", Exec("ldd", so).output.Split('\n')
                .Where(l => l.Contains("not found", StringComparison.Ordinal)).Select(l => l.Trim().Split(' ')[0]));
            return new(name, false, false,
                $"libOpenCvSharpExtern.so did not load{(missing.Length > 0 ? $" (missing: {missing})" : so is null ? " (not next to the program)" : "")}; videos are read with the ffmpeg command instead",
                fix);
        }
    }

    private static DoctorCheck CheckPythonTorch()
    {
        var (ok, output) = Exec("/usr/bin/python3", "-c \"import torch, torchvision; print(torch.__version__, torchvision.__version__)\"");
        return ok
            ? new("python3-torch (parity tests)", true, false, $"/usr/bin/python3: torch/torchvision {output.Trim()}")
            : new("python3-torch (parity tests)", false, false, "Debian's python3-torch/python3-torchvision not found (only the PyTorch parity tests need them)",
                "apt-get install -y python3-torch python3-torchvision");
    }

    private static DoctorCheck CheckMediaPipe()
    {
        var (ok, detail) = Pose.Holistic.HolisticAssets.Status();
        return new("MediaPipe Holistic models", ok, false, detail, "environment/setup.sh, or `signnb mediapipe fetch` (needs npm: apt-get install -y npm)");
    }

    private static DoctorCheck CheckTool(string tool, string args, string what, string fix, bool required, bool anyExit = false)
    {
        var (ok, output) = Exec(tool, args, anyExit);
        var first = output.Split('\n').FirstOrDefault(l => l.Trim().Length > 0)?.Trim() ?? "";
        return ok ? new(tool, true, required, $"{what}: {first}") : new(tool, false, required, $"{what}: not found", fix);
    }

    /// <summary>Runs a program briefly; false when it cannot start (or fails, unless <paramref name="anyExit"/>).</summary>
    internal static (bool ok, string output) Exec(string file, string args, bool anyExit = false, int timeoutMs = 20000)
    {
        try
        {
            var psi = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(timeoutMs)) { try { p.Kill(true); } catch { } return (false, "timed out"); }
            return (anyExit || p.ExitCode == 0, stdout.Result + stderr.Result);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return (false, e.Message);
        }
    }
}
