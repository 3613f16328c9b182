using SignNotebooks.Checkpoints;
using SignNotebooks.Models;
using SignNotebooks.Tests.Corpora;

namespace SignNotebooks.Tests.Cli;

/// <summary>
/// Malformed inputs through the real `signnb` dispatcher: each row gives a usage error (exit 2) or a clear error
/// (exit 1) with the key words of its message, never a stack trace or a wrong diagnosis.
/// </summary>
[Collection("Console")]
public sealed class BadInputCorpusTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("signnb-badinput-").FullName;
    public void Dispose() => Directory.Delete(_dir, true);

    [Theory]
    [InlineData("--beam must be at least 1 (got 0)", "evaluate", "--checkpoint", "RUN", "--beam", "0")]
    [InlineData("--beam must be at least 1 (got -3)", "evaluate", "--checkpoint", "RUN", "--beam", "-3")]
    [InlineData("--shard '5/4'", "evaluate", "--checkpoint", "RUN", "--shard", "5/4")]
    [InlineData("--beam must be at least 1", "bench", "decode", "--beam", "0")]
    [InlineData("--frames must be at least 1 (got 0)", "bench", "decode", "--frames", "0")]
    [InlineData("--threads must be 0 or more (got -1)", "recognize", "--checkpoint", "RUN", "--frames", "F", "--threads", "-1")]
    [InlineData("--threads must be at least 1", "bench", "translate", "--threads", "0")]
    [InlineData("--threads takes a whole number (got 'x')", "bench", "translate", "--threads", "x")]
    [InlineData("--det-threshold must be between 0 and 1 (got 1.5)", "extract-keypoints", "--model", "M", "--out", "O", "--frames", "F", "--detector", "D", "--det-threshold", "1.5")]
    [InlineData("--shard 'a/b'", "extract-keypoints", "--model", "M", "--out", "O", "--videos", "V", "--shard", "a/b")]
    [InlineData("--steps must be at least 1 (got 0)", "plan", "--steps", "0")]
    [InlineData("--memory must be positive (got 0)", "plan", "--memory", "0")]
    [InlineData("--vocab must be at least 1 (got 0)", "checkpoint", "convert", "--in", "I", "--variant", "keypoint-tiny", "--out", "O", "--vocab", "0")]
    [InlineData("--noise takes a number (got 'NaN')", "synth", "export", "--out", "O", "--noise", "NaN")]
    public void Numeric_options_out_of_range_are_usage_errors(string expected, params string[] args)
    {
        var (code, _, stderr) = CliCapture.Run(args);
        Assert.True(code == 2, $"exit {code}: {stderr}");
        Assert.Contains(expected, stderr);
    }

    [Fact]
    public void Checkpoint_inspect_diagnoses_empty_random_and_damaged_files()
    {
        var empty = Path.Combine(_dir, "empty.pt");
        File.WriteAllBytes(empty, Array.Empty<byte>());
        var random = Path.Combine(_dir, "random.pt");
        File.WriteAllBytes(random, Enumerable.Range(0, 4096).Select(i => (byte)(i * 7919 % 251 + 3)).ToArray());
        var truncated = Path.Combine(_dir, "truncated.pt");
        using (var model = ModelRegistry.Build("keypoint-tiny")) CheckpointExporter.Save(model, truncated);
        var whole = File.ReadAllBytes(truncated);
        File.WriteAllBytes(truncated, whole[..(whole.Length / 2)]);

        foreach (var (file, words) in new[] { (empty, "the file is empty (0 bytes)"), (random, "not a torch.save file"), (truncated, "damaged:") })
        {
            var (code, _, stderr) = CliCapture.Run("checkpoint", "inspect", file);
            Assert.True(code == 1, $"{file}: exit {code}: {stderr}");
            Assert.Contains(words, stderr);
            Assert.DoesNotContain("old PyTorch format", stderr);
        }
    }
    [Fact]
    public void Bytes_that_are_not_UTF8_in_a_hypothesis_are_an_error_naming_line_and_byte_offset()
    {
        var reference = Path.Combine(_dir, "ref.txt");
        File.WriteAllText(reference, "s1\tA B\ns2\tC D\n");
        var hyp = Path.Combine(_dir, "hyp.txt");
        byte[] bad = [.. "s1\tA B\ns2\tC "u8, 0xFF, 0xFE, .. " D\n"u8];
        File.WriteAllBytes(hyp, bad);
        foreach (var metric in new[] { "wer", "bleu" })
        {
            var (code, stdout, stderr) = CliCapture.Run("score", metric, "--hyp", hyp, "--ref", reference);
            Assert.True(code == 1, $"score {metric}: exit {code}: {stdout}{stderr}");
            Assert.Contains($"{hyp}: line 2, byte offset 12: byte 0xff is not valid UTF-8", stderr);
        }
    }

    [Fact]
    public void Bytes_that_are_not_UTF8_in_an_annotation_orth_field_fail_data_check()
    {
        CorpusFixtures.ExportPhoenix2014T(_dir);
        const string rel = "annotations/manual/PHOENIX-2014-T.dev.corpus.csv";
        var csv = Path.Combine(_dir, rel);
        var lines = File.ReadAllLines(csv);
        var fields = lines[1].Split('|');
        var before = string.Join('|', fields[..5]) + "|";
        fields[5] = "\u0001" + fields[5];   // a placeholder byte, replaced by 0xFF below
        lines[1] = string.Join('|', fields);
        var bytes = System.Text.Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n");
        long offset = System.Text.Encoding.UTF8.GetByteCount(lines[0] + "\n" + before);
        Assert.Equal(1, bytes[offset]);
        bytes[offset] = 0xFF;
        File.WriteAllBytes(csv, bytes);
        var (code, stdout, stderr) = CliCapture.Run("data", "check", "--dataset", "phoenix-2014t", "--root", _dir);
        Assert.True(code == 1, $"exit {code}: {stdout}{stderr}");
        Assert.Contains($"{rel}:2", stdout + stderr);
        Assert.Contains($"byte offset {offset}: byte 0xff is not valid UTF-8", stdout + stderr);
    }
    [Fact]
    public void An_unknown_keypoint_part_is_refused_before_the_run_folder_exists()
    {
        var config = Path.Combine(_dir, "parts.json");
        File.WriteAllText(config, """{ "Input": { "KeypointParts": ["pose", "tail"] } }""");
        var run = Path.Combine(_dir, "run");
        foreach (var extra in new[] { "--print-config", "--resume=false" })
        {
            var (code, stdout, stderr) = CliCapture.Run("train", "--stage", "keypoint", "--profile", "tiny", "--config", config, "--out", run, extra);
            Assert.True(code == 1, $"{extra}: exit {code}: {stdout}{stderr}");
            Assert.Contains("Input.KeypointParts names 'tail', not a keypoint part", stderr);
            Assert.False(Directory.Exists(run), $"{extra}: the run folder was created");
        }
    }
    [Fact]
    public void A_config_file_that_contradicts_a_flag_is_an_error_naming_both_and_print_config_shows_the_resolved_config()
    {
        var config = Path.Combine(_dir, "joint.json");
        File.WriteAllText(config, """{ "Stage": "Joint" }""");
        var (code, _, stderr) = CliCapture.Run("train", "--stage", "keypoint", "--profile", "tiny", "--config", config, "--print-config");
        Assert.True(code == 2, $"exit {code}: {stderr}");
        Assert.Contains($"--stage keypoint contradicts {config}, which sets Stage = Joint", stderr);

        var (ok, stdout, err) = CliCapture.Run("train", "--stage", "keypoint", "--profile", "tiny", "--print-config");
        Assert.True(ok == 0, err);
        var vocabulary = SignNotebooks.Data.Vocabulary.SynthSign(new SignNotebooks.Synthetic.SynthSignDataset("tiny").Glosses).Count;
        Assert.Contains($"\"VocabularySize\": {vocabulary}", stdout);
    }

    [Theory]
    // --init with weights of another corpus or stream than the run: an error naming the file, what describes it and the run.
    [InlineData(1, "--init data/pretrained/synthsign-standard-video.pt was trained on synthsign (|synthsign-standard-video.meta.json), but this run trains on phoenix-2014t (--dataset)",
        null, "--stage", "video", "--init", "data/pretrained/synthsign-standard-video.pt", "--dataset", "phoenix-2014t", "--data-root", "DATA")]
    [InlineData(1, "--init data/pretrained/synthsign-standard-keypoint.pt holds keypoint-stream weights (Stage PretrainKeypoint in |, but --stage video trains the video stream",
        null, "--stage", "video", "--init", "data/pretrained/synthsign-standard-keypoint.pt")]
    // A config file whose Init or Corpus contradicts a flag: a usage error naming both.
    [InlineData(2, "--init b.pt contradicts CONFIG, which sets Init = a.pt", """{ "Init": "a.pt" }""", "--stage", "video", "--init", "b.pt")]
    [InlineData(2, "--dataset synthsign contradicts CONFIG, which sets Corpus = phoenix-2014t", """{ "Corpus": "phoenix-2014t" }""", "--stage", "video", "--dataset", "synthsign")]
    [InlineData(2, "--dataset csl-daily contradicts CONFIG, which sets Corpus = phoenix-2014t", """{ "Corpus": "phoenix-2014t" }""", "--stage", "video", "--dataset", "csl-daily", "--data-root", "DATA")]
    [InlineData(1, "Init in CONFIG (data/pretrained/synthsign-standard-video.pt) was trained on synthsign (|but this run trains on phoenix-2014t (--dataset)",
        """{ "Init": "data/pretrained/synthsign-standard-video.pt" }""", "--stage", "video", "--dataset", "phoenix-2014t", "--data-root", "DATA")]
    [InlineData(2, "--source joint contradicts CONFIG, which sets Source = Video", """{ "Source": "Video" }""", "--stage", "s2t", "--source", "joint")]
    public void Init_and_corpus_contradictions_name_both_sides(int exit, string expected, string? configJson, params string[] args)
    {
        var config = Path.Combine(_dir, "config.json");
        if (configJson is not null) File.WriteAllText(config, configJson);
        var data = Path.Combine(_dir, "data");
        var run = Path.Combine(_dir, "run");
        var argv = new[] { "train", "--profile", "tiny", "--out", run }
            .Concat(args.Select(a => a == "DATA" ? data : a))
            .Concat(configJson is null ? [] : new[] { "--config", config }).ToArray();
        var (code, stdout, stderr) = CliCapture.Run(argv);
        Assert.True(code == exit, $"exit {code}: {stdout}{stderr}");
        foreach (var part in expected.Replace("CONFIG", config).Split('|'))
            Assert.Contains(part, stderr);
        Assert.DoesNotContain("   at ", stderr);
        Assert.False(Directory.Exists(run), "the run folder was created");
    }

    [Fact]
    public void Print_config_shows_tuples_as_values_and_a_file_may_give_them_so()
    {
        var (code, stdout, stderr) = CliCapture.Run("train", "--stage", "video", "--profile", "tiny", "--print-config");
        Assert.True(code == 0, stderr);
        Assert.DoesNotContain("Item1", stdout);
        Assert.Matches(@"""CropScale"": \[\s*0\.7,\s*1\s*\]", stdout);
        // What --print-config shows is what a config file may say.
        var config = Path.Combine(_dir, "crop.json");
        File.WriteAllText(config, """{ "Input": { "CropScale": [0.5, 0.9] } }""");
        (code, stdout, stderr) = CliCapture.Run("train", "--stage", "video", "--profile", "tiny", "--config", config, "--print-config");
        Assert.True(code == 0, stderr);
        Assert.Matches(@"""CropScale"": \[\s*0\.5,\s*0\.9\s*\]", stdout);
        File.WriteAllText(config, """{ "Input": { "CropScale": [0.5] } }""");
        (code, _, stderr) = CliCapture.Run("train", "--stage", "video", "--profile", "tiny", "--config", config, "--print-config");
        Assert.True(code == 1, stderr);
        Assert.Contains("Input.CropScale takes 2 values", stderr);
    }
}
