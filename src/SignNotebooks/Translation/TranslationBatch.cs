using SignNotebooks.Util;
using static TorchSharp.torch;

namespace SignNotebooks.Translation;

/// <summary>
/// A batch for either stage. Gloss2Text uses <see cref="GlossIds"/>; Sign2Text uses the features and the CTC
/// targets. Both carry the target word ids and the reference texts.
/// </summary>
public sealed class TranslationBatch
{
    public required string[] Names { get; init; }
    public required string[] References { get; init; }
    /// <summary>Target word ids per sentence (no specials).</summary>
    public required int[][] TextIds { get; init; }
    /// <summary>(B, L) gloss-side ids padded with the gloss pad id; lengths in <see cref="GlossLengths"/>.</summary>
    public required Tensor GlossIds { get; init; }
    public required long[] GlossLengths { get; init; }
    /// <summary>Sign2Text: (B, T', C) pooled features per stream and valid lengths; null for Gloss2Text.</summary>
    public Tensor? Video { get; init; }
    public Tensor? Keypoint { get; init; }
    public long[]? FeatureLengths { get; init; }

    public int Size => Names.Length;

    /// <summary>Builds a batch; <paramref name="features"/> (per sentence: video (T', C), keypoint (T', C)) only for Sign2Text.</summary>
    public static TranslationBatch Create(IReadOnlyList<TranslationExample> examples, TranslationVocabulary vocabulary,
                                          IReadOnlyList<(Tensor Video, Tensor Keypoint)>? features = null)
    {
        int b = examples.Count;
        var glossIds = examples.Select(e => vocabulary.EncodeGlosses(e.Glosses)).ToArray();
        long width = Math.Max(1, glossIds.Max(g => g.Length));
        var flat = new long[b * width];
        Array.Fill(flat, vocabulary.GlossPadId);
        for (int i = 0; i < b; i++) for (int j = 0; j < glossIds[i].Length; j++) flat[i * width + j] = glossIds[i][j];
        Tensor? video = null, keypoint = null;
        long[]? lengths = null;
        if (features is not null)
        {
            lengths = features.Select(f => f.Video.shape[0]).ToArray();
            long t = lengths.Max();
            // (T', C) each -> (B, T'max, C), zero padded; the heads mask by length
            video = stack(features.Select(f => nn.functional.pad(f.Video, new long[] { 0, 0, 0, t - f.Video.shape[0] })).ToArray());
            keypoint = stack(features.Select(f => nn.functional.pad(f.Keypoint, new long[] { 0, 0, 0, t - f.Keypoint.shape[0] })).ToArray());
        }
        return new TranslationBatch
        {
            Names = examples.Select(e => e.Name).ToArray(),
            References = examples.Select(e => e.Text).ToArray(),
            TextIds = examples.Select(e => vocabulary.EncodeText(e.Text)).ToArray(),
            GlossIds = tensor(flat).view(b, width), // (B·L) -> (B, L)
            GlossLengths = glossIds.Select(g => (long)g.Length).ToArray(),
            Video = video, Keypoint = keypoint, FeatureLengths = lengths,
        };
    }

    /// <summary>CTC targets: recognition ids (the first <see cref="TranslationVocabulary.RecognitionSize"/> gloss-side ids are the recognition vocabulary).</summary>
    public (Tensor Targets, Tensor Lengths) CtcTargets() => (GlossIds, tensor(GlossLengths));

    /// <summary>Splits a list into batches of <paramref name="size"/> in the given order.</summary>
    public static IEnumerable<int[]> Chunks(int[] order, int size)
    {
        if (size < 1) throw new UserFacingException($"batch size {size}: must be ≥ 1. Fix: set BatchSize ≥ 1.");
        for (int i = 0; i < order.Length; i += size) yield return order[i..Math.Min(order.Length, i + size)];
    }
}
