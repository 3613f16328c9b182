using System.Globalization;
using System.Text.RegularExpressions;
using SignNotebooks.Tests.Corpora;

namespace SignNotebooks.Tests.Training;

/// <summary>`signnb plan`: a short probe on the longest clips, its extrapolation, and the warning when memory will not do.</summary>
[Collection("Console")]
public sealed class PlanCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("signnb-plan-").FullName;
    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public void The_probe_measures_and_extrapolates_and_warns_when_memory_is_short()
    {
        var (code, stdout, stderr) = CliCapture.Run("plan", "--stage", "video", "--profile", "tiny", "--steps", "2");
        Assert.True(code == 0, stdout + stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("plan: stage Video, profile tiny, 2 epochs, batch 8 = 1 × 8 per pass, device cpu", lines[1]);
        var data = Regex.Match(lines[2], @"^data: 48 train clips \(mean ([\d.]+) frames, longest (\d+)\), 8 dev clips");
        Assert.True(data.Success, lines[2]);
        var probe = Regex.Match(lines[3], @"^probe: 2 passes on the 8 longest train clips \(L = (\d+)\): ([\d.]+) s per pass .*, ([\d.]+) s per eval pass; peak RSS ([\d.]+) GB$");
        Assert.True(probe.Success, lines[3]);
        int longest = int.Parse(data.Groups[2].Value), probed = int.Parse(probe.Groups[1].Value);
        Assert.Equal(longest / 4 * 4, probed);                                  // eval sampling truncates to a multiple of 4 (spec §7.3)
        Assert.True(double.Parse(probe.Groups[2].Value, CultureInfo.InvariantCulture) > 0);
        Assert.True(double.Parse(probe.Groups[4].Value, CultureInfo.InvariantCulture) > 0.05);
        Assert.StartsWith("estimate: 6 passes per epoch ≈ ", lines[4]);          // 48 clips / 8 per pass
        Assert.EndsWith("→ fits", lines[5]);

        (code, stdout, _) = CliCapture.Run("plan", "--stage", "video", "--profile", "tiny", "--steps", "2", "--memory", "0.01");
        Assert.Equal(3, code);
        Assert.Contains("available 0.01 GB → does NOT fit", stdout);
        Assert.Contains("warning: the run will probably run out of memory. Fix: lower MicroBatch", stdout);

        (code, _, stderr) = CliCapture.Run("plan", "--profile", "tiny", "--steps", "1");
        Assert.Equal(1, code);
        Assert.Contains("--steps 1: the probe needs at least 2 passes", stderr);
    }

    [Fact]
    public void The_probe_runs_on_a_real_corpus_folder()
    {
        var root = Path.Combine(_dir, "corpus");
        CorpusFixtures.ExportPhoenix2014T(root);
        var (code, stdout, stderr) = CliCapture.Run("plan", "--stage", "video", "--profile", "tiny", "--steps", "2", "--dataset", "phoenix-2014t", "--data-root", root);
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains($"corpus: Phoenix-2014T (original layout) at {root}", stdout);
        Assert.Contains("data: 2 train clips", stdout);
        Assert.Contains("estimate: 1 passes per epoch", stdout);
    }
}
