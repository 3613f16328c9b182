using SignNotebooks.Corpora;

namespace SignNotebooks.Cli.Commands;

public sealed class DataCheckCommand : ICommand
{
    public string Name => "data check";
    public string Summary => "Check a Phoenix-2014, Phoenix-2014T or CSL-Daily folder (the release or SLRT's preprocessed form) before training.";
    public string Usage => """
        signnb data check --dataset phoenix-2014|phoenix-2014t|csl-daily --root DIR [--keypoints FILE] [--gloss2ids FILE]
                          [--frames ZIP|DIR] [--decode]
          --root DIR        the original release: Phoenix DIR/annotations/manual/… and DIR/features/fullFrame-210x260px/…;
                            CSL-Daily DIR/sentence_label/{csl2020ct_v2.pkl,split_1.txt} and DIR/sentence_frames-512x512/…;
                            or SLRT's preprocessed data/<dataset>/ folder (<dataset>.train/.dev/.test gzip pickles), whose
                            gloss2ids.pkl, <dataset>-keypoints.pkl and <dataset>-videos.zip (or <dataset>-videos/) are used
                            unless given explicitly
          --frames ZIP|DIR  SLRT form: the frames, at the inner paths of spec §9
          --keypoints FILE  SLRT's <dataset>-keypoints.pkl: its frame counts are compared with the frame folders
          --gloss2ids FILE  SLRT's gloss2ids.pkl: annotation glosses it lacks (they would train as <unk>)
          --decode          decode every frame (slow) instead of checking each file's header and end
          Prints one line per problem (error: / warning:, the file, what is wrong, the fix), then a summary.
          Exit code 1 when there are errors, 0 otherwise (warnings do not fail).
        """;

    public int Run(CliArgs args)
    {
        string dataset = args.Require("dataset"), root = args.Require("root");
        string? keypoints = args.Get("keypoints"), glossIds = args.Get("gloss2ids"), frames = args.Get("frames");
        bool decode = args.Flag("decode");
        args.EnsureAllUsed();
        if (!CorpusLayout.Names.Contains(dataset))
            throw new UsageException($"--dataset must be one of {string.Join(", ", CorpusLayout.Names)} (got '{dataset}')");
        CheckReport report;
        if (Directory.Exists(root) && CorpusSource.DetectForm(dataset, root) == CorpusForm.Slrt)
        {
            var found = CorpusSource.FindCompanions(dataset, root);
            Console.WriteLine($"SLRT preprocessed form: {dataset}.train/.dev/.test in {root}");
            report = CorpusCheck.RunSlrt(dataset, root, frames ?? found.Frames, keypoints ?? found.Keypoints, glossIds ?? found.GlossIds, decode);
        }
        else
        {
            if (frames is not null) throw new UsageException("--frames is for SLRT's preprocessed form (a folder with <dataset>.train); the original release keeps frames under --root");
            report = CorpusCheck.Run(dataset, root, keypoints, decode, glossIds);
        }
        foreach (var p in report.Problems) Console.WriteLine(p);
        Console.WriteLine(report.Summary);
        return report.Errors > 0 ? 1 : 0;
    }
}
