using SignNotebooks.Data;
using SignNotebooks.Decoding;
using SignNotebooks.Evaluation;
using SignNotebooks.Models;
using SignNotebooks.Synthetic;

namespace SignNotebooks.Tests.Evaluation;

/// <summary>Issue 20 item 3: a clip's evaluation scores must not depend on the clips it shares a batch with.</summary>
public class EvaluationBatchingTests
{
    private const double Tolerance = 1e-5;

    private static (SynthSignDataset Ds, Vocabulary Vocabulary, RecognitionModel Model, SignLoader Loader) Setup()
    {
        var ds = new SynthSignDataset("tiny");
        var vocabulary = Vocabulary.SynthSign(ds.Glosses);
        var config = ModelRegistry.Get("keypoint-paper").Config with
        {
            Width = 0.125, HeadHidden = 32, HeadFeedForward = 64, PositionalMaxLength = 512, VocabularySize = vocabulary.Count,
        };
        TorchSharp.torch.manual_seed(3);
        var model = ModelRegistry.Create(config);
        var loader = new SignLoader(ds, "dev", vocabulary, InputConfig.Cpu with { RgbSize = 32, HeatmapSize = 16 },
            new LoaderOptions(BatchSize: 4, Train: false, Shuffle: false, Seed: 1, Streams: InputStreams.Heatmaps, Prefetch: 0));
        return (ds, vocabulary, model, loader);
    }

    // Each clip alone: a batch of one, so nothing is padded.
    private static Dictionary<string, IReadOnlyDictionary<string, (float[] LogProbs, int Steps)>> Alone(SynthSignDataset ds, RecognitionModel model, SignLoader loader, int clips) =>
        ds.ClipNames("dev").Take(clips).ToDictionary(n => n, n =>
        {
            using var inputs = loader.Pipeline.Prepare(ds.Load("dev", n, withFrames: false), train: false, new Random(0), InputStreams.Heatmaps);
            return ClipPosteriorsForward.Run(model, inputs).Heads;
        });

    // Largest |difference| over every head and valid step of each clip.
    private static Dictionary<string, double> Differences(IEnumerable<ClipScores> batched, Dictionary<string, IReadOnlyDictionary<string, (float[] LogProbs, int Steps)>> alone)
    {
        var result = new Dictionary<string, double>();
        foreach (var clip in batched.Where(c => alone.ContainsKey(c.Name)))
        {
            double worst = 0;
            foreach (var (head, (scores, steps)) in clip.Heads)
            {
                var (reference, refSteps) = alone[clip.Name][head];
                Assert.Equal(refSteps, steps);
                var s = scores.Span;
                for (int i = 0; i < reference.Length; i++) worst = Math.Max(worst, Math.Abs(s[i] - reference[i]));
            }
            result[clip.Name] = worst;
        }
        return result;
    }

    [Fact]
    public void A_clips_posteriors_alone_equal_those_inside_an_evaluation_batch()
    {
        var (ds, _, model, loader) = Setup();
        using var _ = model;
        const int clips = 8;
        var alone = Alone(ds, model, loader, clips);
        var exact = Differences(EvaluationForward.Run(model, loader).SelectMany(b => b), alone);
        Assert.Equal(clips, exact.Count);
        Assert.All(exact, d => Assert.True(d.Value <= Tolerance, $"{d.Key}: posteriors differ by {d.Value:E2} from the clip alone"));

        // The same check fails on padded batches (evaluation before issue 20) for a clip shorter than its batch-mates:
        // the test can tell the two apart.
        var lengths = Enumerable.Range(0, clips).ToDictionary(p => ds.ClipNames("dev")[p], p => loader.SampledLength(p, 0));
        var firstBatch = loader.Batches(0)[0].Select(p => ds.ClipNames("dev")[p]).ToArray();
        var shorter = firstBatch.Where(n => lengths[n] < firstBatch.Max(m => lengths[m])).ToArray();
        Assert.NotEmpty(shorter);
        var padded = Differences(EvaluationForward.Run(model, loader, EvaluationSettings.Previous).SelectMany(b => b), alone);
        Assert.Contains(shorter, n => padded[n] > Tolerance);
    }

    [Fact]
    public void Evaluation_decodes_each_clips_own_posteriors_whatever_the_threads_and_batching()
    {
        var (ds, vocabulary, model, loader) = Setup();
        using var _ = model;
        var alone = Alone(ds, model, loader, loader.ClipCount);
        var options = new CtcDecodeOptions { Method = CtcDecodeMethod.BeamSearch, BeamWidth = 3, Blank = vocabulary.BlankId };
        foreach (var settings in new[] { EvaluationSettings.Default, EvaluationSettings.Default with { TorchThreads = 1 }, EvaluationSettings.Default with { DecodeThreads = 1, InferenceMode = false } })
        {
            int threads = TorchSharp.torch.get_num_threads();
            TorchSharp.torch.set_num_threads(2);
            SplitEvaluation eval;
            try
            {
                eval = RecognitionEvaluator.Evaluate(model, loader, vocabulary, beam: 3, settings: settings);
                Assert.Equal(2, TorchSharp.torch.get_num_threads()); // a 1-thread evaluation's setting is undone
            }
            finally { TorchSharp.torch.set_num_threads(threads); }
            Assert.Equal(alone.First().Value.Keys.Order(), eval.Pairs.Keys.Order());
            foreach (var (head, pairs) in eval.Pairs)
            {
                // In the split's clip order, each hypothesis is the beam search of that clip's own scores.
                Assert.Equal(ds.ClipNames("dev"), pairs.Select(p => p.Id).ToList());
                foreach (var pair in pairs)
                {
                    var (scores, steps) = alone[pair.Id][head];
                    var best = CtcDecoder.Decode(scores, vocabulary.Count, steps, options);
                    Assert.Equal(best.Length == 0 ? "" : string.Join(' ', vocabulary.Decode(best[0].Glosses)), pair.Hypothesis);
                }
            }
        }
    }
}
