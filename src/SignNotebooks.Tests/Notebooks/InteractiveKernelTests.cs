using System.Diagnostics;
using System.Text.Json.Nodes;
using SignNotebooks.Util;

namespace SignNotebooks.Tests.Notebooks;

/// <summary>
/// The VS Code / Jupyter route: notebook 00 executed by dotnet-repl 0.3.259 (pinned in .config/dotnet-tools.json),
/// whose kernel ships FSharp.Core 10.0 and older ASP.NET HTML abstractions. It passes only when the set-up cell's
/// resolvers work there and the library's display types compile in that kernel.
/// </summary>
public class InteractiveKernelTests
{
    [Fact]
    public void Notebook_00_runs_in_the_dotnet_repl_kernel_with_its_chart()
    {
        var output = Path.Combine(Path.GetTempPath(), $"signnb-repl-{Guid.NewGuid():N}.ipynb");
        try
        {
            Run("dotnet", "tool restore", RepoPaths.Root, 300);
            var (code, log) = Run("dotnet", $"repl --run 00_quickstart.ipynb --exit-after-run --output-path \"{output}\"", RepoPaths.Notebooks, 600);
            var cells = JsonNode.Parse(File.ReadAllText(output))!["cells"]!.AsArray();
            var errors = cells.SelectMany(c => c!["outputs"]?.AsArray() ?? []).Where(o => (string?)o!["output_type"] == "error")
                .Select(o => (string?)o!["evalue"]).ToList();
            Assert.True(code == 0 && errors.Count == 0, $"dotnet repl exit {code}; cell errors:\n{string.Join("\n", errors)}\n{log}");
            Assert.Contains(cells, c => c!["outputs"]?.ToJsonString().Contains("Plotly chart will be drawn") == true);
        }
        finally { File.Delete(output); }
    }

    private static (int code, string log) Run(string file, string args, string dir, int timeoutSeconds)
    {
        var psi = new ProcessStartInfo(file, args) { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeoutSeconds * 1000)) { p.Kill(true); throw new TimeoutException($"{file} {args} took over {timeoutSeconds} s"); }
        return (p.ExitCode, stdout.Result + stderr.Result);
    }
}
