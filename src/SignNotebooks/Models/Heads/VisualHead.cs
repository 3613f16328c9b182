using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SignNotebooks.Models.Heads;

/// <summary>
/// The recognition head of spec §3: fc1 → MaskedNorm → ReLU → +PE → Dropout → residual temporal-conv block →
/// LayerNorm (= gloss feature) → gloss classifier. No temporal down-sampling: T' in = T' out.
/// </summary>
public sealed class VisualHead : nn.Module<Tensor, Tensor>
{
    private readonly Linear fc1;
    private readonly MaskedNorm bn1;
    private readonly ReLU relu1;
    private readonly PositionalEncoding pe;
    private readonly Dropout dropout1;
    private readonly PositionwiseFeedForward feedforward;
    private readonly LayerNorm layer_norm;
    private readonly Linear gloss_output_layer;

    public VisualHead(int inputSize, ModelConfig c) : base(nameof(VisualHead))
    {
        fc1 = nn.Linear(inputSize, c.HeadHidden);
        bn1 = new MaskedNorm(c.HeadHidden);
        relu1 = nn.ReLU();
        pe = new PositionalEncoding(c.HeadHidden, c.PositionalMaxLength);
        dropout1 = nn.Dropout(c.HeadDropout);
        feedforward = new PositionwiseFeedForward(c.HeadHidden, c.HeadFeedForward, c.HeadDropout);
        layer_norm = nn.LayerNorm(c.HeadHidden, eps: 1e-6);
        gloss_output_layer = nn.Linear(c.HeadHidden, c.VocabularySize);
        RegisterComponents();
    }

    /// <param name="x">(B, T', D_in) frame features.</param>
    /// <param name="validLengths">(B) int64 valid frames per clip.</param>
    public HeadOutput Run(Tensor x, Tensor validLengths)
    {
        long t = x.shape[1];
        var mask = torch.arange(t, device: x.device).unsqueeze(0) < validLengths.unsqueeze(1); // (B, T')
        var h = relu1.call(bn1.call(fc1.call(x), mask));
        h = dropout1.call(pe.call(h));
        var feature = layer_norm.call(feedforward.call(h));
        var logits = gloss_output_layer.call(feature);
        return new HeadOutput(logits, nn.functional.log_softmax(logits, -1), nn.functional.softmax(logits, -1), validLengths, feature);
    }

    public override Tensor forward(Tensor x) =>
        throw new NotSupportedException("VisualHead needs valid lengths: call Run(x, validLengths).");
}
