using SignNotebooks.Util;
using static TorchSharp.torch;

namespace SignNotebooks.Checkpoints;

/// <summary>
/// <see cref="Training.TrainingConfig.JointHeadFromKeypointHead"/>: the joint head starts as a copy of the keypoint
/// head, reading the keypoint half of its (keypoint, RGB) input with the keypoint head's weights and the RGB half with
/// zeros, so at the first step it predicts exactly what the keypoint head predicts and learns to use the RGB features
/// from there. Not the paper (its joint head starts random, spec §7.1): in an 80-step joint stage a random joint head
/// stays at 54–80 % WER and drags the late ensemble above both streams.
/// </summary>
public static class JointHeadWarmStart
{
    private const string From = "visual_head_keypoint.", To = "visual_head_fuse.";

    /// <summary>Copies every keypoint-head tensor into the joint head; returns how many were copied.</summary>
    public static int Apply(Models.RecognitionModel twoStream)
    {
        var sd = twoStream.state_dict();
        if (!sd.Keys.Any(k => k.StartsWith(To, StringComparison.Ordinal)))
            throw new UserFacingException("JointHeadFromKeypointHead needs a model with a joint head (Model.JointHead = true).");
        int copied = 0;
        using var _ = no_grad();
        foreach (var (key, src) in sd.Where(kv => kv.Key.StartsWith(From, StringComparison.Ordinal)).ToList())
        {
            var dst = sd[To + key[From.Length..]];
            if (dst.shape.SequenceEqual(src.shape)) dst.copy_(src);
            else if (dst.dim() == 2 && dst.shape[0] == src.shape[0] && dst.shape[1] == 2 * src.shape[1])
            {
                // fc1.weight: (H, C) -> (H, 2C); the joint input is cat(keypoint, rgb), keypoint first (TwoStreamModel).
                dst.zero_();
                dst[.., ..(int)src.shape[1]].copy_(src);
            }
            else throw new InvalidOperationException($"joint head {To + key[From.Length..]} {string.Join('×', dst.shape)} does not match {key} {string.Join('×', src.shape)}.");
            copied++;
        }
        return copied;
    }
}
