using SignNotebooks.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace SignNotebooks.Tests.Models;

/// <summary>A small random batch matching a config: B=2, T=16 (valid 16 and 12), RGB side <c>size</c>, heatmaps half of it.</summary>
internal static class TinyBatch
{
    public static (Tensor? rgb, Tensor? heatmaps, Tensor lengths, Tensor targets, Tensor targetLengths) Make(ModelConfig c, int size = 32, int frames = 16, long seed = 7)
    {
        torch.manual_seed(seed);
        Tensor? rgb = c.Streams == StreamKind.Keypoint ? null : torch.rand(new long[] { 2, c.RgbChannels, frames, size, size }) * 2 - 1;
        Tensor? hm = c.Streams == StreamKind.Video ? null : torch.rand(new long[] { 2, c.KeypointChannels, frames, size / 2, size / 2 }) * 2 - 1;
        var lengths = torch.tensor(new long[] { frames, frames - 4 });
        var targets = torch.tensor(new long[,] { { 3, 5 }, { 4, 1 } });
        var targetLengths = torch.tensor(new long[] { 2, 1 });
        return (rgb, hm, lengths, targets, targetLengths);
    }

    /// <summary>The tiny-size version of any variant's config (paper variants keep their switches, shrink widths).</summary>
    public static ModelConfig Shrink(ModelConfig c) => c with
    {
        Width = Math.Min(c.Width, 0.125), HeadHidden = 32, HeadFeedForward = 64, VocabularySize = 12, PositionalMaxLength = 64,
    };
}
