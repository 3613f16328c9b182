using System.Text;
using SignNotebooks.Translation;
using TorchSharp;
using static TorchSharp.torch;

namespace SignNotebooks.Tests.Translation;

/// <summary>
/// The SentencePiece side of a real mBART on a hand-written 16-piece BPE model (protobuf written here, no Python):
/// fairseq's id offset, the language codes after the pieces, pruning of ids and of the vocabulary rows.
/// </summary>
public class MBartTextTokenizerTests
{
    // (piece, score, type: 1 normal, 2 unknown, 3 control); merges: th > ▁th > ▁the > re > ▁there > ai > ain
    private static readonly (string Piece, float Score, int Type)[] Pieces =
    [
        ("<unk>", 0, 2), ("<s>", 0, 3), ("</s>", 0, 3), ("▁", -20, 1), ("t", -21, 1), ("h", -22, 1), ("e", -23, 1), ("r", -24, 1),
        ("a", -25, 1), ("i", -26, 1), ("n", -27, 1), ("th", -1, 1), ("▁th", -2, 1), ("▁the", -3, 1), ("re", -4, 1), ("▁there", -5, 1),
        ("ai", -6, 1), ("ain", -7, 1),
    ];

    private static MemoryStream Model()
    {
        var pieces = new List<byte>();
        foreach (var (p, score, type) in Pieces)
        {
            var msg = new List<byte>();
            Bytes(msg, 1, Encoding.UTF8.GetBytes(p));
            msg.Add((2 << 3) | 5); msg.AddRange(BitConverter.GetBytes(score));
            Varint(msg, (3 << 3) | 0); Varint(msg, (ulong)type);
            Bytes(pieces, 1, msg.ToArray());
        }
        var trainer = new List<byte>();
        Varint(trainer, (3 << 3) | 0); Varint(trainer, 2);                 // model_type = BPE
        Varint(trainer, (4 << 3) | 0); Varint(trainer, (ulong)Pieces.Length); // vocab_size
        var normalizer = new List<byte>();
        Bytes(normalizer, 1, Encoding.UTF8.GetBytes("identity"));
        foreach (int field in new[] { 3, 4, 5 }) { Varint(normalizer, (ulong)(field << 3)); Varint(normalizer, 1); } // dummy prefix, collapse and escape spaces
        var model = new List<byte>(pieces);
        Bytes(model, 2, trainer.ToArray());
        Bytes(model, 3, normalizer.ToArray());
        return new MemoryStream(model.ToArray());
    }

    private static void Varint(List<byte> b, ulong v) { while (v >= 0x80) { b.Add((byte)(v | 0x80)); v >>= 7; } b.Add((byte)v); }
    private static void Bytes(List<byte> b, int field, byte[] data) { Varint(b, (ulong)((field << 3) | 2)); Varint(b, (ulong)data.Length); b.AddRange(data); }

    [Fact]
    public void Pieces_get_fairseq_ids_and_language_codes_follow_them()
    {
        var tok = new MBartTextTokenizer(Model(), Pieces.Length);
        // "▁the" is piece 13 → 14; "▁there" 15 → 16; "rain" = "▁" "r" "ain" → 4, 8, 18
        Assert.Equal(new[] { 14, 16, 4, 8, 18 }, tok.EncodeFull("the there rain"));
        Assert.Equal("the there rain", tok.Decode(tok.EncodeFull("the there rain").Append(TranslationVocabulary.EosId)));
        Assert.Equal(Pieces.Length + 1 + 3, tok.LanguageFullId("en_XX"));   // as 250004 = 250000 + 1 + 3 in mbart-large-cc25
        Assert.Equal(Pieces.Length + 1 + 25, tok.MaskFullId);
        Assert.Equal(Pieces.Length + 27, tok.FullVocabularySize);
    }

    [Fact]
    public void Pruning_keeps_specials_languages_and_used_ids_and_remaps_the_rows()
    {
        var full = new MBartTextTokenizer(Model(), Pieces.Length);
        var used = full.EncodeFull("the there");
        var map = MBartPruneMap.Build(used, full.AlwaysKept);
        Assert.Equal(4 + 2 + 25 + 1, map.Count);
        var pruned = new MBartTextTokenizer(Model(), Pieces.Length, map);
        Assert.Equal(new[] { 4, 5 }, pruned.Encode("the there"));         // right after the 4 specials
        Assert.Equal(TranslationVocabulary.UnkId, pruned.Encode("rain")[1]); // pruned away
        Assert.Equal("the there", pruned.Decode(pruned.Encode("the there")));
        Assert.Equal(map.Count - 1, map.ToNew(full.MaskFullId));

        using var scope = NewDisposeScope();
        var embed = torch.arange(full.FullVocabularySize, dtype: float32).unsqueeze(1).expand(-1, 3).contiguous(); // row i holds i
        var state = new Dictionary<string, Tensor> { ["model.shared.weight"] = embed, ["final_logits_bias"] = embed[.., 0].unsqueeze(0), ["model.encoder.layer_norm.weight"] = torch.ones(3) };
        var p = map.Prune(state);
        Assert.Equal(new long[] { map.Count, 3 }, p["model.shared.weight"].shape);
        Assert.Equal(14f, p["model.shared.weight"][4, 0].item<float>());
        Assert.Equal((float)full.LanguageFullId("en_XX"), p["final_logits_bias"][0, map.ToNew(full.LanguageFullId("en_XX"))!.Value].item<float>());
        Assert.Equal(3, p["model.encoder.layer_norm.weight"].shape[0]);
    }
}
