using static TorchSharp.torch;

namespace SignNotebooks.Models.Losses;

/// <summary>The total loss and every unweighted term by name (`ctc_video`, `ctc_video_aux_0`, `distill_joint`, …).</summary>
public sealed record LossResult(Tensor Total, IReadOnlyDictionary<string, Tensor> Terms)
{
    /// <summary>
    /// Batch indices of the clips whose gloss target at least one CTC head could not emit: their CTC loss there is zero
    /// (spec §6, `zero_infinity`; only when <see cref="LossConfig.ThrowOnImpossibleTarget"/> is false).
    /// </summary>
    public IReadOnlyList<int> ZeroedCtcClips { get; init; } = [];
}

/// <summary>
/// The S2G loss of spec §6:
/// L = CTC(V) + 0.2·ΣCTC(V aux) + CTC(K) + 0.5·ΣCTC(K aux) + CTC(J) + Σ_s KL(p_T ‖ p_s), s ∈ {V, K, J}.
/// Terms exist only for heads the model has; distillation only when the model config enables it.
/// </summary>
public sealed class RecognitionLoss
{
    private readonly ModelConfig model;
    private readonly LossConfig weights;

    public RecognitionLoss(ModelConfig model, LossConfig? weights = null)
    {
        this.model = model;
        this.weights = weights ?? new LossConfig();
    }

    /// <param name="outputs">The model's outputs for the batch.</param>
    /// <param name="targets">(B, L) padded gloss ids.</param>
    /// <param name="targetLengths">(B) int64.</param>
    /// <param name="frames">Per-frame targets (SynthSign); required when <see cref="LossConfig.FrameLabelWeight"/> is set.</param>
    public LossResult Compute(RecognitionOutputs outputs, Tensor targets, Tensor targetLengths, Data.FrameTargets? frames = null)
    {
        var terms = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var zeroed = new SortedSet<int>();
        Tensor? total = null;
        void Add(string name, Tensor value, double w)
        {
            terms[name] = value;
            var weighted = w == 1.0 ? value : value * w;
            total = total is null ? weighted : total + weighted;
        }
        void Ctc(string head, double w)
        {
            if (w == 0 || !outputs.Has(head)) return;
            var h = outputs[head];
            Add("ctc_" + head, CtcLoss.Compute(h.LogProbs, h.ValidLengths, targets, targetLengths, head, weights.ThrowOnImpossibleTarget, zeroed), w);
        }
        Ctc(RecognitionOutputs.Video, weights.VideoWeight);
        Ctc(RecognitionOutputs.VideoAux0, weights.VideoAuxWeight);
        Ctc(RecognitionOutputs.VideoAux1, weights.VideoAuxWeight);
        Ctc(RecognitionOutputs.Keypoint, weights.KeypointWeight);
        Ctc(RecognitionOutputs.KeypointAux0, weights.KeypointAuxWeight);
        Ctc(RecognitionOutputs.KeypointAux1, weights.KeypointAuxWeight);
        Ctc(RecognitionOutputs.Joint, weights.JointWeight);

        if (weights.FrameLabelWeight is { } fw && fw != 0)
        {
            if (frames is null)
                throw new Util.UserFacingException("Loss.FrameLabelWeight needs per-frame gloss labels, which only SynthSign has (no real corpus annotates " +
                    "gloss boundaries). Fix: train this stage on SynthSign, or set Loss.FrameLabelWeight to null.");
            foreach (var head in new[] { RecognitionOutputs.Video, RecognitionOutputs.Keypoint, RecognitionOutputs.Joint })
                if (outputs.Has(head)) Add("frame_ce_" + head, FrameLabelLoss.Compute(outputs[head].Logits, frames), fw);
        }

        if (model.Streams == StreamKind.TwoStream && model.SelfDistillation && weights.DistillationWeight != 0 && outputs.Has(RecognitionOutputs.EnsembleLast))
        {
            var teacher = outputs[RecognitionOutputs.EnsembleLast].LogProbs; // detached inside DistillationLoss (spec §5)
            // Each clip's KL covers its own valid frames only (the official per-clip computation; padding adds nothing).
            foreach (var s in new[] { RecognitionOutputs.Video, RecognitionOutputs.Keypoint, RecognitionOutputs.Joint })
                if (outputs.Has(s)) Add("distill_" + s, DistillationLoss.Compute(teacher, outputs[s].LogProbs, outputs[s].ValidLengths), weights.DistillationWeight);
        }
        if (total is null) throw new InvalidOperationException("no loss term: the outputs hold none of the weighted heads.");
        return new LossResult(total, terms) { ZeroedCtcClips = zeroed.ToArray() };
    }
}
