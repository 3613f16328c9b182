using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace SignNotebooks.Util;

/// <summary>What a machine's oneDNN check found: whether convolutions at the CPU's best ISA are exact here.</summary>
public sealed record OneDnnVerdict(string MachineKey, bool Exact, double MaxRelativeError, int Shapes, string CheckedUtc, string Detail)
{
    public string ToLine() => string.Create(CultureInfo.InvariantCulture,
        $"{MachineKey} {(Exact ? "exact" : "wrong")} {MaxRelativeError:G3} {Shapes} {CheckedUtc} {Detail}");

    /// <summary>Parses <see cref="ToLine"/>; null when the text is not a verdict (a torn or foreign file).</summary>
    public static OneDnnVerdict? Parse(string text)
    {
        var parts = text.Trim().Split(' ', 6);
        if (parts.Length < 5 || parts[1] is not ("exact" or "wrong")) return null;
        if (!double.TryParse(parts[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var err)) return null;
        if (!int.TryParse(parts[3], NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)) return null;
        return new OneDnnVerdict(parts[0], parts[1] == "exact", err, n, parts[4], parts.Length > 5 ? parts[5] : "");
    }
}

/// <summary>
/// Decides, once per machine, whether oneDNN's convolutions may run at the CPU's best ISA (AVX-512 here) instead of
/// the SSE4.1 cap of <see cref="TorchBackend"/>. Why per machine: on the project's machines of 2026-12-03 the AVX-512
/// kernels computed wrong sums for channel counts that are not a multiple of 16 (relative gradient error 0.58), while on
/// the machine of 2026-12-04 (AMD EPYC, family 25 model 17, microcode 0x1000065) the same checks and 200 repeats of them
/// were exact to 1e-6, and the standard joint pass was 2.4× faster than at SSE4.1. The ISA must be fixed before
/// oneDNN's first primitive, so the check runs in a child process at the best ISA (<c>SIGNNB_ONEDNN=full</c>) and its
/// verdict is cached under a key of the CPU (model, stepping, microcode, flags) and the TorchSharp build; a process
/// reads the cache at load time and keeps the SSE4.1 cap unless the verdict for its own key is "exact".
/// </summary>
public static class OneDnnCheck
{
    /// <summary>Above this relative error (max |a − b| / max |b| against float64) a convolution is wrong, not rounded.</summary>
    public const double Tolerance = 1e-4;

    /// <summary>The cache folder: <c>SIGNNB_ONEDNN_CACHE</c>, else <c>~/.cache/signnotebooks/onednn</c>.</summary>
    public static string CacheDirectory =>
        Environment.GetEnvironmentVariable("SIGNNB_ONEDNN_CACHE") is { Length: > 0 } dir
            ? dir
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "signnotebooks", "onednn");

    /// <summary>This machine's key: a hash of what decides oneDNN's kernels (CPU identity and flags, TorchSharp build).</summary>
    public static string MachineKey() => KeyOf(CpuIdentity(File.Exists("/proc/cpuinfo") ? File.ReadAllText("/proc/cpuinfo") : ""),
                                                typeof(torch).Assembly.GetName().Version?.ToString() ?? "?");

    /// <summary>The key from the first processor's identity lines and the TorchSharp version (pure, for tests).</summary>
    public static string KeyOf(string cpuIdentity, string torchSharpVersion)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(cpuIdentity + "\n" + torchSharpVersion + "\n" + System.Runtime.InteropServices.RuntimeInformation.OSArchitecture));
        return Convert.ToHexString(bytes, 0, 8).ToLowerInvariant();
    }

    /// <summary>The lines of /proc/cpuinfo's first processor that identify its kernels: vendor, family, model, stepping, microcode, flags.</summary>
    public static string CpuIdentity(string cpuinfo)
    {
        var wanted = new[] { "vendor_id", "cpu family", "model", "model name", "stepping", "microcode", "flags" };
        var first = cpuinfo.Split("\n\n")[0];
        return string.Join("\n", first.Split('\n')
            .Select(l => l.Split(':', 2))
            .Where(kv => kv.Length == 2 && wanted.Contains(kv[0].Trim()))
            .Select(kv => kv[0].Trim() + ":" + kv[1].Trim()));
    }

    public static string CachePath(string key, string? directory = null) => Path.Combine(directory ?? CacheDirectory, key + ".txt");

    /// <summary>The cached verdict for this machine, or null when there is none, it is unreadable or it names another key.</summary>
    public static OneDnnVerdict? Cached(string? key = null, string? directory = null)
    {
        key ??= MachineKey();
        try
        {
            var path = CachePath(key, directory);
            if (!File.Exists(path)) return null;
            var v = OneDnnVerdict.Parse(File.ReadAllText(path));
            return v is not null && v.MachineKey == key ? v : null;
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    public static void Save(OneDnnVerdict verdict, string? directory = null)
    {
        Directory.CreateDirectory(directory ?? CacheDirectory);
        Training.RunDirectory.WriteAtomic(CachePath(verdict.MachineKey, directory), verdict.ToLine() + "\n");
    }

    /// <summary>
    /// The convolutions to check (N, C, T, H, W input; out channels; kernel; stride; padding): the channel counts the
    /// AVX-512 kernels got wrong (12, 20, 24, 40, 104), and each Conv3d geometry of the S3D blocks at widths ¼ and 1
    /// (stems, separable 1×k×k / k×1×1, 1×1×1 mixes, 7×3×3 laterals) with channel counts of both kinds.
    /// </summary>
    public static IReadOnlyList<(long[] Input, long Out, long[] Kernel, long[] Stride, long[] Padding)> Shapes()
    {
        var list = new List<(long[], long, long[], long[], long[])>();
        foreach (int c in new[] { 12, 20, 24, 40, 104 })
            list.Add((new long[] { 4, c, 24, 6, 6 }, c, new long[] { 3, 1, 1 }, new long[] { 1, 1, 1 }, new long[] { 1, 0, 0 }));
        list.Add((new long[] { 2, 3, 8, 48, 48 }, 16, new long[] { 1, 7, 7 }, new long[] { 1, 2, 2 }, new long[] { 0, 3, 3 }));
        list.Add((new long[] { 2, 79, 8, 24, 24 }, 16, new long[] { 1, 7, 7 }, new long[] { 1, 2, 2 }, new long[] { 0, 3, 3 }));
        list.Add((new long[] { 2, 16, 8, 24, 24 }, 16, new long[] { 7, 1, 1 }, new long[] { 2, 1, 1 }, new long[] { 3, 0, 0 }));
        foreach (var (cin, cout) in new[] { (16, 48), (12, 32), (8, 24), (48, 104), (96, 208), (64, 192) })
        {
            list.Add((new long[] { 2, cin, 8, 12, 12 }, cout, new long[] { 1, 3, 3 }, new long[] { 1, 1, 1 }, new long[] { 0, 1, 1 }));
            list.Add((new long[] { 2, cout, 8, 12, 12 }, cout, new long[] { 3, 1, 1 }, new long[] { 1, 1, 1 }, new long[] { 1, 0, 0 }));
            list.Add((new long[] { 2, cout, 4, 6, 6 }, cin, new long[] { 1, 1, 1 }, new long[] { 1, 1, 1 }, new long[] { 0, 0, 0 }));
        }
        foreach (int c in new[] { 24, 60, 96, 240 })
            list.Add((new long[] { 2, c, 8, 12, 12 }, c, new long[] { 7, 3, 3 }, new long[] { 1, 2, 2 }, new long[] { 3, 1, 1 }));
        return list;
    }

    /// <summary>
    /// Runs every shape of <see cref="Shapes"/> forward and backward in this process against float64, at the process's
    /// torch threads and, when <paramref name="alsoOneThread"/>, at 1 (oneDNN splits work differently); returns the
    /// largest relative error of output, input gradient and weight gradient. The thread count is process-wide, so only
    /// a process of its own (the child of <see cref="CheckInChild"/>) should switch it.
    /// </summary>
    public static (double MaxRelativeError, int Shapes, string Worst) RunInProcess(bool alsoOneThread = false)
    {
        TorchBackend.EnsureConfigured();
        int threads = torch.get_num_threads();
        double worst = 0;
        string worstWhat = "";
        var shapes = Shapes();
        try
        {
            foreach (int t in threads > 1 && alsoOneThread ? new[] { threads, 1 } : new[] { threads })
            {
                if (torch.get_num_threads() != t) torch.set_num_threads(t);
                foreach (var (input, cout, kernel, stride, padding) in shapes)
                {
                    using var scope = NewDisposeScope();
                    torch.manual_seed(0);
                    var x = randn(input).requires_grad_();
                    var w = (randn(new[] { cout, input[1], kernel[0], kernel[1], kernel[2] }) * 0.1).requires_grad_();
                    var x64 = x.detach().to(float64).requires_grad_();
                    var w64 = w.detach().to(float64).requires_grad_();
                    var y = nn.functional.conv3d(x, w, strides: stride, padding: padding);
                    var r = nn.functional.conv3d(x64, w64, strides: stride, padding: padding);
                    y.square().sum().backward();
                    r.square().sum().backward();
                    foreach (var (name, a, b) in new[] { ("output", y.detach(), r.detach()), ("input gradient", x.grad!, x64.grad!), ("weight gradient", w.grad!, w64.grad!) })
                    {
                        double err = (a.to(float64) - b).abs().max().item<double>() / Math.Max(b.abs().max().item<double>(), 1e-12);
                        if (double.IsNaN(err)) err = double.PositiveInfinity;
                        if (err > worst)
                        {
                            worst = err;
                            worstWhat = $"{name} of {input[1]}→{cout} k{string.Join("x", kernel)} on {string.Join("x", input)}, {t} thread(s)";
                        }
                    }
                }
            }
        }
        finally { if (torch.get_num_threads() != threads) torch.set_num_threads(threads); }
        return (worst, shapes.Count, worstWhat);
    }

    /// <summary>
    /// Runs the check in a child process at the CPU's best ISA (<paramref name="fileName"/> and
    /// <paramref name="arguments"/>: a program that calls <see cref="RunInProcess"/> and prints its
    /// <see cref="ChildLinePrefix"/> line), caches the verdict in <paramref name="directory"/> (default
    /// <see cref="CacheDirectory"/>) and returns it. A child that crashes or prints no result counts as "wrong" (an illegal instruction is
    /// as disqualifying as a wrong sum); one that has not finished after <see cref="TimeoutSeconds"/> (7 s on an idle
    /// 2-core machine; 2 min starved at nice 19 beside a workbook) counts as unchecked and is not cached.
    /// </summary>
    public static OneDnnVerdict CheckInChild(string fileName, IEnumerable<string> arguments, string? directory = null)
    {
        var psi = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        psi.Environment["SIGNNB_ONEDNN"] = "full";
        psi.Environment.Remove("ONEDNN_MAX_CPU_ISA");
        psi.Environment.Remove("DNNL_MAX_CPU_ISA");
        string key = MachineKey(), now = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {fileName}");
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEndAsync();
        OneDnnVerdict verdict;
        if (!p.WaitForExit(TimeoutSeconds * 1000))
        {
            // A slow machine is no evidence of wrong sums: keep the cap for now, but cache nothing, so the next check runs.
            try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            return new(key, false, double.PositiveInfinity, 0, now, $"the check did not finish in {TimeoutSeconds} s (not cached)");
        }
        else
        {
            var line = stdout.Result.Split('\n').FirstOrDefault(l => l.StartsWith(ChildLinePrefix, StringComparison.Ordinal));
            var parts = line?[ChildLinePrefix.Length..].Trim().Split(' ', 3);
            if (p.ExitCode != 0 || parts is null || parts.Length < 2
                || !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var err)
                || !int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
            {
                var why = stderr.Result.Split('\n').FirstOrDefault(l => l.Trim().Length > 0)?.Trim() ?? $"exit code {p.ExitCode}";
                verdict = new(key, false, double.PositiveInfinity, 0, now, $"the check failed: {why}");
            }
            else
            {
                verdict = new(key, err < Tolerance, err, n, now, parts.Length > 2 ? $"worst: {parts[2]}" : "");
            }
        }
        Save(verdict, directory);
        return verdict;
    }

    public const int TimeoutSeconds = 900;

    /// <summary>The line a child prints: the prefix, then the max relative error, the shape count and the worst case.</summary>
    public const string ChildLinePrefix = "onednn-check:";

    public static string ChildLine((double MaxRelativeError, int Shapes, string Worst) r) =>
        string.Create(CultureInfo.InvariantCulture, $"{ChildLinePrefix} {r.MaxRelativeError:G3} {r.Shapes} {r.Worst}");
}
