using System.Diagnostics;
using SignNotebooks.Synthetic;

namespace SignNotebooks.Cli.Commands;

public sealed class SynthExportCommand : ICommand
{
    public string Name => "synth export";
    public string Summary => "Write the SynthSign corpus in the Phoenix-2014T folder layout (PNG frames, CSV, keypoints).";
    public string Usage => """
        signnb synth export --out DIR [--profile tiny|standard|large] [--format phoenix-2014t] [--limit N]
                            [--seed 0] [--clutter 1] [--noise 1] [--size WxH]
          --limit N    at most N clips per split (quick looks at big profiles)
          --size WxH   raw frame size instead of the profile's (e.g. 96x96)
          --clutter X  background clutter knob (0 = none, 1 = default); --noise X keypoint-detector noise knob
          Layout: DIR/annotations/manual/PHOENIX-2014-T.<split>.corpus.csv, DIR/features/fullFrame-WxHpx/<split>/<name>/
          images0001.png…, DIR/keypoints/<split>/<name>.npy, DIR/groundtruth/… (see DIR/README.md).
        """;

    public int Run(CliArgs args)
    {
        string outDir = args.Require("out");
        string profile = args.GetOr("profile", "tiny"), format = args.GetOr("format", "phoenix-2014t");
        int limit = args.GetInt("limit", int.MaxValue, min: 1), seed = args.GetInt("seed", 0);
        var knobs = new SynthKnobs(Clutter: args.GetDouble("clutter", 1, min: 0), KeypointNoise: args.GetDouble("noise", 1, min: 0));
        string? size = args.Get("size");
        args.EnsureAllUsed();
        if (limit < 1) throw new UsageException("--limit must be at least 1");
        var p = SynthProfile.Get(profile);
        var ds = new SynthSignDataset(size is null ? p : p.WithSize(size), seed, knobs);
        var sw = Stopwatch.StartNew();
        int n = SynthExport.Export(ds, outDir, format, limit, line => Console.WriteLine($"  {line}"));
        Console.WriteLine($"synth export: {n} clips of profile {ds.Profile.Name} written to {outDir} in {sw.Elapsed.TotalSeconds:F1} s ({format} layout)");
        return 0;
    }
}
