using SignNotebooks.Plots;
using SignNotebooks.Synthetic;

namespace SignNotebooks.Cli.Commands;

public sealed class SynthPreviewCommand : ICommand
{
    public string Name => "synth preview";
    public string Summary => "Write a SynthSign clip as a PNG strip with skeleton and an HTML viewer.";
    public string Usage => """
        signnb synth preview --out DIR [--profile tiny|standard|large] [--split train] [--index 0] [--frames 8]
                             [--seed 0] [--clean] [--lexicon] [--size WxH]
          Writes DIR/<clip>.png (frames with the true skeleton above the detected one, or only the true one with --clean) and
          DIR/<clip>.html (the same with the gloss timeline), DIR/<clip>.speed.html (hand speed vs detector misses); --lexicon also writes DIR/lexicon.png and
          DIR/lexicon.html (every sign with its phonological parameters).
        """;

    public int Run(CliArgs args)
    {
        string outDir = args.Require("out");
        var profile = SynthProfile.Get(args.GetOr("profile", "tiny"));
        string? size = args.Get("size");
        var ds = new SynthSignDataset(size is null ? profile : profile.WithSize(size), args.GetInt("seed", 0));
        string split = args.GetOr("split", "train");
        int index = args.GetInt("index", 0, min: 0), frames = args.GetInt("frames", 8, min: 1);
        bool clean = args.Flag("clean"), lexicon = args.Flag("lexicon");
        args.EnsureAllUsed();
        var clip = ds.Generate(split, index);
        SynthExport.EnsureWritable(outDir);
        var png = Path.Combine(outDir, clip.Name + ".png");
        (clean ? SynthViews.ClipStrip(clip, frames, detected: false) : SynthViews.CompareStrip(clip, frames)).SavePng(png);
        var html = Path.Combine(outDir, clip.Name + ".html");
        File.WriteAllText(html, SynthViews.ClipViewerHtml(clip, frames, detected: !clean, compare: !clean));
        File.WriteAllText(Path.Combine(outDir, clip.Name + ".speed.html"), SynthCharts.HandSpeedHtml(clip));
        Console.WriteLine($"{clip.Name}: {clip.FrameCount} frames, {clip.Signer.Id}, {clip.BackgroundFamily}, glosses {string.Join(' ', clip.Glosses)}");
        Console.WriteLine($"  translation: {clip.Translation}");
        Console.WriteLine($"wrote {png} and {html}");
        if (lexicon)
        {
            SynthLexiconSheet.Image(ds.Corpus, tile: 96).SavePng(Path.Combine(outDir, "lexicon.png"));
            File.WriteAllText(Path.Combine(outDir, "lexicon.html"), SynthLexiconSheet.Html(ds.Corpus));
            Console.WriteLine($"wrote {Path.Combine(outDir, "lexicon.png")} and lexicon.html");
        }
        return 0;
    }
}
