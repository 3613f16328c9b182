using TorchSharp;
using static TorchSharp.torch;

namespace SignNotebooks.Models.Heads;

/// <summary>
/// What one recognition head (or ensemble) produces. Logits/LogProbs/Probs are (B, T', V) with V incl. blank 0;
/// ValidLengths (B) int64 are the frames CTC may use; GlossFeature (B, T', 512) is the pre-classifier LayerNorm
/// output used by SLT (null for ensembles).
/// </summary>
public sealed record HeadOutput(Tensor Logits, Tensor LogProbs, Tensor Probs, Tensor ValidLengths, Tensor? GlossFeature)
{
    /// <summary>Builds the output of an ensemble from its logits = log(Σ p) (spec §3).</summary>
    public static HeadOutput FromLogits(Tensor logits, Tensor validLengths) =>
        new(logits, nn.functional.log_softmax(logits, -1), nn.functional.softmax(logits, -1), validLengths, null);
}
