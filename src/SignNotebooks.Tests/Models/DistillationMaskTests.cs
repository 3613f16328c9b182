using SignNotebooks.Models;
using SignNotebooks.Models.Heads;
using SignNotebooks.Models.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace SignNotebooks.Tests.Models;

/// <summary>
/// Self-distillation with padding (issue 20, spec §5): the official code computes the KL of one clip per GPU, so a clip's
/// term must not change when it is padded to a longer batch-mate. Distillation only: the CTC weights are 0.
/// </summary>
public class DistillationMaskTests
{
    private const long V = 7, TMax = 8;
    private static readonly LossConfig DistillOnly = new()
    {
        VideoWeight = 0, KeypointWeight = 0, JointWeight = 0, VideoAuxWeight = 0, KeypointAuxWeight = 0, DistillationWeight = 1,
    };

    /// <summary>Student logits of the three main heads, (B, T', V) leaves, and the distillation loss of the clips they hold.</summary>
    private static (Tensor Loss, Tensor[] Leaves) Distill(Tensor[] logits, long[] lengths)
    {
        var outputs = new RecognitionOutputs();
        var valid = torch.tensor(lengths);
        var leaves = logits.Select(l => l.detach().clone().requires_grad_(true)).ToArray();
        string[] names = [RecognitionOutputs.Video, RecognitionOutputs.Keypoint, RecognitionOutputs.Joint];
        for (int i = 0; i < 3; i++) outputs.Add(names[i], HeadOutput.FromLogits(leaves[i], valid));
        // The teacher as the model builds it (spec §3): logits = log(p_V + p_K + p_J).
        var ensemble = (leaves[0].softmax(-1) + leaves[1].softmax(-1) + leaves[2].softmax(-1)).log();
        outputs.Add(RecognitionOutputs.EnsembleLast, HeadOutput.FromLogits(ensemble, valid));
        var model = new ModelConfig { Streams = StreamKind.TwoStream, SelfDistillation = true };
        var loss = new RecognitionLoss(model, DistillOnly).Compute(outputs, torch.ones(lengths.Length, 1, dtype: int64), torch.ones(lengths.Length, dtype: int64));
        Assert.Equal(3, loss.Terms.Count);
        return (loss.Total, leaves);
    }

    [Fact]
    public void A_padded_clip_gives_the_loss_and_gradient_it_gives_alone()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(20);
        const long lenA = 5;   // clip A is padded from 5 to 8 frames, clip B fills the batch
        var logits = Enumerable.Range(0, 3).Select(_ => torch.randn(2, TMax, V) * 2).ToArray();
        var (batchLoss, batchLeaves) = Distill(logits, [lenA, TMax]);
        batchLoss.backward();
        var (aLoss, aLeaves) = Distill(logits.Select(l => l[0..1, 0..(int)lenA]).ToArray(), [lenA]);
        aLoss.backward();
        var (bLoss, bLeaves) = Distill(logits.Select(l => l[1..2]).ToArray(), [TMax]);
        bLoss.backward();

        // The per-clip form: the batch loss is the mean over clips of each clip's own sum over its frames.
        double expected = (aLoss.item<float>() + bLoss.item<float>()) / 2;
        Assert.Equal(expected, batchLoss.item<float>(), 1e-5);
        for (int h = 0; h < 3; h++)
        {
            var g = batchLeaves[h].grad!;
            // Valid frames: half the clip's own gradient (the batch is a mean of 2); padded frames: exactly zero.
            var dA = (g[0, 0..(int)lenA] - aLeaves[h].grad![0] / 2).abs().max().item<float>();
            var dB = (g[1] - bLeaves[h].grad![0] / 2).abs().max().item<float>();
            Assert.True(dA < 1e-6 && dB < 1e-6, $"head {h}: gradient differs from the per-clip one by {dA:E2} (A) / {dB:E2} (B)");
            Assert.Equal(0f, g[0, (int)lenA..].abs().max().item<float>());
        }
        Assert.True(aLoss.item<float>() > 0.1, "the test needs a non-trivial KL");
    }

    [Fact]
    public void Without_lengths_every_frame_counts_and_a_full_batch_is_unchanged()
    {
        using var scope = torch.NewDisposeScope();
        var t = torch.randn(2, 4, 5).log_softmax(-1);
        var s = torch.randn(2, 4, 5).log_softmax(-1);
        var all = DistillationLoss.Compute(t, s).item<float>();
        Assert.Equal(all, DistillationLoss.Compute(t, s, torch.tensor(new long[] { 4, 4 })).item<float>(), 1e-6);
        // A clip of length 0 contributes nothing, and the divisor stays B.
        var one = DistillationLoss.Compute(t[0..1], s[0..1]).item<float>();
        Assert.Equal(one / 2, DistillationLoss.Compute(t, s, torch.tensor(new long[] { 4, 0 })).item<float>(), 1e-6);
    }
}
