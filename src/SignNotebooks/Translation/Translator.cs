using SignNotebooks.Util;
using static TorchSharp.torch;

namespace SignNotebooks.Translation;

/// <summary>
/// Decodes with one translation network or the multi-source ensemble of several (spec §10.5): every network
/// encodes its own input, and at each step the networks' next-word probabilities are summed, then logged, as the
/// paper does (<see cref="EnsembleScores"/>). Summed and averaged scores rank the candidates of a step and the
/// finished hypotheses alike, but not the early stop of beam search: a live beam's score is divided by its length
/// including the start token, so the log M that every step adds does not cancel, and the sum stops earlier.
/// <para>Entry point for `recognize`: <see cref="TranslationRun.Load"/> a run folder, then
/// <see cref="TranslateGlosses"/> (Gloss2Text) or <see cref="TranslateFeatures"/> (Sign2Text, pooled C4 features of a
/// TwoStream-SLR, e.g. <c>RecognitionOutputs.VideoFeatures/KeypointFeatures</c> of one clip).</para>
/// </summary>
public sealed class Translator
{
    public IReadOnlyList<SignTranslationModel> Networks { get; }

    /// <summary>
    /// How the ensemble's step combines its members: <see cref="EnsembleScoring.Sum"/> (the default, spec §10.5: log Σ p)
    /// or <see cref="EnsembleScoring.Mean"/> (log of the mean, what this port used before issue 20). One network: itself.
    /// </summary>
    public EnsembleScoring EnsembleScores { get; init; } = EnsembleScoring.Sum;

    public Translator(params SignTranslationModel[] networks)
    {
        if (networks.Length == 0) throw new ArgumentException("at least one network", nameof(networks));
        if (networks.Any(n => n.Vocabulary.TextTokens.Count != networks[0].Vocabulary.TextTokens.Count))
            throw new UserFacingException("an ensemble needs networks with the same text vocabulary. Fix: train them on the same corpus.");
        Networks = networks;
    }

    /// <summary>Translates every sentence of a batch (networks in eval mode, no gradients).</summary>
    public Hypothesis[] Decode(TranslationBatch batch, DecodeOptions options)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (var n in Networks) n.eval();
        var encoded = Networks.Select(n => n.Encode(batch)).ToArray();
        var result = new Hypothesis[batch.Size];
        var first = Networks[0];
        for (int i = 0; i < batch.Size; i++)
        {
            var cached = Networks.Select((n, j) => n.CachedStepFunction(encoded[j].Encoder, encoded[j].Mask, i)).ToArray();
            try
            {
                var step = Combine(cached.Select(c => (Func<Tensor, Tensor>)c.Next).ToArray(), EnsembleScores);
                result[i] = BeamSearch.Search(step, first.Vocabulary.TargetLanguageId, TranslationVocabulary.EosId, options, first.Forbidden);
            }
            finally { foreach (var c in cached) c.Dispose(); }
        }
        return result;
    }

    /// <summary>The ensemble step: log of the sum (spec §10.5) or of the mean of the members' next-word probabilities (one member: itself).</summary>
    public static Func<Tensor, Tensor> Combine(IReadOnlyList<Func<Tensor, Tensor>> steps, EnsembleScoring scoring = EnsembleScoring.Sum) =>
        steps.Count == 1 ? steps[0]
        : scoring == EnsembleScoring.Sum ? prefixes => stack(steps.Select(s => s(prefixes)).ToArray()).logsumexp(0)  // (M, N, V) -> (N, V)
        : prefixes => stack(steps.Select(s => s(prefixes)).ToArray()).logsumexp(0).sub(KeptScalars.F(Math.Log(steps.Count)));

    /// <summary>Decodes a list of examples in batches and scores them.</summary>
    /// <param name="clean">Applied to each decoded text before scoring (e.g. <see cref="MBartFolder.CleanHypothesis"/>).</param>
    /// <param name="progress">Called after each batch with the number of sentences done.</param>
    public TranslationEvaluation Evaluate(string split, string system, IReadOnlyList<TranslationExample> examples, DecodeOptions options,
                                          Func<IReadOnlyList<TranslationExample>, TranslationBatch> makeBatch, int batchSize = 16,
                                          Func<string, string>? clean = null, Action<int>? progress = null)
    {
        var hyps = new List<string>();
        foreach (var chunk in TranslationBatch.Chunks(Enumerable.Range(0, examples.Count).ToArray(), batchSize))
        {
            var batch = makeBatch(chunk.Select(i => examples[i]).ToArray());
            hyps.AddRange(Decode(batch, options).Select(h => Networks[0].Vocabulary.DecodeText(h.Ids)).Select(t => clean is null ? t : clean(t)));
            progress?.Invoke(hyps.Count);
        }
        return TranslationEvaluation.Score(split, system, examples.Select(e => e.Name).ToArray(), hyps, examples.Select(e => e.Text).ToArray());
    }

    /// <summary>Gloss2Text on one gloss sequence.</summary>
    public string TranslateGlosses(IEnumerable<string> glosses, DecodeOptions? options = null)
    {
        var example = new TranslationExample("input", glosses.ToArray(), "");
        var batch = TranslationBatch.Create([example], Networks[0].Vocabulary);
        return Networks[0].Vocabulary.DecodeText(Decode(batch, options ?? new DecodeOptions()).Single().Ids);
    }

    /// <summary>Sign2Text on one clip's pooled features: video (T', C) and keypoint (T', C), valid frames only.</summary>
    public string TranslateFeatures(Tensor video, Tensor keypoint, DecodeOptions? options = null)
    {
        var example = new TranslationExample("input", [], "");
        var batch = TranslationBatch.Create([example], Networks[0].Vocabulary, [(video, keypoint)]);
        return Networks[0].Vocabulary.DecodeText(Decode(batch, options ?? new DecodeOptions()).Single().Ids);
    }
}

/// <summary>How the multi-source ensemble combines its networks' next-word probabilities at each decoding step.</summary>
public enum EnsembleScoring
{
    /// <summary>log Σ_m p_m: SLRT's S2T_Ensemble (spec §10.5).</summary>
    Sum,
    /// <summary>log (1/M) Σ_m p_m: the same ranking within a step, a later early stop.</summary>
    Mean,
}
