namespace SignNotebooks.Pose;

/// <summary>One conv → BN → ReLU layer of <see cref="SynthPoseNet"/>: output channels, stride, dilation (3×3 kernel).</summary>
public sealed record SynthPoseLayer(int Channels, int Stride = 1, int Dilation = 1);

/// <summary>
/// The SynthSign pose model and its training. The architecture is fixed and small on purpose: a stack of 3×3
/// conv → BN → ReLU layers (one stride-2 layer, then dilations that grow the receptive field to the whole signer so
/// left and right hands can be told apart) and a 1×1 head with one heatmap per COCO-WholeBody keypoint, so it can
/// be written as a plain ONNX graph and trained on a CPU in seconds (tiny) to minutes (standard).
/// </summary>
/// <param name="Profile">SynthSign profile whose train split supplies frames and true keypoints.</param>
/// <param name="InputSize">Square model input; frames are resized to it by the estimator's own crop.</param>
/// <param name="Sigma">Target Gaussian σ in heatmap pixels.</param>
/// <param name="Steps">Optimiser steps (Adam, cosine decay to zero).</param>
/// <param name="TrainClips">Train clips that supply frames (null = all).</param>
/// <param name="FrameStride">Every n-th frame of each clip (neighbouring frames are near duplicates).</param>
public sealed record SynthPoseConfig(
    string Profile = "tiny",
    int InputSize = 64,
    double Sigma = 1.0,
    int Steps = 300,
    int BatchSize = 32,
    double LearningRate = 3e-3,
    int? TrainClips = null,
    int FrameStride = 2,
    int CorpusSeed = 0,
    int Seed = 1)
{
    /// <summary>The layers before the head: (16, s2), (32, s2), then 32 channels at dilations 1, 2, 4, 1 on the 1/4-size grid.</summary>
    public IReadOnlyList<SynthPoseLayer> Layers { get; init; } =
        [new(16, 2), new(32, 2), new(32), new(32, 1, 2), new(32, 1, 4), new(32)];

    /// <summary>Heatmap side: the input divided by the product of the strides.</summary>
    public int HeatmapSize => InputSize / Layers.Aggregate(1, (a, l) => a * l.Stride);

    /// <summary>Settings per SynthSign profile: tiny trains in seconds for tests and CI notebooks, standard in minutes.</summary>
    public static SynthPoseConfig For(string profile) => profile switch
    {
        "tiny" => new SynthPoseConfig("tiny", Steps: 200, BatchSize: 16, FrameStride: 2),
        "standard" => new SynthPoseConfig("standard", Steps: 1500, TrainClips: 400, FrameStride: 4),
        _ => new SynthPoseConfig(profile, Steps: 1500, TrainClips: 400, FrameStride: 4),
    };
}
