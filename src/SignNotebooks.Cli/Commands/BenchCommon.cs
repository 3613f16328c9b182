using SignNotebooks.Models;

namespace SignNotebooks.Cli.Commands;

/// <summary>What the bench commands share: the load average they print and how they name a two-stream variant.</summary>
internal static class BenchCommon
{
    /// <summary>The 1-minute load average ("?" off Linux): on a shared machine it says how far the numbers can be trusted.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

    /// <summary>paper, standard and tiny name the two-stream variants of those profiles; any other name is looked up as is.</summary>
    public static ModelVariant Variant(string name) =>
        ModelRegistry.Get(name is "paper" or "standard" or "tiny" ? "twostream-" + name : name);
}
