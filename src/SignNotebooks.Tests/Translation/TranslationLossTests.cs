using SignNotebooks.Translation;
using TorchSharp;
using static TorchSharp.torch;

namespace SignNotebooks.Tests.Translation;

public class TranslationLossTests
{
    [Fact]
    public void Without_smoothing_it_is_cross_entropy_summed_over_tokens_divided_by_batch()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(1);
        var logits = torch.randn(2, 3, 7);
        var labels = torch.tensor(new long[] { 4, 5, 2, 6, 2, 1 }).view(2, 3); // second sentence padded at the end
        var ours = TranslationLoss.Compute(logits, labels, 0).item<float>();
        var ce = nn.functional.cross_entropy(logits.view(6, 7), labels.view(6), ignore_index: 1, reduction: nn.Reduction.Sum).item<float>() / 2;
        Assert.Equal(ce, ours, 4);
    }

    [Fact]
    public void Smoothed_loss_is_kl_to_the_smoothed_target()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(2);
        int v = 6;
        double eps = 0.2;
        var logits = torch.randn(1, 2, v);
        var labels = torch.tensor(new long[] { 3, 2 }).view(1, 2);
        var logp = nn.functional.log_softmax(logits, -1);
        double expected = 0;
        for (int t = 0; t < 2; t++)
        {
            long gold = labels[0, t].item<long>();
            for (int w = 0; w < v; w++)
            {
                double target = w == gold ? 1 - eps : w == TranslationVocabulary.PadId ? 0 : eps / (v - 2);
                if (target > 0) expected += target * (Math.Log(target) - logp[0, t, w].item<float>());
            }
        }
        Assert.Equal(expected, TranslationLoss.Compute(logits, labels, eps).item<float>(), 4);
    }
}
