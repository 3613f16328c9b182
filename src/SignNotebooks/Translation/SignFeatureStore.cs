using SignNotebooks.Data;
using SignNotebooks.Models;
using SignNotebooks.Training;
using SignNotebooks.Util;
using TorchSharp;
using static TorchSharp.torch;

namespace SignNotebooks.Translation;

/// <summary>
/// Feature extraction of spec §10.3: a trained TwoStream-SLR runs in eval mode (no augmentation) over a split and,
/// per clip, the pooled C4 features of both streams (T/4 × C, valid frames only) are kept — SLRT's
/// <c>head_rgb_input</c> / <c>head_keypoint_input</c>. The S2T collate's +1e-8 is not applied (it changes nothing
/// measurable). Kept in memory per (run weights, split, clip count).
/// </summary>
public sealed class SignFeatureStore
{
    private readonly Dictionary<string, Dictionary<string, (Tensor Video, Tensor Keypoint)>> _splits = new();

    public TrainingConfig RecognitionConfig { get; }
    public string Weights { get; }
    /// <summary>C4 channels per stream.</summary>
    public int FeatureSize { get; private set; }

    /// <summary>Where extraction runs (the features are kept on the CPU).</summary>
    public Device Device { get; init; } = CPU;

    public SignFeatureStore(TrainingConfig recognitionConfig, string weights)
    {
        if (recognitionConfig.Model.Streams != StreamKind.TwoStream)
            throw new UserFacingException($"Sign2Text reads the features of a two-stream recognition model (spec §10.3), but {weights} is a {recognitionConfig.Model.Streams} model. Fix: pass the joint-stage run (signnb train --stage joint).");
        RecognitionConfig = recognitionConfig;
        Weights = weights;
    }

    /// <summary>The features of the first <paramref name="max"/> clips of a split (extracted on first use).</summary>
    /// <param name="glosses">The recognition run's gloss vocabulary (a real corpus's); null = SynthSign's.</param>
    public IReadOnlyDictionary<string, (Tensor Video, Tensor Keypoint)> Split(ISignDataset dataset, string split, int? max, TextWriter? log = null, Vocabulary? glosses = null)
    {
        var key = $"{split}:{max}";
        if (_splits.TryGetValue(key, out var cached)) return cached;
        var subset = max is { } m ? new DatasetSubset(dataset, new Dictionary<string, int> { [split] = m }) : dataset;
        var vocabulary = glosses ?? Vocabulary.SynthSign(dataset.Glosses);
        var loader = new SignLoader(subset, split, vocabulary, RecognitionConfig.Input,
            new LoaderOptions(8, Train: false, Shuffle: false, Seed: RecognitionConfig.Seed, Streams: InputStreams.Both, Prefetch: 0));
        var model = Trainer.LoadModel(RecognitionConfig, Weights);
        if (Device.type != DeviceType.CPU) model.to(Device);
        model.eval();
        var result = new Dictionary<string, (Tensor, Tensor)>(StringComparer.Ordinal);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        // Batches of equal-length clips only (as evaluation, issue 20): padding frames would reach a shorter clip's
        // features through the temporal convolutions, so its features would depend on its batch-mates. no_grad, not
        // inference mode: the features feed Sign2Text training, and inference tensors cannot be saved for backward.
        foreach (var group in Evaluation.EvaluationForward.Groups(loader, Evaluation.EvaluationBatching.ExactLength))
        {
            using var batch = loader.Build(group, 0);
            using var gcOff = NoGcRegion.Enter();
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var o = Device.type == DeviceType.CPU ? model.Forward(batch.Video, batch.Heatmaps, batch.LengthsTensor)
                : model.Forward(batch.Video?.to(Device), batch.Heatmaps?.to(Device), batch.LengthsTensor.to(Device));
            var lengths = o[RecognitionOutputs.Video].ValidLengths.cpu().data<long>().ToArray();
            for (int b = 0; b < batch.Size; b++)
            {
                var v = o.VideoFeatures![b].narrow(0, 0, lengths[b]).cpu().clone();    // (T', C) valid frames
                var k = o.KeypointFeatures![b].narrow(0, 0, lengths[b]).cpu().clone();
                result[batch.Names[b]] = (v.DetachFromDisposeScope(), k.DetachFromDisposeScope());
            }
        }
        FeatureSize = (int)result.First().Value.Item1.shape[1];
        log?.WriteLine($"features of {result.Count} {split} clips extracted in {sw.Elapsed.TotalSeconds:F1} s ({FeatureSize} channels per stream)");
        _splits[key] = result;
        return result;
    }
}
