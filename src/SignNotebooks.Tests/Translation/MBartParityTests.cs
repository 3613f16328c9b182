using System.Collections;
using SignNotebooks.Checkpoints;
using SignNotebooks.Tests.Models;
using SignNotebooks.Translation;
using SignNotebooks.Util;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace SignNotebooks.Tests.Translation;

/// <summary>
/// The mBART port against environment/tools/pytorch/mbart_ref.py, an independent plain-PyTorch mBART forward with
/// Hugging Face key names: its state dict loads with a clean report and the logits agree (ids and embeddings input).
/// </summary>
public class MBartParityTests(Xunit.Abstractions.ITestOutputHelper log)
{
    private static readonly MBartConfig Ref = MBartConfig.Tiny(40) with
    {
        DModel = 32, EncoderLayers = 2, DecoderLayers = 2, EncoderAttentionHeads = 4, DecoderAttentionHeads = 4,
        EncoderFfnDim = 64, DecoderFfnDim = 64, MaxPositionEmbeddings = 64,
    };

    [PyTorchFact]
    public void Tiny_mbart_matches_the_independent_pytorch_forward()
    {
        var dir = PyTorchReference.TempDir();
        try
        {
            PyTorchReference.RunScript("mbart_ref.py", $"fixture \"{dir}\" --vocab 40 --d 32 --layers 2 --heads 4 --ffn 64 --max-pos 64");
            using var scope = torch.NewDisposeScope();
            var model = new MBartForConditionalGeneration(Ref);
            var report = ModuleLoader.Load(model, StateDictFile.Read(Path.Combine(dir, "weights.pt")), strict: true);
            log.WriteLine(report.ToString());
            Assert.True(report.IsComplete, report.ToString());
            Assert.Empty(report.Ignored);

            Hashtable io = PyTorchUnpickler.UnpickleStateDict(Path.Combine(dir, "io.pt"));
            Tensor T(string k) => (Tensor)io[k]!;
            model.eval();
            using (torch.no_grad())
            {
                var mask = T("attention_mask").to(ScalarType.Bool);
                var logits = model.Forward(T("input_ids"), mask, T("decoder_input_ids"));
                var diff = (logits - T("logits")).abs().max().item<float>();
                log.WriteLine($"logits from ids: max abs diff {diff:E2}");
                Assert.True(diff <= 1e-4f, $"max abs diff {diff}");

                var enc = model.Model.Encoder.Run(T("inputs_embeds"), null);
                var fromEmbeds = model.Logits(model.Model.Decoder.Run(T("decoder_input_ids"), null, enc, null).Hidden);
                var diff2 = (fromEmbeds - T("logits_from_embeds")).abs().max().item<float>();
                log.WriteLine($"logits from embeddings: max abs diff {diff2:E2}");
                Assert.True(diff2 <= 1e-4f, $"max abs diff {diff2}");
            }
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void A_file_without_the_tied_aliases_loads_completely()
    {
        using var scope = torch.NewDisposeScope();
        var source = new MBartForConditionalGeneration(MBartConfig.Tiny(30));
        var tensors = source.state_dict().Where(kv => kv.Key is not ("lm_head.weight" or "model.encoder.embed_tokens.weight" or "model.decoder.embed_tokens.weight"))
            .ToDictionary(kv => "translation_network.model." + kv.Key, kv => kv.Value);
        var target = new MBartForConditionalGeneration(MBartConfig.Tiny(30));
        var report = ModuleLoader.Load(target, new StateDictFile("memory", tensors, null, []), "translation_network.model.", strict: true);
        Assert.True(report.IsComplete, report.ToString());
        Assert.Equal(0, (target.state_dict()["lm_head.weight"] - source.state_dict()["model.shared.weight"]).abs().max().item<float>());
        var wrong = new MBartForConditionalGeneration(MBartConfig.Tiny(31));
        var e = Assert.Throws<SignNotebooks.Util.UserFacingException>(() => ModuleLoader.Load(wrong, new StateDictFile("memory", tensors, null, []), "translation_network.model.", strict: true));
        Assert.Contains("shape mismatch", e.Message);
    }

    [Fact]
    public void Tied_embedding_is_one_parameter_under_the_hugging_face_names()
    {
        using var scope = torch.NewDisposeScope();
        var model = new MBartForConditionalGeneration(MBartConfig.Tiny(30));
        var keys = model.state_dict().Keys.ToList();
        foreach (var k in new[] { "model.shared.weight", "model.encoder.embed_tokens.weight", "model.decoder.embed_tokens.weight", "lm_head.weight",
                                  "final_logits_bias", "model.encoder.embed_positions.weight", "model.encoder.layernorm_embedding.weight",
                                  "model.encoder.layer_norm.weight", "model.decoder.layers.0.encoder_attn.q_proj.weight",
                                  "model.decoder.layers.0.encoder_attn_layer_norm.bias", "model.encoder.layers.0.fc1.weight" })
            Assert.Contains(k, keys);
        Assert.Equal(new long[] { 128 + 2, 32 }, model.state_dict()["model.decoder.embed_positions.weight"].shape);
        var sd = model.state_dict();
        Assert.Equal(TensorStorage.DataPointer(sd["model.shared.weight"]), TensorStorage.DataPointer(sd["lm_head.weight"]));
        Assert.Equal(TensorStorage.DataPointer(sd["model.shared.weight"]), TensorStorage.DataPointer(sd["model.decoder.embed_tokens.weight"]));
        long unique = model.UniqueParameters().Sum(p => p.numel());
        long shared = 30 * 32;
        Assert.Equal(model.parameters().Sum(p => p.numel()) - (model.parameters().Count() - model.UniqueParameters().Count()) * shared, unique);
    }
}
