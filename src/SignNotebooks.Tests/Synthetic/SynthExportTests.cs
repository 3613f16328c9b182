using System.Text;
using SignNotebooks.Cli;
using SignNotebooks.Plots;
using SignNotebooks.Synthetic;
using SignNotebooks.Util;

namespace SignNotebooks.Tests.Synthetic;

public sealed class SynthExportTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "signnb-synth-" + Guid.NewGuid().ToString("N"));
    public void Dispose() { if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true); }

    [Fact]
    public void Export_writes_the_phoenix_2014t_layout_with_keypoints_and_ground_truth()
    {
        var ds = new SynthSignDataset("tiny");
        int n = SynthExport.Export(ds, _dir, limit: 2);
        Assert.Equal(8, n);
        foreach (var split in ds.Splits)
        {
            var csv = File.ReadAllLines(Path.Combine(_dir, "annotations", "manual", $"PHOENIX-2014-T.{split}.corpus.csv"), Encoding.UTF8);
            Assert.Equal("name|video|start|end|speaker|orth|translation", csv[0]);
            Assert.Equal(3, csv.Length);
            var f = csv[1].Split('|');
            Assert.Equal(7, f.Length);
            var clip = ds.Generate(split, 0);
            Assert.Equal(clip.Name, f[0]);
            Assert.Equal($"{clip.Name}/1/*.png", f[1]);
            Assert.Equal(["-1", "-1"], f[2..4]);
            Assert.Equal(clip.Signer.Id, f[4]);
            Assert.Equal(string.Join(' ', clip.Glosses), f[5]);
            Assert.Equal(clip.Translation, f[6]);

            var frames = Path.Combine(_dir, "features", "fullFrame-64x64px", split, clip.Name);
            var pngs = Directory.GetFiles(frames, "*.png").Order().ToArray();
            Assert.Equal(clip.FrameCount, pngs.Length);
            Assert.Equal("images0001.png", Path.GetFileName(pngs[0]));
            Assert.Equal((64, 64), PngEncoder.ReadSize(File.ReadAllBytes(pngs[0])));

            var npy = File.ReadAllBytes(Path.Combine(_dir, "keypoints", split, clip.Name + ".npy"));
            Assert.Equal(0x93, npy[0]);
            int headerLen = BitConverter.ToUInt16(npy, 8);
            Assert.Contains($"'shape': ({clip.FrameCount}, 133, 3)", Encoding.ASCII.GetString(npy, 10, headerLen));
            Assert.Equal(0, (10 + headerLen) % 64);
            Assert.Equal(10 + headerLen + clip.FrameCount * 133 * 3 * 4, npy.Length);
            Assert.Equal(clip.DetectedKeypoints[5], BitConverter.ToSingle(npy, 10 + headerLen + 5 * 4));
            Assert.True(File.Exists(Path.Combine(_dir, "groundtruth", split, clip.Name + ".clean.npy")));
            var truth = File.ReadAllLines(Path.Combine(_dir, "groundtruth", split + ".jsonl"));
            Assert.Equal(2, truth.Length);
            Assert.Contains("\"frame_gloss\":[-1", truth[0]);
        }
        Assert.True(File.Exists(Path.Combine(_dir, "synthsign.json")));
        Assert.True(File.Exists(Path.Combine(_dir, "README.md")));
    }

    [Fact]
    public void Exported_png_decodes_to_the_clip_frame()
    {
        var ds = new SynthSignDataset("tiny");
        var clip = ds.Generate("train", 1);
        var png = PngEncoder.Encode(clip.Frames!, 64 * 64 * 3 * 2, 64, 64);
        // Decode IDAT with zlib and compare with the frame (filter type 0 on every row).
        int pos = 8; var idat = new MemoryStream();
        while (pos < png.Length)
        {
            int len = (png[pos] << 24) | (png[pos + 1] << 16) | (png[pos + 2] << 8) | png[pos + 3];
            string type = Encoding.ASCII.GetString(png, pos + 4, 4);
            if (type == "IDAT") idat.Write(png, pos + 8, len);
            pos += 12 + len;
        }
        idat.Position = 0;
        using var z = new System.IO.Compression.ZLibStream(idat, System.IO.Compression.CompressionMode.Decompress);
        var raw = new MemoryStream(); z.CopyTo(raw);
        var bytes = raw.ToArray();
        Assert.Equal(64 * (1 + 64 * 3), bytes.Length);
        for (int y = 0; y < 64; y++)
        {
            Assert.Equal(0, bytes[y * 193]);
            Assert.Equal(clip.Frames.AsSpan(64 * 64 * 3 * 2 + y * 192, 192).ToArray(), bytes.AsSpan(y * 193 + 1, 192).ToArray());
        }
    }

    [Fact]
    public void Bad_format_profile_and_output_folder_are_clear_errors()
    {
        var ds = new SynthSignDataset("tiny");
        var e = Assert.Throws<UserFacingException>(() => SynthExport.Export(ds, _dir, "phoenix-2014", limit: 1));
        Assert.Contains("phoenix-2014t", e.Message);
        Directory.CreateDirectory(_dir);
        var file = Path.Combine(_dir, "a-file");
        File.WriteAllText(file, "x");
        var w = Assert.Throws<UserFacingException>(() => SynthExport.Export(ds, Path.Combine(file, "out"), limit: 1));
        Assert.Contains("a-file", w.Message);
        Assert.Contains("--out", w.Message);

        Assert.Equal(1, CommandLine.Run(["synth", "export", "--out", _dir, "--profile", "enormous"]));
        Assert.Equal(1, CommandLine.Run(["synth", "export", "--out", Path.Combine(file, "out"), "--limit", "1"]));
        Assert.Equal(2, CommandLine.Run(["synth", "export", "--out", _dir, "--bogus", "1"]));
    }

    [Fact]
    public void Preview_command_writes_the_viewer_files()
    {
        Assert.Equal(0, CommandLine.Run(["synth", "preview", "--out", _dir, "--split", "dev", "--index", "2", "--frames", "4", "--lexicon"]));
        foreach (var f in new[] { "dev-00002.png", "dev-00002.html", "dev-00002.speed.html", "lexicon.png", "lexicon.html" })
            Assert.True(new FileInfo(Path.Combine(_dir, f)).Length > 100, f);
        Assert.Equal(2, CommandLine.Run(["synth", "preview"]));   // --out is required
    }

    [Fact]
    public void Clip_viewer_and_lexicon_sheet_render()
    {
        var ds = new SynthSignDataset("tiny");
        var clip = ds.Generate("dev", 0);
        var strip = SynthViews.ClipStrip(clip, count: 5, scale: 2);
        Assert.Equal((5 * 128 + 4 * 2, 128), (strip.Width, strip.Height));
        Assert.Equal((strip.Width, strip.Height), PngEncoder.ReadSize(strip.ToPng()));
        var both = SynthViews.CompareStrip(clip, count: 5, scale: 1);
        Assert.Equal((5 * 64 + 4 * 2, 2 * 64 + 2), (both.Width, both.Height));
        var html = SynthViews.ClipViewerHtml(clip, compare: true);
        Assert.Contains("data:image/png;base64,", html);
        foreach (var g in clip.Glosses) Assert.Contains(g, html);
        var chart = SynthCharts.HandSpeedHtml(clip);
        Assert.Contains("right hand speed", chart);
        Assert.Contains(clip.Glosses[0], chart);
        var sheet = SynthLexiconSheet.Image(ds.Corpus, columns: 8, tile: 48);
        Assert.Equal((8 * 48, 5 * 48), (sheet.Width, sheet.Height));
        var sheetHtml = SynthLexiconSheet.View(ds.Corpus).Html;
        var w = new StringWriter();
        strip.WriteTo(w, System.Text.Encodings.Web.HtmlEncoder.Default);
        Assert.StartsWith("<img src=\"data:image/png;base64,", w.ToString());
        Assert.Contains(clip.Translation, SynthViews.ClipViewer(clip).Html);
        // What a notebook cell shows: .NET Interactive's formatter renders the picture as the <img> itself.
        Assert.StartsWith("<img src=", Microsoft.DotNet.Interactive.Formatting.Formatter.ToDisplayString(strip, "text/html"));
        Assert.Contains("MAYBE", sheetHtml);
        Assert.Contains("handshape", sheetHtml);
    }
}
