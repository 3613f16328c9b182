using SignNotebooks.Models;
using TorchSharp.Modules;

namespace SignNotebooks.Training;

/// <summary>
/// <see cref="TrainingConfig.StreamFreezeSteps"/>: holds the weights that the joint stage merged from the stream stages
/// fixed for the first steps. Frozen parameters get no gradient, so Adam skips them (its L2 term included), and they
/// join the optimiser's state only when they thaw. BatchNorm running statistics still follow the batches (train mode).
/// </summary>
internal sealed class StreamFreeze
{
    // Official key fragments of the parts that have no counterpart in a single-stream checkpoint (spec §12), i.e. what
    // StreamMerge leaves random.
    private const string Lateral = "_lateral.";
    private static readonly string[] NewParts = { Lateral, ".pyramid.", "_remain.", "visual_head_fuse." };

    private readonly List<Parameter> _streamParams;
    private readonly int _steps;
    private bool? _frozen;

    private StreamFreeze(List<Parameter> streamParams, int steps) => (_streamParams, _steps) = (streamParams, steps);

    public static StreamFreeze? For(RecognitionModel model, TrainingConfig config)
    {
        if (config.Stage != TrainingStage.Joint || config.StreamFreezeSteps is not { } n || n <= 0) return null;
        var ps = model.named_parameters()
            .Where(p => p.parameter.requires_grad && !NewParts.Any(p.name.Contains))   // a frozen RGB stem stays frozen
            .Select(p => p.parameter).ToList();
        return new StreamFreeze(ps, n);
    }

    public static bool IsNewPart(string key) => NewParts.Any(key.Contains);

    /// <summary>A lateral connection's tensor (<see cref="TrainingConfig.LateralLearningRateScale"/>).</summary>
    public static bool IsLateral(string key) => key.Contains(Lateral);

    /// <summary>Called before each forward pass with the number of optimiser steps taken so far.</summary>
    public void Apply(long step)
    {
        bool frozen = step < _steps;
        if (_frozen == frozen) return;
        foreach (var p in _streamParams) p.requires_grad = !frozen;
        _frozen = frozen;
    }
}
