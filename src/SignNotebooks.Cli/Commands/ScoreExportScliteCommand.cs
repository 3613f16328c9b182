using SignNotebooks.Evaluation;

namespace SignNotebooks.Cli.Commands;

public sealed class ScoreExportScliteCommand : ICommand
{
    public string Name => "score export-sclite";
    public string Summary => "Write ref/hyp as sclite trn (and stm/ctm) files, to score with NIST sclite.";
    public string Usage =>
        "signnb score export-sclite --hyp H --ref R --out DIR [--cleanup phoenix-2014|phoenix-2014t|csl-daily|none]\n" +
        ScoreCommon.FileFormat + "\n" +
        "  Writes DIR/ref.trn, DIR/hyp.trn, DIR/ref.stm, DIR/hyp.ctm (clean-up applied) and prints the sclite commands.";

    public int Run(CliArgs args)
    {
        var cleanup = ScoreCommon.Cleanup(args);
        var outDir = args.Require("out");
        var pairs = ScoreCommon.ReadPairs(args);
        var files = ScliteFiles.Export(pairs, outDir, cleanup);
        foreach (var f in files) Console.WriteLine($"wrote {f}");
        Console.WriteLine($"score with: {ScliteFiles.TrnCommand(files[0], files[1])}");
        Console.WriteLine($"        or: {ScliteFiles.StmCtmCommand(files[2], files[3])}");
        return 0;
    }
}
