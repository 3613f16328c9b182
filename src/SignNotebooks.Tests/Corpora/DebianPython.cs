using System.Diagnostics;

namespace SignNotebooks.Tests.Corpora;

/// <summary>
/// Debian's /usr/bin/python3 with numpy, used to write the pickles the corpus readers must accept, the same way
/// SLRT's files were written (pickle.dump, gzip). Tests skip, with the reason, only when numpy is missing outside CI.
/// </summary>
internal static class DebianPython
{
    public const string Python = "/usr/bin/python3";

    private static readonly Lazy<string?> missing = new(() => Has("numpy"));
    private static readonly Lazy<string?> missingTorch = new(() => Has("torch"));

    private static string? Has(string module)
    {
        if (!File.Exists(Python)) return $"{Python} not found";
        try
        {
            var (code, _, err) = Run($"import {module}", []);
            return code == 0 ? null : $"{Python} cannot import {module} ({err.Trim().Split('\n').Last()}); install python3-{module}";
        }
        catch (Exception e) { return e.Message; }
    }

    // In CI (env CI set; .ci/run sets it) these tests never skip: a missing module fails them loudly, as the
    // PyTorch and TFLite reference tests do, so CI cannot pass by skipping.
    private static bool InCi => Environment.GetEnvironmentVariable("CI") is { Length: > 0 };

    /// <summary>Why numpy pickles cannot be written here, or null (always null in CI).</summary>
    public static string? MissingNumpy => InCi ? null : missing.Value;
    public static string? MissingTorch => InCi ? null : missing.Value ?? missingTorch.Value;

    /// <summary>Runs a script (passed on stdin) with arguments; throws with stderr when it fails.</summary>
    public static string RunScript(string script, params string[] args)
    {
        var (code, output, err) = Run(script, args);
        if (code != 0) throw new InvalidOperationException($"python failed ({code}):\n{err}\n{output}");
        return output;
    }

    private static (int code, string stdout, string stderr) Run(string script, string[] args)
    {
        var psi = new ProcessStartInfo(Python) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("-");
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["OMP_NUM_THREADS"] = "1";
        using var p = Process.Start(psi)!;
        p.StandardInput.Write(script);
        p.StandardInput.Close();
        var so = p.StandardOutput.ReadToEndAsync();
        var se = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromSeconds(120))) { p.Kill(true); throw new TimeoutException("python took longer than 120 s"); }
        return (p.ExitCode, so.Result, se.Result);
    }
}

/// <summary>A fact that needs numpy in /usr/bin/python3; skipped with the reason when it is missing.</summary>
public sealed class NumpyFactAttribute : FactAttribute
{
    public NumpyFactAttribute()
    {
        if (DebianPython.MissingNumpy is { } why) Skip = "numpy pickles cannot be written here: " + why;
    }
}

/// <summary>A fact that needs torch in /usr/bin/python3 (for SLRT's tensor placeholder); skipped with the reason otherwise.</summary>
public sealed class TorchPickleFactAttribute : FactAttribute
{
    public TorchPickleFactAttribute()
    {
        if (DebianPython.MissingTorch is { } why) Skip = "torch pickles cannot be written here: " + why;
    }
}
