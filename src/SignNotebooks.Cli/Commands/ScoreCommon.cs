using SignNotebooks.Evaluation;

namespace SignNotebooks.Cli.Commands;

/// <summary>Options shared by the <c>score</c> commands: the two transcript files and how to read them.</summary>
internal static class ScoreCommon
{
    public const string FileFormat =
        "  Files: UTF-8, one `ID<TAB>text` line per sentence; ids must match as sets (order free);\n" +
        "  an empty hypothesis is `ID<TAB>`.";

    /// <summary>
    /// Takes --hyp and --ref, refuses unknown options, then reads the pairs: call it after the command's other
    /// options, so a typo is reported before any file is read.
    /// </summary>
    public static IReadOnlyList<ScoringPair> ReadPairs(CliArgs args)
    {
        var hypPath = args.Require("hyp");
        var refPath = args.Require("ref");
        args.EnsureAllUsed();
        return TranscriptFile.ReadPairs(hypPath, refPath);
    }

    public static GlossCleanup Cleanup(CliArgs args)
    {
        var name = args.GetOr("cleanup", "none");
        return GlossCleaner.Parse(name) ?? throw new UsageException($"--cleanup must be phoenix-2014, phoenix-2014t, csl-daily or none (got '{name}')");
    }

    public static TextLevel Level(CliArgs args) => args.GetOr("level", "word").ToLowerInvariant() switch
    {
        "word" => TextLevel.Word,
        "char" => TextLevel.Char,
        var v => throw new UsageException($"--level must be word or char (got '{v}')"),
    };

    public static string F(double x) => x.ToString("F2", System.Globalization.CultureInfo.InvariantCulture);
}
