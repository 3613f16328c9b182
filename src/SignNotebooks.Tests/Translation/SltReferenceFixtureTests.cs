using System.Text;
using System.Text.Json;
using SignNotebooks.Checkpoints;
using SignNotebooks.Corpora;
using SignNotebooks.Synthetic;
using SignNotebooks.Tests.Models;
using SignNotebooks.Translation;
using TorchSharp;

namespace SignNotebooks.Tests.Translation;

/// <summary>The slt_ref.py fixture (made once per class from a SynthSign tiny export, 6 clips per split).</summary>
public sealed class SltFixtureDirs : IDisposable
{
    private readonly Lazy<(string Data, string Out)> _made = new(() =>
    {
        var data = PyTorchReference.TempDir();
        SynthExport.Export(new SynthSignDataset("tiny"), data, limit: 6, maxThreads: 1);
        var output = PyTorchReference.TempDir();
        SltReferenceFixture.Create(data, output);
        return (data, output);
    });

    public string Data => _made.Value.Data;
    public string Out => _made.Value.Out;
    public JsonElement Info => JsonDocument.Parse(File.ReadAllText(Path.Combine(Out, "fixture.json"))).RootElement;

    public void Dispose()
    {
        if (!_made.IsValueCreated) return;
        Directory.Delete(_made.Value.Data, true);
        Directory.Delete(_made.Value.Out, true);
    }
}

/// <summary>
/// The released-format S2T fixture written by environment/tools/pytorch/slt_ref.py, read with the existing library
/// only: SLRT checkpoints (spec §12 key names and shapes), the pruned mBART folder (SentencePiece + prune map + gloss
/// vocabulary, spec §6/§10.1) and the reference translations' ids.
/// </summary>
public class SltReferenceFixtureTests(SltFixtureDirs fx, Xunit.Abstractions.ITestOutputHelper log) : IClassFixture<SltFixtureDirs>
{
    private static readonly string[] HeadKeys =
    [
        "fc1.weight", "fc1.bias", "bn1.norm.weight", "bn1.norm.bias", "bn1.norm.running_mean", "bn1.norm.running_var",
        "bn1.norm.num_batches_tracked", "pe.pe", "feedforward.layer_norm.weight", "feedforward.layer_norm.bias",
        "feedforward.pwff_layer.0.weight", "feedforward.pwff_layer.0.bias", "feedforward.pwff_layer.3.weight",
        "feedforward.pwff_layer.3.bias", "layer_norm.weight", "layer_norm.bias", "gloss_output_layer.weight", "gloss_output_layer.bias",
    ];

    private static void AssertHead(StateDictFile f, string head, int inputSize, int classes)
    {
        var p = $"recognition_network.{head}.";
        foreach (var k in HeadKeys) Assert.True(f.Tensors.ContainsKey(p + k), $"{f.Path}: no {p + k}");
        Assert.Equal(new long[] { 512, inputSize }, f.Tensors[p + "fc1.weight"].shape);
        Assert.Equal(new long[] { 1, 5000, 512 }, f.Tensors[p + "pe.pe"].shape);
        Assert.Equal(new long[] { 2048, 512, 3 }, f.Tensors[p + "feedforward.pwff_layer.0.weight"].shape);
        Assert.Equal(new long[] { 512, 2048, 3 }, f.Tensors[p + "feedforward.pwff_layer.3.weight"].shape);
        Assert.Equal(new long[] { classes, 512 }, f.Tensors[p + "gloss_output_layer.weight"].shape);
        Assert.Equal(torch.ScalarType.Int64, f.Tensors[p + "bn1.norm.num_batches_tracked"].dtype);
    }

    private static MBartTextTokenizer Tokenizer(string dir, JsonElement info)
    {
        using var spm = File.OpenRead(Path.Combine(dir, "mBart_de", "sentencepiece.bpe.model"));
        return new MBartTextTokenizer(spm, info.GetProperty("spm_pieces").GetInt32(), MBartPruneMap.Read(Path.Combine(dir, "mBart_de", "map_ids.pkl")));
    }

    [SentencePieceFact]
    public void Every_s2t_checkpoint_has_the_official_keys_and_shapes()
    {
        var info = fx.Info;
        int d = info.GetProperty("d").GetInt32(), v = info.GetProperty("gloss_vocab").GetInt32(), f = info.GetProperty("feature_size").GetInt32();
        int pruned = info.GetProperty("pruned_vocab").GetInt32();
        foreach (var system in new[] { "video", "keypoint", "joint" })
        {
            using var scope = torch.NewDisposeScope();
            var file = StateDictFile.Read(Path.Combine(fx.Out, $"s2t_{system}", "best.ckpt"));
            Assert.Equal("model_state", file.Container);
            Assert.Contains("epoch", file.OtherEntries);
            Assert.Contains("optimizer_state", file.OtherEntries);
            AssertHead(file, "visual_head", f, v);
            AssertHead(file, "visual_head_keypoint", f, v);
            AssertHead(file, "visual_head_fuse", 2 * f, v);
            Assert.DoesNotContain(file.Tensors.Keys, k => k.Contains("_remain."));
            Assert.Equal(new long[] { d, 512 }, file.Tensors["vl_mapper.mapping.0.weight"].shape);
            Assert.Equal(new long[] { d, d }, file.Tensors["vl_mapper.mapping.2.weight"].shape);
            Assert.Equal(new long[] { v, d }, file.Tensors["translation_network.gloss_embedding.weight"].shape);
            Assert.Equal(new long[] { pruned, d }, file.Tensors["translation_network.model.model.shared.weight"].shape);
            Assert.Equal(new long[] { 1, pruned }, file.Tensors["translation_network.model.final_logits_bias"].shape);

            var config = MBartConfig.Tiny(pruned) with
            {
                DModel = d, EncoderLayers = info.GetProperty("layers").GetInt32(), DecoderLayers = info.GetProperty("layers").GetInt32(),
                EncoderAttentionHeads = info.GetProperty("heads").GetInt32(), DecoderAttentionHeads = info.GetProperty("heads").GetInt32(),
                EncoderFfnDim = info.GetProperty("ffn").GetInt32(), DecoderFfnDim = info.GetProperty("ffn").GetInt32(),
                MaxPositionEmbeddings = info.GetProperty("max_pos").GetInt32(),
            };
            var report = ModuleLoader.Load(new MBartForConditionalGeneration(config), file, "translation_network.model.", strict: true);
            Assert.True(report.IsComplete, report.ToString());
            Assert.Empty(report.Unexpected);
        }
    }

    [SentencePieceFact]
    public void The_pruned_tokenizer_round_trips_every_translation_and_decodes_the_reference_ids()
    {
        var info = fx.Info;
        var tok = Tokenizer(fx.Out, info);
        Assert.Equal(info.GetProperty("pruned_vocab").GetInt32(), tok.VocabularySize);
        Assert.Equal(info.GetProperty("de_DE").GetInt32(), tok.Prune!.ToNew(tok.LanguageFullId("de_DE")));
        Assert.Equal(info.GetProperty("full_vocab").GetInt32(), tok.FullVocabularySize);

        int translations = 0, multiPiece = 0;
        foreach (var csv in Directory.GetFiles(Path.Combine(fx.Data, "annotations", "manual"), "*.corpus.csv"))
            foreach (var row in File.ReadAllLines(csv, Encoding.UTF8).Skip(1))
            {
                var text = row.Split('|')[6];
                var ids = tok.Encode(text);
                Assert.DoesNotContain(TranslationVocabulary.UnkId, ids);
                Assert.Equal(text, tok.Decode(ids));
                translations++;
                if (ids.Length > text.Split(' ').Length) multiPiece++;
            }
        Assert.Equal(24, translations);
        Assert.True(multiPiece > 0, "no translation has a word of several pieces");

        // the reference hypotheses are pruned ids: our decode must give the script's plain SentencePiece decode
        int hypotheses = 0;
        foreach (var tsv in Directory.GetFiles(Path.Combine(fx.Out, "reference"), "test.*.tsv"))
        {
            var lines = File.ReadAllLines(tsv, Encoding.UTF8);
            Assert.Equal("name\thypothesis_ids\thypothesis\tspm_decode", lines[0]);
            Assert.Equal(7, lines.Length);
            Assert.Contains(lines.Skip(1), l => l.Split('\t')[2].Length > 0);
            foreach (var line in lines.Skip(1))
            {
                var f = line.Split('\t');
                Assert.StartsWith("test/test-", f[0]);
                var ids = f[1].Length == 0 ? [] : f[1].Split(' ').Select(int.Parse).ToArray();
                Assert.All(ids, id => Assert.InRange(id, 0, tok.VocabularySize - 1));
                Assert.Equal(f[3], tok.Decode(ids));
                hypotheses++;
            }
        }
        Assert.Equal(24, hypotheses);
        log.WriteLine(File.ReadAllText(Path.Combine(fx.Out, "reference", "test.ensemble.tsv")));
    }

    [SentencePieceFact]
    public void The_gloss_vocabulary_has_the_phoenix_2014t_layout()
    {
        var vocab = GlossIdsFile.Read(Path.Combine(fx.Out, "mBart_de", "gloss2ids.pkl"), "phoenix-2014t");
        Assert.Equal(fx.Info.GetProperty("gloss_vocab").GetInt32(), vocab.Count);
        string[] specials = ["<s>", "<pad>", "</s>", "<unk>", "<mask>", "zh_CN", "de_DE", "zh_CSL", "de_DGS"];
        for (int i = 0; i < specials.Length; i++) Assert.Equal(i, vocab.GlossToId[specials[i]]);
        var firstTrain = File.ReadAllLines(Path.Combine(fx.Data, "annotations", "manual", "PHOENIX-2014-T.train.corpus.csv"))[1].Split('|')[5];
        Assert.Equal(9, vocab.Encode(firstTrain.Split(' ')[0]));
        Assert.True(vocab.LowerCase);
    }

    [SentencePieceFact]
    public void Remain_heads_and_the_probabilities_mapper_are_written_on_request()
    {
        var dir = PyTorchReference.TempDir();
        try
        {
            SltReferenceFixture.Create(fx.Data, dir, "--mapper probabilities --with-remain-heads --no-sensitivity");
            var info = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "fixture.json"))).RootElement;
            int d = info.GetProperty("d").GetInt32(), v = info.GetProperty("gloss_vocab").GetInt32();
            using var scope = torch.NewDisposeScope();
            var file = StateDictFile.Read(Path.Combine(dir, "s2t_joint", "best.ckpt"));
            AssertHead(file, "visual_head_remain.0", 192, v);
            AssertHead(file, "visual_head_remain.1", 480, v);
            AssertHead(file, "visual_head_keypoint_remain.0", 192, v);
            AssertHead(file, "visual_head_keypoint_remain.1", 480, v);
            Assert.Equal(new long[] { d, v }, file.Tensors["vl_mapper.mapping.weight"].shape);
            Assert.DoesNotContain("vl_mapper.mapping.bias", file.Tensors.Keys);
            Assert.DoesNotContain("vl_mapper.mapping.0.weight", file.Tensors.Keys);
        }
        finally { Directory.Delete(dir, true); }
    }
}
