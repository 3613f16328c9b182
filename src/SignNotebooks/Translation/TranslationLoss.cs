using TorchSharp;
using SignNotebooks.Util;
using static TorchSharp.torch;

namespace SignNotebooks.Translation;

/// <summary>
/// The translation loss of spec §10.2: KL divergence to a label-smoothed target, summed over tokens and divided by
/// the batch size. The target puts 1 − ε on the gold word and spreads ε over the V − 2 words that are neither gold
/// nor &lt;pad&gt;; &lt;pad&gt; gets 0 and padded positions contribute nothing. ε = 0 is cross-entropy.
/// </summary>
public static class TranslationLoss
{
    /// <param name="logits">(B, L, V)</param>
    /// <param name="labels">(B, L) word ids, <see cref="TranslationVocabulary.PadId"/> where unused.</param>
    public static Tensor Compute(Tensor logits, Tensor labels, double smoothing, int padId = TranslationVocabulary.PadId)
    {
        long b = logits.shape[0], v = logits.shape[2];
        var logp = nn.functional.log_softmax(logits, -1).reshape(-1, v);   // (B, L, V) -> (B·L, V)
        var gold = labels.reshape(-1);                                      // (B, L) -> (B·L)
        var keep = gold.ne(KeptScalars.I(padId)).to(logp.dtype);            // (B·L)
        var goldLogp = logp.gather(1, gold.unsqueeze(1)).squeeze(1);        // (B·L)
        var nll = goldLogp.neg();
        Tensor perToken;
        if (smoothing <= 0) perToken = nll;
        else
        {
            double off = smoothing / (v - 2), on = 1 - smoothing;
            // Σ_w t_w (log t_w − log p_w) with t = on at gold, off elsewhere except pad (0).
            var sumOthers = logp.sum(1).sub(goldLogp).sub(logp.select(1, padId)); // Σ over non-gold, non-pad words
            double entropy = on * Math.Log(on) + (v - 2) * off * Math.Log(off);
            perToken = sumOthers.mul(KeptScalars.F(-off)).add(nll.mul(KeptScalars.F(on)), KeptScalars.F(1)).add(KeptScalars.F(entropy), KeptScalars.F(1));
        }
        return perToken.mul(keep).sum().div(KeptScalars.F(b));
    }
}
