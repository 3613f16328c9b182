using System.Diagnostics;
using SignNotebooks.Util;

namespace SignNotebooks.Tests.Models;

/// <summary>
/// Runs the reference scripts in environment/tools/pytorch with Debian's /usr/bin/python3 (torch 1.13 +
/// torchvision 0.14). Tests using it are skipped, with the reason shown, only when that Python lacks torch and we
/// are not in CI; in CI (env CI set) they run and fail loudly instead.
/// </summary>
internal static class PyTorchReference
{
    public const string Python = "/usr/bin/python3";

    private static readonly Lazy<string?> missing = new(() =>
    {
        if (!File.Exists(Python)) return $"{Python} not found";
        try
        {
            var (code, _, err) = Run("-c \"import torch, torchvision\"", TimeSpan.FromSeconds(60));
            return code == 0 ? null : $"{Python} cannot import torch/torchvision ({err.Trim().Split('\n').Last()}); install python3-torch python3-torchvision";
        }
        catch (Exception e) { return e.Message; }
    });

    /// <summary>Why the reference cannot run here, or null when it can.</summary>
    public static string? MissingReason => Environment.GetEnvironmentVariable("CI") is { Length: > 0 } ? null : missing.Value;

    /// <summary>Why <paramref name="module"/> cannot be imported by the reference Python, or null when it can (or in CI).</summary>
    public static string? MissingModule(string module, string package)
    {
        if (MissingReason is { } why) return why;
        if (Environment.GetEnvironmentVariable("CI") is { Length: > 0 }) return null;
        var (code, _, err) = Run($"-c \"import {module}\"", TimeSpan.FromSeconds(60));
        return code == 0 ? null : $"{Python} cannot import {module} ({err.Trim().Split('\n').Last()}); install {package} (environment/setup.sh --test)";
    }

    public static string Script(string name) => Path.Combine(RepoPaths.Root, "environment", "tools", "pytorch", name);

    /// <summary>Runs a reference script; throws with its stderr when it fails.</summary>
    public static string RunScript(string name, string args, int timeoutSeconds = 300)
    {
        var (code, output, err) = Run($"\"{Script(name)}\" {args}", TimeSpan.FromSeconds(timeoutSeconds));
        if (code != 0) throw new InvalidOperationException($"{name} failed ({code}):\n{err}\n{output}");
        return output;
    }

    private static (int code, string stdout, string stderr) Run(string args, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(Python, args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.Environment["OMP_NUM_THREADS"] = "2";
        using var p = Process.Start(psi)!;
        var so = p.StandardOutput.ReadToEndAsync();
        var se = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout)) { p.Kill(true); throw new TimeoutException($"python {args} took longer than {timeout}"); }
        return (p.ExitCode, so.Result, se.Result);
    }

    public static string TempDir()
    {
        var d = Path.Combine(Path.GetTempPath(), "signnb-ref-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(d);
        return d;
    }
}

/// <summary>A fact that needs the PyTorch reference; skipped with the reason when it is unavailable outside CI.</summary>
public sealed class PyTorchFactAttribute : FactAttribute
{
    public PyTorchFactAttribute()
    {
        if (PyTorchReference.MissingReason is { } why) Skip = "PyTorch reference unavailable: " + why;
    }
}
