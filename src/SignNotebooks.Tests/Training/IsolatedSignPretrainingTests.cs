using SignNotebooks.Data;
using SignNotebooks.Models;
using SignNotebooks.Models.Backbones;
using SignNotebooks.Synthetic;
using SignNotebooks.Training;
using static TorchSharp.torch;

namespace SignNotebooks.Tests.Training;

/// <summary>
/// Stage 0's isolated-sign phase: windows sit on the signs SynthSign's truth says they show, draws are class-balanced,
/// only the backbone learns, and `signnb pretrain-isolated` writes a file a stream stage starts from.
/// </summary>
public sealed class IsolatedSignPretrainingTests
{
    private static readonly SynthSignDataset Tiny = new("tiny");
    private static readonly Vocabulary Vocab = Vocabulary.SynthSign(Tiny.Glosses);
    private static readonly TrainingConfig Keypoint = TrainingProfiles.Get("tiny", TrainingStage.Keypoint);

    private static SignLoader Loader(string split) => Trainer.EvalLoader(Keypoint with { MaxTrainClips = null, MaxEvalClips = null }, Tiny, Vocab, split);

    [Fact]
    public void Runs_split_the_valid_steps_of_a_clip_at_every_label_change_and_stop_at_padding()
    {
        long a = 5, b = 7, blank = 0, pad = FrameTargets.Ignore;
        long[] truth = [a, a, b, blank, blank, a, pad, pad, /* clip 2 */ b, b];
        Assert.Equal([(0L, 1L), (2L, 2L), (3L, 4L), (5L, 5L)], IsolatedWindows.Runs(truth, 0, 8).ToArray());
        Assert.Equal([(0L, 1L)], IsolatedWindows.Runs(truth, 8, 2).ToArray());
    }

    [Fact]
    public void Every_window_shows_its_gloss_in_the_true_frame_labels_and_every_sign_of_a_long_enough_clip_has_one()
    {
        var loader = Loader("train");
        using var windows = IsolatedWindows.Cut(loader, Vocab.BlankId, 8, maxClips: 16);
        Assert.Equal(new long[] { windows.Count, Keypoint.Model.KeypointChannels, 8, Keypoint.Input.HeatmapSize, Keypoint.Input.HeatmapSize }, windows.Inputs.shape);
        Assert.Equal(ScalarType.Float16, windows.Inputs.dtype);
        for (int i = 0; i < windows.Count; i++)
        {
            var (clip, from) = windows.Origins[i];
            using var batch = loader.Build([clip], 0);
            var frames = batch.FrameTargets!.Frames[0];
            // The window covers the middle step of the sign's run, whose 4 frames mostly show the sign.
            Assert.True(frames.Skip((int)from).Take(8).Count(f => f == windows.Labels[i]) >= 2,
                $"window {i} (clip {clip}, frames {from}..{from + 7}) shows gloss {Vocab.Decode((int)windows.Labels[i])} on fewer than 2 frames");
            Assert.NotEqual(Vocab.BlankId, windows.Labels[i]);
        }
        // One window per sign occurrence: the first clip's glosses, in order, are its windows' labels.
        using var first = loader.Build([0], 0);
        var signs = Vocab.Encode(first.Glosses[0]).Select(g => (long)g).ToArray();
        var ofFirst = windows.Labels.Where((_, i) => windows.Origins[i].Clip == 0).ToArray();
        Assert.Equal(signs, ofFirst);
    }

    [Fact]
    public void Draws_are_balanced_over_the_classes_present_whatever_their_frequency()
    {
        var labels = Enumerable.Repeat(3L, 900).Concat(Enumerable.Repeat(8L, 100)).ToArray();
        var draw = new ErrorWeightedDraw(labels, seed: 1);
        Assert.Equal(2, draw.Classes);
        var picks = draw.NextBalanced(4000);
        double rare = picks.Count(i => labels[i] == 8) / 4000.0;
        Assert.InRange(rare, 0.45, 0.55);                      // 10 % of the items, half of the draws
        Assert.Equal(100, picks.Where(i => labels[i] == 8).Distinct().Count());   // every rare item gets drawn
    }

    [Fact]
    public void Error_weighted_draws_start_balanced_and_then_favour_the_class_the_classifier_gets_wrong()
    {
        var labels = Enumerable.Repeat(3L, 900).Concat(Enumerable.Repeat(8L, 100)).ToArray();
        var draw = new ErrorWeightedDraw(labels, seed: 2);
        Assert.InRange(draw.Next(4000).Count(i => labels[i] == 8) / 4000.0, 0.45, 0.55);   // nothing observed yet
        // Class 3 always right, class 8 always read as 3.
        for (int k = 0; k < 200; k++) draw.Observe([3, 8], [3, 3]);
        Assert.InRange(draw.ErrorRates[0], 0, 1e-3);
        Assert.InRange(draw.ErrorRates[1], 0.999, 1);
        double rare = draw.Next(4000).Count(i => labels[i] == 8) / 4000.0;
        double expected = (ErrorWeightedDraw.Floor + 1) / (2 * ErrorWeightedDraw.Floor + 1);   // 1.1 / 1.2
        Assert.InRange(rare, expected - 0.03, expected + 0.03);
        Assert.Throws<ArgumentException>(() => draw.Observe([5], [5]));
    }

    [Fact]
    public void The_cosine_rate_runs_from_the_first_rate_to_the_final_one_and_never_reaches_zero()
    {
        var constant = new IsolatedSignConfig(Steps: 10);
        Assert.All(Enumerable.Range(1, 10), s => Assert.Equal(1e-3, constant.RateAt(s)));
        var cosine = constant with { FinalLearningRate = 1e-5 };
        Assert.Equal(1e-3, cosine.RateAt(1), 12);
        Assert.Equal(1e-5, cosine.RateAt(10), 12);
        var rates = Enumerable.Range(1, 10).Select(cosine.RateAt).ToArray();
        Assert.All(rates.Zip(rates.Skip(1)), p => Assert.True(p.Second < p.First));
        Assert.All(rates, r => Assert.True(r >= 1e-5));
    }

    [Fact]
    public void Only_the_backbone_learns_and_the_windows_are_classified_above_chance()
    {
        manual_seed(0);
        var model = ModelRegistry.Create(Trainer.Resolve(Keypoint, Vocab).Model);
        var before = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        using var train = IsolatedWindows.Cut(Loader("train"), Vocab.BlankId, 8, maxClips: 48);
        var reports = new List<IsolatedSignPretraining.Progress>();
        IsolatedSignPretraining.Run(model, train, null, Vocab.Count, new IsolatedSignConfig(Steps: 150, BatchSize: 16, Emphasis: DrawEmphasis.Errors, FinalLearningRate: 1e-4), reports.Add);

        Assert.Equal([100, 150], reports.Select(r => r.Step));
        int classes = new ErrorWeightedDraw(train.Labels, 0).Classes;
        Assert.True(reports[^1].TrainAccuracy > 300.0 / classes, $"train window accuracy {reports[^1].TrainAccuracy:F1}% vs chance {100.0 / classes:F1}%");
        Assert.Null(reports[^1].DevAccuracy);
        Assert.Equal(1e-4, reports[^1].LearningRate, 12);
        var after = model.state_dict();
        var backbone = model.modules().OfType<S3DBackbone>().Single();
        var backboneKeys = model.named_modules().Where(m => ReferenceEquals(m.module, backbone)).Select(m => m.name + ".").Single();
        foreach (var (key, value) in before)
        {
            bool same = value.allclose(after[key], 0, 0);
            if (key.StartsWith(backboneKeys)) { if (key.EndsWith(".weight") && !key.Contains(".bn.")) Assert.False(same, $"{key} did not change"); }
            else Assert.True(same, $"{key} is outside the backbone but changed");
        }
    }
}

/// <summary><c>signnb pretrain-isolated</c> on the tiny profile, and a stream stage starting from its file.</summary>
[Collection("Console")]
public sealed class PretrainIsolatedCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("signnb-isolated-").FullName;
    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public void It_writes_a_stage_zero_file_with_its_history_that_a_keypoint_stage_starts_from()
    {
        var file = Path.Combine(_dir, "iso.pt");
        var (code, stdout, stderr) = CliCapture.Run("pretrain-isolated", "--stream", "keypoint", "--profile", "tiny", "--steps", "20", "--clips", "24",
            "--final-lr", "2e-4", "--emphasis", "errors", "--out", file);
        Assert.True(code == 0, stderr + stdout);
        Assert.Contains("step 20/20: loss ", stdout);
        Assert.Contains("lr 0.0002,", stdout);
        Assert.Contains("hardest dev glosses: ", stdout);
        Assert.True(File.Exists(file));
        Assert.False(File.Exists(file + ".tmp"));
        var provenance = InitProvenance.Of(file);
        Assert.NotNull(provenance);
        Assert.Equal(TrainingStage.PretrainKeypoint, provenance!.Stage);
        Assert.Equal("synthsign", provenance.Corpus);
        var meta = File.ReadAllText(Path.Combine(_dir, "iso.meta.json"));
        Assert.Contains("\"train_windows\"", meta);
        Assert.Contains("Kinetics-400 + WLASL", meta);   // readable, not \u002B-escaped
        Assert.Contains("--final-lr 0.0002 --emphasis errors", meta);
        Assert.Contains("error-weighted gloss classification", meta);

        var cfg = Path.Combine(_dir, "short.json");
        File.WriteAllText(cfg, "{ \"Epochs\": 1, \"MaxTrainClips\": 8, \"MaxEvalClips\": 4 }");
        (code, stdout, stderr) = CliCapture.Run("train", "--stage", "keypoint", "--profile", "tiny", "--config", cfg, "--init", file, "--out", Path.Combine(_dir, "run"));
        Assert.True(code == 0, stderr + stdout);
        Assert.Contains("0 start random", stdout);

        // A video stage refuses keypoint weights; bad options are named.
        (code, _, stderr) = CliCapture.Run("train", "--stage", "video", "--profile", "tiny", "--config", cfg, "--init", file, "--out", Path.Combine(_dir, "v"));
        Assert.Equal(1, code);
        (code, _, stderr) = CliCapture.Run("pretrain-isolated", "--stream", "hands", "--profile", "tiny");
        Assert.NotEqual(0, code);
        Assert.Contains("--stream must be keypoint or video", stderr);
        (code, _, stderr) = CliCapture.Run("pretrain-isolated", "--stream", "keypoint", "--profile", "tiny", "--window", "6");
        Assert.NotEqual(0, code);
        Assert.Contains("multiple of 4", stderr);
        (code, _, stderr) = CliCapture.Run("pretrain-isolated", "--stream", "keypoint", "--profile", "tiny", "--emphasis", "rare");
        Assert.NotEqual(0, code);
        Assert.Contains("--emphasis must be balanced or errors", stderr);
        (code, _, stderr) = CliCapture.Run("pretrain-isolated", "--stream", "keypoint", "--profile", "tiny", "--final-lr", "0");
        Assert.NotEqual(0, code);
        Assert.Contains("--final-lr must be positive", stderr);
    }

    [Fact]
    public void A_config_file_changes_the_stream_input_is_recorded_in_the_meta_and_cannot_contradict_the_flags()
    {
        var file = Path.Combine(_dir, "iso16.pt");
        var cfg = Path.Combine(_dir, "small.json");
        File.WriteAllText(cfg, "{ \"Input\": { \"HeatmapSize\": 24 } }");
        var (code, stdout, stderr) = CliCapture.Run("pretrain-isolated", "--stream", "keypoint", "--profile", "tiny", "--steps", "10", "--clips", "16",
            "--config", cfg, "--out", file);
        Assert.True(code == 0, stderr + stdout);
        // Every gloss present in the dev windows is listed once with its accuracy.
        var perGloss = stdout.Split('\n').Single(l => l.StartsWith("dev window accuracy per gloss: ", StringComparison.Ordinal));
        Assert.Matches(@"^dev window accuracy per gloss: [A-Z]+ \d+%(, [A-Z]+ \d+%)*\s*$", perGloss);
        var meta = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(_dir, "iso16.meta.json")))!;
        var run = meta["runs"]!.AsArray()[^1]!;
        Assert.Equal(24, (int)run["overrides"]!["Input"]!["HeatmapSize"]!);
        Assert.Contains("--config " + cfg, (string)run["command"]!);

        File.WriteAllText(cfg, "{ \"Stage\": \"Video\" }");
        (code, _, stderr) = CliCapture.Run("pretrain-isolated", "--stream", "keypoint", "--profile", "tiny", "--config", cfg, "--out", file);
        Assert.NotEqual(0, code);
        Assert.Contains("--stream keypoint contradicts", stderr);
        File.WriteAllText(cfg, "{ \"Init\": \"a.pt\" }");
        (code, _, stderr) = CliCapture.Run("pretrain-isolated", "--stream", "keypoint", "--profile", "tiny", "--config", cfg, "--init", "b.pt", "--out", file);
        Assert.NotEqual(0, code);
        Assert.Contains("--init b.pt contradicts", stderr);
    }
}
