namespace SignNotebooks.Tests.Translation;

/// <summary>`signnb train --stage g2t` and `signnb evaluate` on a translation run, tiny profile.</summary>
[Collection("Console")]
public class TranslationCommandTests
{
    [Fact]
    public void Gloss2text_trains_on_tiny_synthsign_and_evaluate_reports_bleu_and_rouge()
    {
        var dir = Directory.CreateTempSubdirectory("signnb-g2t").FullName;
        try
        {
            var run = Path.Combine(dir, "g2t");
            var (code, stdout, stderr) = CliCapture.Run("train", "--stage", "g2t", "--profile", "tiny", "--out", run);
            Assert.True(code == 0, stderr + stdout);
            Assert.Contains("best dev BLEU-4", stdout);
            foreach (var f in new[] { "config.json", "vocab.json", "epochs.csv", "checkpoints/best/model.pt", "checkpoints/best/vocab.json" })
                Assert.True(File.Exists(Path.Combine(run, f)), f);

            (code, stdout, stderr) = CliCapture.Run("evaluate", "--checkpoint", run, "--split", "test-shift", "--beam", "2");
            Assert.True(code == 0, stderr + stdout);
            var line = stdout.Split('\n').First(l => l.StartsWith("g2t"));
            var bleu1 = double.Parse(line.Split("BLEU-1")[1].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(bleu1 > 20, line); // a model that learned nothing emits one word and scores ≈ 0–7 here
            Assert.Contains("ROUGE-L", line);
            Assert.True(File.Exists(Path.Combine(run, "eval", "best", "test-shift.g2t.tsv")));

            (code, _, stderr) = CliCapture.Run("train", "--stage", "s2t", "--profile", "tiny", "--out", Path.Combine(dir, "s2t"));
            Assert.NotEqual(0, code);
            Assert.Contains("--recognition", stderr);
        }
        finally { Directory.Delete(dir, true); }
    }
}
