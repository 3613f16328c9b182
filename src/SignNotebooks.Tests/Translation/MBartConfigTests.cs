using SignNotebooks.Translation;
using SignNotebooks.Util;

namespace SignNotebooks.Tests.Translation;

public class MBartConfigTests
{
    [Fact]
    public void Reads_a_hugging_face_config_json_and_defaults_are_mbart_large_cc25()
    {
        var d = new MBartConfig();
        Assert.Equal((250027, 1024, 12, 12, 16, 4096), (d.VocabularySize, d.DModel, d.EncoderLayers, d.DecoderLayers, d.EncoderAttentionHeads, d.EncoderFfnDim));
        var path = Path.GetTempFileName();
        try
        {
            // A pruned mBart_de config keeps the architecture and changes vocab_size (spec §10.1).
            File.WriteAllText(path, """
                { "activation_function": "gelu", "d_model": 1024, "encoder_layers": 12, "decoder_layers": 12, "vocab_size": 2454,
                  "scale_embedding": true, "dropout": 0.1, "attention_dropout": 0.0, "max_position_embeddings": 1024, "normalize_before": true }
                """);
            var c = MBartConfig.FromHuggingFaceJson(path);
            Assert.Equal(2454, c.VocabularySize);
            Assert.Equal(0.0, c.AttentionDropout);
            Assert.True(c.ScaleEmbedding);
            File.WriteAllText(path, """{ "activation_function": "relu" }""");
            var e = Assert.Throws<UserFacingException>(() => MBartConfig.FromHuggingFaceJson(path));
            Assert.Contains("Fix:", e.Message);
            File.WriteAllText(path, """{ "d_model": 30, "encoder_attention_heads": 16 }""");
            Assert.Throws<UserFacingException>(() => MBartConfig.FromHuggingFaceJson(path));
        }
        finally { File.Delete(path); }
    }
}
