using SignNotebooks.Checkpoints;
using SignNotebooks.Data;
using SignNotebooks.Models;
using SignNotebooks.Synthetic;
using SignNotebooks.Training;
using SignNotebooks.Translation;
using TorchSharp;
using static TorchSharp.torch;

namespace SignNotebooks.Tests.Translation;

/// <summary>Sign2Text networks: SLRT key names, both VL-mapper variants, the multi-source ensemble, and the CLI on a recognition run.</summary>
[Collection("Console")]
public class SignTranslationTests
{
    internal static readonly SynthSignDataset Tiny = new("tiny");
    internal static TranslationVocabulary Vocab => TranslationTrainer.BuildVocabulary(Tiny);

    private static TranslationConfig Config(TranslationStage stage) =>
        TranslationTrainer.Resolve(TranslationProfiles.Get("tiny", stage), Vocab);

    internal static ModelConfig Recognition => ModelRegistry.Get("twostream-tiny").Config with { VocabularySize = Vocab.RecognitionSize };

    [Fact]
    public void Sign2text_state_dict_uses_the_slrt_names()
    {
        using var scope = NewDisposeScope();
        var model = new SignTranslationModel(Config(TranslationStage.Sign2Text), Vocab, (Recognition, 104));
        var keys = model.state_dict().Keys.ToHashSet();
        foreach (var k in new[] { "recognition_network.visual_head.fc1.weight", "recognition_network.visual_head_keypoint.gloss_output_layer.weight",
                                  "recognition_network.visual_head_fuse.fc1.weight", "vl_mapper.mapping.0.weight", "vl_mapper.mapping.2.bias",
                                  "translation_network.gloss_embedding.weight", "translation_network.model.model.shared.weight",
                                  "translation_network.model.lm_head.weight", "translation_network.model.final_logits_bias" })
            Assert.Contains(k, keys);
        Assert.Equal(new long[] { Recognition.HeadHidden, 208 }, model.state_dict()["recognition_network.visual_head_fuse.fc1.weight"].shape);
        var g2t = new SignTranslationModel(Config(TranslationStage.Gloss2Text), Vocab);
        Assert.All(g2t.state_dict().Keys, k => Assert.StartsWith("translation_network.", k));
    }

    [Fact]
    public void Gloss_probability_mapper_starts_from_the_gloss_embeddings()
    {
        using var scope = NewDisposeScope();
        var cfg = Config(TranslationStage.Sign2Text) with { Mapper = MapperKind.GlossProbabilities };
        var model = new SignTranslationModel(cfg, Vocab, (Recognition, 104));
        var w = model.state_dict()["vl_mapper.mapping.weight"];
        Assert.Equal(new long[] { cfg.Model.DModel, Vocab.RecognitionSize }, w.shape);
        var emb = model.Translation.GlossEmbeddingWeight.narrow(0, 0, Vocab.RecognitionSize).t();
        Assert.Equal(0f, (w - emb).abs().max().item<float>());
    }

    [Fact]
    public void Ensemble_of_identical_networks_decodes_as_one_network_and_averages_probabilities()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(3);
        var a = new SignTranslationModel(Config(TranslationStage.Gloss2Text), Vocab);
        torch.manual_seed(4);
        var b = new SignTranslationModel(Config(TranslationStage.Gloss2Text), Vocab);
        b.eval(); // dropout off, as Translator.Decode does
        var batch = TranslationBatch.Create(TranslationExample.SynthSign(Tiny, "dev", 3), Vocab);
        var options = new DecodeOptions(3, 1.0, 12);
        var one = new Translator(a).Decode(batch, options);
        var twice = new Translator(a, a) { EnsembleScores = EnsembleScoring.Mean }.Decode(batch, options);
        for (int i = 0; i < one.Length; i++)
        {
            Assert.Equal(one[i].Ids, twice[i].Ids);
            Assert.Equal(one[i].Score, twice[i].Score, 4);
        }
        // The ensemble's step is log of the summed probability of its members (spec §10.5), or of their mean on request.
        using var noGrad = no_grad();
        var ea = a.Encode(batch);
        var eb = b.Encode(batch);
        var prefix = torch.tensor(new long[] { Vocab.TargetLanguageId }).view(1, 1);
        var pa = a.StepFunction(ea.Encoder, ea.Mask, 0)(prefix).exp();
        var pb = b.StepFunction(eb.Encoder, eb.Mask, 0)(prefix).exp();
        var combined = Translator.Combine([a.StepFunction(ea.Encoder, ea.Mask, 0), b.StepFunction(eb.Encoder, eb.Mask, 0)])(prefix);
        Assert.True((combined - (pa + pb).log()).abs().max().item<float>() < 1e-5f);
        var mean = Translator.Combine([a.StepFunction(ea.Encoder, ea.Mask, 0), b.StepFunction(eb.Encoder, eb.Mask, 0)], EnsembleScoring.Mean)(prefix);
        Assert.True((mean - ((pa + pb) / 2).log()).abs().max().item<float>() < 1e-5f);
    }

    [Fact]
    public void Sign2text_trains_on_a_recognition_run_and_the_ensemble_evaluates()
    {
        var dir = Directory.CreateTempSubdirectory("signnb-s2t").FullName;
        try
        {
            var recognition = Path.Combine(dir, "joint");
            WriteRandomJointRun(recognition);
            var config = Path.Combine(dir, "short.json");
            File.WriteAllText(config, """{ "Epochs": 1, "MaxTrainClips": 16 }""");
            foreach (var (source, mapper) in new[] { ("video", "projection"), ("joint", "probabilities") })
            {
                var (code, stdout, stderr) = CliCapture.Run("train", "--stage", "s2t", "--profile", "tiny", "--recognition", recognition,
                    "--source", source, "--mapper", mapper, "--config", config, "--out", Path.Combine(dir, "s2t-" + source));
                Assert.True(code == 0, stderr + stdout);
                Assert.Contains("features of 16 train clips", stdout);
                Assert.True(File.Exists(Path.Combine(dir, "s2t-" + source, "recognition.json")));
            }
            var (c, o, e) = CliCapture.Run("evaluate", "--checkpoint", $"{Path.Combine(dir, "s2t-video")},{Path.Combine(dir, "s2t-joint")}", "--split", "dev", "--beam", "1");
            Assert.True(c == 0, e + o);
            Assert.Contains("ensemble", o);
            Assert.Contains("BLEU-4", o);
            var run = TranslationRun.Load(Path.Combine(dir, "s2t-joint"));
            Assert.Equal("s2t-joint-probs", run.System);
            Assert.Equal(MapperKind.GlossProbabilities, run.Model.Mapper!.Kind);
            var features = run.Features!.Split(Tiny, "dev", 1).Values.Single();
            Assert.NotNull(run.Translator.TranslateFeatures(features.Video, features.Keypoint, new DecodeOptions(1, 1.0, 5)));

            // The entry point `recognize` can call with a two-stream forward pass of one clip.
            var recSource = RecognitionSource.Load(Path.Combine(dir, "s2t-joint"));
            var recognizer = Trainer.LoadModel(recSource.Config, recSource.Weights);
            recognizer.eval();
            var loader = Trainer.EvalLoader(recSource.Config with { MicroBatch = 1, MaxEvalClips = 1 }, Tiny, Vocabulary.SynthSign(Tiny.Glosses), "dev");
            using var batch = loader.Epoch(0).First();
            using var noGrad = no_grad();
            var outputs = recognizer.Forward(batch.Video, batch.Heatmaps, batch.LengthsTensor);
            Assert.Equal(run.Translator.TranslateFeatures(features.Video, features.Keypoint, new DecodeOptions(1, 1.0, 5)),
                         run.Translate(outputs, 0, new DecodeOptions(1, 1.0, 5)));
            var noFeatures = Assert.Throws<SignNotebooks.Util.UserFacingException>(() => TranslationRun.Load(Path.Combine(dir, "s2t-video")).Translate(new RecognitionOutputs()));
            Assert.Contains("Fix:", noFeatures.Message);
        }
        finally { Directory.Delete(dir, true); }
    }

    /// <summary>A joint-stage run folder with random weights (what `train --stage joint` writes), for feature extraction.</summary>
    internal static void WriteRandomJointRun(string root)
    {
        var resolved = Trainer.Resolve(TrainingProfiles.Get("tiny", TrainingStage.Joint), Vocabulary.SynthSign(Tiny.Glosses));
        var model = ModelRegistry.Create(resolved.Model);
        var run = new RunDirectory(root);
        run.Create();
        run.SaveCheckpoint("best", new RunState(0, 0, 100, 1, "ensemble_last"), ConfigJson.Serialize(resolved),
            d => CheckpointExporter.Save(model, Path.Combine(d, "model.pt"), withPrefix: true));
    }
}
