using SignNotebooks.Decoding;
using SignNotebooks.Models;
using SignNotebooks.Models.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace SignNotebooks.Tests.Models;

/// <summary>
/// The classic sanity check: a network that can learn fits one tiny batch. Each variant, with every component of the
/// paper's config switched on (two-stream: laterals, pyramid with aux heads, joint head, self-distillation), trains
/// with the S2G loss on 2 fixed clips until the greedy decode of every main head and the late ensemble is exactly the
/// targets (WER 0). A training path that cannot learn (a detached branch, a wrong target layout, a loss that does not
/// reach the weights) fails here within the step bound.
/// </summary>
public class OverfitOneBatchTests
{
    private const int MaxSteps = 300, CheckEvery = 10;

    [Theory]
    [InlineData("video-paper")]
    [InlineData("keypoint-paper")]
    [InlineData("twostream-paper")]
    public void Every_head_fits_two_clips_to_greedy_WER_zero(string variant)
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(11);
        // Dropout off: the fitted outputs are then a deterministic function of the batch. BN stays in train mode.
        var config = TinyBatch.Shrink(ModelRegistry.Get(variant).Config) with { HeadDropout = 0 };
        using var model = ModelRegistry.Create(config);
        var (rgb, heatmaps, lengths, _, _) = TinyBatch.Make(config);
        long[][] truth = [[3, 5, 7], [4, 2]];
        var targets = tensor(new long[,] { { 3, 5, 7 }, { 4, 2, 0 } });
        var targetLengths = tensor(new long[] { 3, 2 });
        var loss = new RecognitionLoss(config);
        var optimizer = optim.Adam(model.parameters(), 3e-3);
        model.train();
        string[] heads = config.Streams switch
        {
            StreamKind.Video => [RecognitionOutputs.Video],
            StreamKind.Keypoint => [RecognitionOutputs.Keypoint],
            _ => [RecognitionOutputs.Video, RecognitionOutputs.Keypoint, RecognitionOutputs.Joint, RecognitionOutputs.EnsembleLast],
        };
        string last = "";
        for (int step = 1; step <= MaxSteps; step++)
        {
            using var stepScope = NewDisposeScope();
            optimizer.zero_grad();
            var outputs = model.Forward(rgb, heatmaps, lengths);
            var total = loss.Compute(outputs, targets, targetLengths).Total;
            total.backward();
            optimizer.step();
            if (step % CheckEvery != 0) continue;
            var wrong = new List<string>();
            foreach (var head in heads)
            {
                var h = outputs[head];
                var lp = h.LogProbs.detach().to(float32).contiguous();
                var valid = h.ValidLengths.data<long>().ToArray();
                int frames = (int)lp.shape[1], vocab = (int)lp.shape[2];
                var all = lp.data<float>().ToArray();
                for (int b = 0; b < truth.Length; b++)
                {
                    var hyp = CtcGreedyDecoder.Decode(all.AsSpan(b * frames * vocab, frames * vocab), vocab, (int)valid[b]).Glosses;
                    if (!hyp.Select(g => (long)g).SequenceEqual(truth[b])) wrong.Add($"{head} clip {b}: [{string.Join(' ', hyp)}]");
                }
            }
            if (wrong.Count == 0) return;
            last = $"step {step}, loss {total.item<float>():F3}: {string.Join("; ", wrong)}";
        }
        Assert.Fail($"{variant} did not fit 2 clips in {MaxSteps} steps; last check at {last}");
    }
}
