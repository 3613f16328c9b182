using System.Diagnostics;

namespace SignNotebooks.Tests.Notebooks;

/// <summary>
/// Debian's chromium (environment/setup.sh --test installs it), headless and without a network: in a network
/// namespace of its own when `unshare -n` is allowed (as root), and in any case with every host name unresolvable,
/// so a page that needs a CDN fails here as it would on the project's offline machines.
/// </summary>
internal static class HeadlessChromium
{
    public const string Binary = "/usr/bin/chromium";

    private static readonly Lazy<bool> CanUnshare = new(() =>
    {
        try { return Exec("unshare", ["-n", "true"], TimeSpan.FromSeconds(20)).Code == 0; }
        catch (System.ComponentModel.Win32Exception) { return false; }
    });

    /// <summary>The DOM after the page's scripts ran for up to <paramref name="budgetMs"/> ms of virtual time.</summary>
    public static string DumpDom(string htmlPath, int budgetMs = 10000) =>
        Run(htmlPath, budgetMs, ["--dump-dom"]);

    /// <summary>A PNG screenshot of the page's first <paramref name="width"/> × <paramref name="height"/> pixels.</summary>
    public static byte[] Screenshot(string htmlPath, int width, int height, int budgetMs = 10000)
    {
        var png = Path.Combine(Path.GetDirectoryName(htmlPath)!, Path.GetFileNameWithoutExtension(htmlPath) + ".png");
        Run(htmlPath, budgetMs, [$"--screenshot={png}", $"--window-size={width},{height}", "--hide-scrollbars"]);
        return File.ReadAllBytes(png);
    }

    private static string Run(string htmlPath, int budgetMs, string[] action)
    {
        if (!File.Exists(Binary))
            throw new InvalidOperationException($"{Binary} not found. Fix: environment/setup.sh --test (installs Debian's chromium).");
        var profile = Path.Combine(Path.GetTempPath(), "signnb-chromium-" + Guid.NewGuid().ToString("N"));
        var args = new List<string>
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--disable-extensions", "--user-data-dir=" + profile,
            "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9",
            "--virtual-time-budget=" + budgetMs,
        };
        args.AddRange(action);
        args.Add(new Uri(Path.GetFullPath(htmlPath)).AbsoluteUri);
        try
        {
            var (code, stdout, stderr) = CanUnshare.Value
                ? Exec("unshare", ["-n", Binary, .. args], TimeSpan.FromMinutes(3))
                : Exec(Binary, args, TimeSpan.FromMinutes(3));
            if (code != 0) throw new InvalidOperationException($"chromium exited with {code} on {htmlPath}:\n{Tail(stderr)}");
            return stdout;
        }
        finally { try { Directory.Delete(profile, true); } catch (IOException) { } }
    }

    private static string Tail(string s) => string.Join('\n', s.Split('\n').TakeLast(15));

    private static (int Code, string Stdout, string Stderr) Exec(string file, IEnumerable<string> args, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["DBUS_SESSION_BUS_ADDRESS"] = "disabled:"; // no session bus here; spares its retries
        using var p = Process.Start(psi)!;
        var so = p.StandardOutput.ReadToEndAsync();
        var se = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout)) { p.Kill(true); throw new TimeoutException($"{file} took longer than {timeout.TotalSeconds} s"); }
        return (p.ExitCode, so.Result, se.Result);
    }
}
