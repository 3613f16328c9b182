using SignNotebooks.Data;
using static TorchSharp.torch;

namespace SignNotebooks.Models;

/// <summary>Every head's frame-level log-posteriors for one prepared clip, as plain arrays (analysis, pseudo-alignments).</summary>
public static class ClipPosteriorsForward
{
    /// <summary>
    /// Runs <paramref name="model"/> in eval mode on one clip's inputs and returns, per head, its (steps · V) row-major
    /// log-probabilities cut to the valid steps, with the vocabulary size V.
    /// </summary>
    public static (IReadOnlyDictionary<string, (float[] LogProbs, int Steps)> Heads, int Vocab) Run(RecognitionModel model, ClipInputs inputs)
    {
        using var gcOff = Util.NoGcRegion.Enter(); // see NoGcRegion: TorchSharp's implicit Scalars
        using var scope = NewDisposeScope();
        // Inference mode: nothing computed here reaches autograd (the scores leave as arrays), so libtorch keeps no version counters.
        using var inference = inference_mode();
        model.eval();
        // (C, L, H, W) -> (1, C, L, H, W): a batch of one clip.
        var outputs = model.Forward(inputs.Video?.unsqueeze(0), inputs.Heatmaps?.unsqueeze(0), tensor(new long[] { inputs.Length }));
        var heads = new Dictionary<string, (float[], int)>(StringComparer.Ordinal);
        int vocab = 0;
        foreach (var (name, h) in outputs.Heads)
        {
            int steps = (int)h.ValidLengths[0].item<long>();
            vocab = (int)h.LogProbs.shape[2];
            // (1, T', V) -> (steps, V) row-major floats.
            heads[name] = (h.LogProbs[0].narrow(0, 0, steps).contiguous().data<float>().ToArray(), steps);
        }
        return (heads, vocab);
    }
}
