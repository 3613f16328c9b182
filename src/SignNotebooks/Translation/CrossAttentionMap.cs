using static TorchSharp.torch;

namespace SignNotebooks.Translation;

/// <summary>
/// Where the decoder looked while writing one translation: the last decoder layer's cross-attention, averaged over
/// heads, one row per generated word (and &lt;/s&gt;), one column per encoder position (glosses or feature steps, then
/// &lt;/s&gt; and the language code).
/// </summary>
public sealed record CrossAttentionMap(string Name, string System, string Reference, string Hypothesis,
    IReadOnlyList<string> Source, IReadOnlyList<string> Target, double[][] Weights)
{
    /// <summary>Decodes sentence <paramref name="index"/> of a batch with one network and reads its cross-attention.</summary>
    public static CrossAttentionMap Compute(SignTranslationModel model, TranslationBatch batch, int index, DecodeOptions options, string system)
    {
        var hyp = new Translator(model).Decode(batch, options)[index];
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (encoder, mask, _) = model.Encode(batch);
        var enc = encoder[index].unsqueeze(0);                     // (T, d) -> (1, T, d)
        var m = mask[index].unsqueeze(0);                          // (T) -> (1, T)
        long valid = m.sum().item<long>();
        var input = new long[] { model.Vocabulary.TargetLanguageId }.Concat(hyp.Ids.Select(i => (long)i)).ToArray();
        var weights = model.Translation.CrossAttention(enc, m, tensor(input).view(1, -1))[^1]; // (1, H, L, T)
        var avg = weights[0].mean([0]).narrow(1, 0, valid);         // (H, L, T) -> (L, T valid)
        var rows = Enumerable.Range(0, (int)avg.shape[0]).Select(r => avg[r].to(ScalarType.Float64).data<double>().ToArray()).ToArray();
        var source = batch.Video is null
            ? batch.GlossIds[index].narrow(0, 0, batch.GlossLengths[index]).data<long>().Select(i => model.Vocabulary.GlossTokens[(int)i]).ToList()
            : Enumerable.Range(0, (int)batch.FeatureLengths![index]).Select(t => $"t{4 * t}").ToList(); // one feature step = 4 frames
        source.Add(TranslationVocabulary.Eos);
        source.Add(model.Vocabulary.SourceLanguage);
        var target = hyp.Ids.Select(i => model.Vocabulary.TextTokens[i]).Append(TranslationVocabulary.Eos).ToList();
        return new CrossAttentionMap(batch.Names[index], system, batch.References[index], model.Vocabulary.DecodeText(hyp.Ids), source, target, rows);
    }
}
