namespace SignNotebooks.Models.Losses;

/// <summary>
/// Weights of the S2G loss terms (spec §6). Defaults are the paper's: main CTC 1 each, video aux 0.2 each,
/// keypoint aux 0.5 each, self-distillation 1 per student. A weight of 0 drops the term (it is not computed).
/// </summary>
public sealed record LossConfig
{
    public double VideoWeight { get; init; } = 1.0;
    public double KeypointWeight { get; init; } = 1.0;
    public double JointWeight { get; init; } = 1.0;
    /// <summary>spec §4: `head_weight_rgb 0.2`, applied to each of the two video SPN heads.</summary>
    public double VideoAuxWeight { get; init; } = 0.2;
    /// <summary>spec §4: `head_weight_keypoint 0.5`, applied to each of the two keypoint SPN heads.</summary>
    public double KeypointAuxWeight { get; init; } = 0.5;
    /// <summary>spec §5: weight of each KL(teacher ‖ student) term.</summary>
    public double DistillationWeight { get; init; } = 1.0;
    /// <summary>
    /// false (the default, spec §6's `zero_infinity`): a clip whose gloss target its valid length cannot emit
    /// (L + adjacent repeats > T', e.g. after temporal augmentation down to 0.5·T) gets a zero CTC loss and gradient; the
    /// trainer counts those clips per epoch (`ctc_zeroed_clips` in epochs.csv and steps.csv, and the progress line).
    /// true: such a target throws before any compute, naming the sample and the fix (the strict switch).
    /// </summary>
    public bool ThrowOnImpossibleTarget { get; init; }
    /// <summary>
    /// Weight of a frame-level cross-entropy on each main head against the corpus's true frame labels (SynthSign only;
    /// <see cref="FrameLabelLoss"/>). Not part of the paper: null (not written, so paper configs are unchanged) or 0
    /// leaves it out; the stage-0 pretraining sets it.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public double? FrameLabelWeight { get; init; }
}
