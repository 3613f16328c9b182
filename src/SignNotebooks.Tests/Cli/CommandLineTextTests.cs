using System.Text.RegularExpressions;
using SignNotebooks.Cli;

namespace SignNotebooks.Tests.Cli;

/// <summary>What a newcomer reads first: `--version`, and every command's `--help`.</summary>
[Collection("Console")]
public partial class CommandLineTextTests
{
    [Fact]
    public void Version_names_the_build_commit_TorchSharp_libtorch_and_ONNX_Runtime()
    {
        var (code, stdout, _) = CliCapture.Run("--version");
        Assert.Equal(0, code);
        Assert.Matches(@"signnb \d+\.\d+\.\d+, commit [0-9a-f]{40}", stdout);
        Assert.Matches(@"TorchSharp \d+\.\d+\.\d+[.\d]*, libtorch \d+\.\d+", stdout);
        Assert.Matches(@"ONNX Runtime \d+\.\d+\.\d+", stdout);
    }

    // Text, two or more spaces, then an option: two usage lines joined into one ("...machine  --stage g2t").
    [GeneratedRegex(@"[^\s,]\s{2,}--[a-z]")]
    private static partial Regex JoinedLines();

    [Fact]
    public void No_usage_runs_two_lines_together()
    {
        var joined = CommandLine.All.SelectMany(c => c.Usage.Split('\n').Where(l => JoinedLines().IsMatch(l)).Select(l => $"{c.Name}: {l.Trim()}")).ToList();
        Assert.True(joined.Count == 0, string.Join('\n', joined));
    }

    [Fact]
    public void Train_synopsis_lists_the_translation_options()
    {
        var usage = CommandLine.All.Single(c => c.Name == "train").Usage;
        var synopsis = string.Join('\n', usage.Split('\n').TakeWhile(l => !l.TrimStart().StartsWith("--", StringComparison.Ordinal)));
        foreach (var option in new[] { "--recognition", "--g2t", "--source", "--mapper" }) Assert.Contains(option, synopsis);
    }

    [Fact]
    public void Usage_errors_and_help_texts_end_a_sentence_with_one_period()
    {
        // A usage message built from an inner message that ends with its own period keeps one ("… denied.. Fix" → "… denied. Fix").
        Assert.Equal("cannot read a.json: Access to the path is denied. Fix: pass a file.",
            new UsageException("cannot read a.json: Access to the path is denied.. Fix: pass a file.").Message);
        Assert.Equal("see ../data and wait...", new UsageException("see ../data and wait...").Message);
        var doubled = CommandLine.All.SelectMany(c => (c.Summary + "\n" + c.Usage).Split('\n')
            .Where(l => Regex.IsMatch(l, @"(?<!\.)\.\.(?=\s|$)")).Select(l => $"{c.Name}: {l.Trim()}")).ToList();
        Assert.True(doubled.Count == 0, string.Join('\n', doubled));
    }
}
