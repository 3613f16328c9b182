using SignNotebooks.Checkpoints;
using SignNotebooks.Synthetic;
using SignNotebooks.Training;
using SignNotebooks.Translation;
using TorchSharp;
using static TorchSharp.torch;

namespace SignNotebooks.Tests.Translation;

/// <summary>Issue 20, spec §10: the Phoenix Gloss2Text embedding freeze and the ensemble's summed scores.</summary>
public class TranslationSwitchTests
{
    // A 3-word toy decoder: 0 = start (forbidden), 1 = </s>, 2 = a word. After the start token </s> has p 0.6 and the word
    // 0.4; after the word, </s> has 0.99. Every member of the ensemble is this network.
    private static Tensor Toy(Tensor prefixes)
    {
        long n = prefixes.shape[0];
        var p = prefixes.shape[1] == 1 ? new[] { 0f, 0.6f, 0.4f } : new[] { 0f, 0.99f, 0.01f };
        return torch.tensor(p).log().unsqueeze(0).expand(n, 3).contiguous(); // (N, V)
    }

    [Fact]
    public void The_ensemble_sums_probabilities_and_its_early_stop_follows_the_sum()
    {
        using var scope = NewDisposeScope();
        var members = new Func<Tensor, Tensor>[] { Toy, Toy, Toy };
        var options = new DecodeOptions(1, 1.0, 10);
        // Summed (spec §10.5): each step adds log 3, so after step 1 the finished "</s>" scores log 0.6 + log 3 = 0.588 and
        // the live beam (log 0.4 + log 3) / 2 = 0.091 cannot beat it: the search stops with the empty sentence.
        var summed = BeamSearch.Search(Translator.Combine(members), 0, 1, options, [0]);
        Assert.Empty(summed.Ids);
        Assert.Equal(Math.Log(0.6) + Math.Log(3), summed.Score, 5);
        // Averaged: the live beam's log 0.4 / 2 = −0.458 beats log 0.6 = −0.511, so the search goes on and finds
        // "word </s>" at (log 0.4 + log 0.99) / 2 = −0.463: the same members, another translation.
        var averaged = BeamSearch.Search(Translator.Combine(members, EnsembleScoring.Mean), 0, 1, options, [0]);
        Assert.Equal([2], averaged.Ids);
        Assert.Equal((Math.Log(0.4) + Math.Log(0.99)) / 2, averaged.Score, 5);
        // One network is itself under either rule.
        Assert.Equal([2], BeamSearch.Search(Translator.Combine([Toy]), 0, 1, options, [0]).Ids);
    }

    [Fact]
    public void The_translator_sums_by_default()
    {
        using var scope = NewDisposeScope();
        var ds = new SynthSignDataset("tiny");
        var vocab = TranslationTrainer.BuildVocabulary(ds);
        var cfg = TranslationTrainer.Resolve(TranslationProfiles.Get("tiny", TranslationStage.Gloss2Text), vocab);
        var a = new SignTranslationModel(cfg, vocab);
        Assert.Equal(EnsembleScoring.Sum, new Translator(a, a).EnsembleScores);
    }

    [Theory]
    [InlineData("paper", "phoenix-2014t", TranslationStage.Gloss2Text, true)]     // spec §10.2
    [InlineData("paper", "phoenix-2014t", TranslationStage.Sign2Text, false)]
    [InlineData("paper", "csl-daily", TranslationStage.Gloss2Text, false)]
    [InlineData("paper", null, TranslationStage.Gloss2Text, false)]               // SynthSign
    [InlineData("standard", "phoenix-2014t", TranslationStage.Gloss2Text, false)] // CPU profiles train their mBART from scratch
    public void Embeddings_are_frozen_by_the_spec_rule_unless_set(string profile, string? corpus, TranslationStage stage, bool frozen)
    {
        var cfg = TranslationProfiles.Get(profile, stage) with { Corpus = corpus };
        Assert.Equal(frozen, cfg.FreezesEmbeddings);
        Assert.Equal(!frozen, (cfg with { FreezeEmbeddings = !frozen }).FreezesEmbeddings);
        // Null is not written, so the configs (and run hashes) of the profiles stay as they were.
        Assert.DoesNotContain("FreezeEmbeddings", System.Text.Json.JsonSerializer.Serialize(cfg, ConfigJson.Options));
    }

    [Fact]
    public void A_frozen_gloss2text_run_keeps_both_embeddings_and_trains_the_rest()
    {
        var dir = Directory.CreateTempSubdirectory("signnb-freeze").FullName;
        try
        {
            var ds = new SynthSignDataset("tiny");
            var cfg = TranslationProfiles.Get("tiny", TranslationStage.Gloss2Text) with { FreezeEmbeddings = true, Epochs = 2, MaxTrainClips = 16, MaxEvalClips = 2 };
            // 2 epochs: the per-epoch cosine runs the last epoch at lr 0 (spec §15.8), so the first one is the one that learns.
            var log = new StringWriter();
            var run = new RunDirectory(Path.Combine(dir, "g2t"));
            var trainer = new TranslationTrainer(cfg, run, ds, log);
            trainer.Run();
            Assert.Contains("gloss and text embeddings frozen", log.ToString());
            using var scope = NewDisposeScope();
            torch.manual_seed(trainer.Config.Seed);   // the trainer's own seed: the same initial weights
            var initial = TranslationTrainer.CreateModel(trainer.Config, trainer.Vocabulary, null, 0).state_dict();
            var trained = StateDictFile.Read(run.ModelFile("last")).Tensors;
            foreach (var k in new[] { "translation_network.gloss_embedding.weight", "translation_network.model.model.shared.weight" })
                Assert.True((initial[k] - trained[k]).abs().max().item<float>() == 0, $"{k} moved although frozen");
            const string fc1 = "translation_network.model.model.encoder.layers.0.fc1.weight";
            Assert.True((initial[fc1] - trained[fc1]).abs().max().item<float>() > 0, "the encoder did not train");
        }
        finally { Directory.Delete(dir, true); }
    }
}
