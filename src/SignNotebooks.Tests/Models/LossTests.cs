using SignNotebooks.Models.Losses;
using SignNotebooks.Util;
using TorchSharp;
using static TorchSharp.torch;

namespace SignNotebooks.Tests.Models;

public class LossTests
{
    [Fact]
    public void Ctc_refuses_targets_the_level_cannot_emit_before_computing()
    {
        using var scope = torch.NewDisposeScope();
        var lp = torch.randn(new long[] { 2, 4, 6 }).log_softmax(-1);
        var lengths = torch.tensor(new long[] { 4, 3 });
        // Sample 1: 2 glosses with a repeat need 3 frames -> fits; 3 distinct need 3 -> fits; "5 5 5" needs 5 > 3.
        var ok = torch.tensor(new long[,] { { 1, 2, 3 }, { 4, 4, 0 } });
        CtcLoss.Compute(lp, lengths, ok, torch.tensor(new long[] { 3, 2 }), "video");
        var bad = torch.tensor(new long[,] { { 1, 2, 3 }, { 5, 5, 5 } });
        var e = Assert.Throws<UserFacingException>(() => CtcLoss.Compute(lp, lengths, bad, torch.tensor(new long[] { 3, 3 }), "video"));
        Assert.Contains("sample 1", e.Message);
        Assert.Contains("3 valid frames", e.Message);
        var blank = torch.tensor(new long[,] { { 1, 0, 3 }, { 1, 2, 3 } });
        Assert.Throws<UserFacingException>(() => CtcLoss.Compute(lp, lengths, blank, torch.tensor(new long[] { 3, 3 }), "video"));
        // The official behaviour (zero_infinity) is available: the impossible sample contributes 0.
        var z = CtcLoss.Compute(lp, lengths, bad, torch.tensor(new long[] { 3, 3 }), "video", throwOnImpossible: false);
        Assert.True(float.IsFinite(z.item<float>()));
    }

    [Fact]
    public void Ctc_is_the_sum_over_the_batch_divided_by_B()
    {
        using var scope = torch.NewDisposeScope();
        var lp = torch.randn(new long[] { 2, 5, 6 }).log_softmax(-1);
        var lengths = torch.tensor(new long[] { 5, 4 });
        var tgt = torch.tensor(new long[,] { { 1, 2 }, { 3, 0 } });
        var tl = torch.tensor(new long[] { 2, 1 });
        var both = CtcLoss.Compute(lp, lengths, tgt, tl, "x").item<float>();
        float one(int i) => CtcLoss.Compute(lp[i..(i + 1)], lengths[i..(i + 1)], tgt[i..(i + 1)], tl[i..(i + 1)], "x").item<float>();
        Assert.Equal((one(0) + one(1)) / 2, both, 4);
    }

    [Fact]
    public void Distillation_is_batchmean_kl_teacher_to_student_with_a_detached_teacher()
    {
        using var scope = torch.NewDisposeScope();
        var teacherLogits = torch.randn(new long[] { 2, 3, 5 }, requires_grad: true);
        var studentLogits = torch.randn(new long[] { 2, 3, 5 }, requires_grad: true);
        var t = teacherLogits.log_softmax(-1);
        var s = studentLogits.log_softmax(-1);
        var kl = DistillationLoss.Compute(t, s);
        var manual = (t.exp() * (t - s)).sum() / 2; // (1/B) Σ p_T (log p_T − log p_s)
        Assert.Equal(manual.item<float>(), kl.item<float>(), 5);
        kl.backward();
        Assert.Null(teacherLogits.grad);
        Assert.NotNull(studentLogits.grad);
    }
}
