using System.Reflection;

namespace SignNotebooks.Util;

/// <summary>What `signnb --version` prints: this build and the native runtimes it actually loads.</summary>
public static class VersionInfo
{
    /// <summary>The project version and the git commit the build was made from (the SDK's source-link stamp).</summary>
    public static (string Version, string Commit) Build()
    {
        var informational = typeof(VersionInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "";
        var parts = informational.Split('+', 2);
        var version = parts[0].Length > 0 ? parts[0] : typeof(VersionInfo).Assembly.GetName().Version?.ToString() ?? "unknown";
        return (version, parts.Length > 1 ? parts[1] : "unknown (built outside a git checkout)");
    }

    public static IReadOnlyList<string> Lines()
    {
        var (version, commit) = Build();
        return
        [
            $"signnb {version}, commit {commit}",
            $"TorchSharp {typeof(TorchSharp.torch).Assembly.GetName().Version}, libtorch {TorchSharp.torch.__version__} " +
                $"({(TorchSharp.torch.cuda.is_available() ? "cuda" : "cpu")})",
            $"ONNX Runtime {Microsoft.ML.OnnxRuntime.OrtEnv.Instance().GetVersionString()}",
            $".NET {Environment.Version}",
        ];
    }
}
