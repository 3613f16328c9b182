using TorchSharp;
using static TorchSharp.torch;

namespace SignNotebooks.Data;

/// <summary>
/// Blends a training clip's RGB frames with one still frame of another clip in the same batch:
/// x'_t = (1 − λ)·x_t + λ·s, the same still s and λ for every frame t. Not in the paper (InputConfig.StaticMix is null
/// there). Why: on SynthSign the video stream learns its seen backgrounds, and a background is, frame to frame, what
/// does not move. A still frame added to every frame carries another background (and a frozen signer) that has no
/// temporal signal, so the glosses can only be read from what moves. It uses training clips only: the unseen
/// background families of test-shift never enter training.
/// </summary>
public static class StaticFrameMix
{
    /// <summary>
    /// Mixes in place. <paramref name="videos"/> are the (3, L, S, S) RGB inputs of one batch, already normalised; a
    /// batch of one clip is left as it is (there is no other clip to take a still from).
    /// </summary>
    public static void Apply(IReadOnlyList<Tensor> videos, Random rng, double p, double maxWeight)
    {
        if (videos.Count < 2 || p <= 0) return;
        // Stills are taken before any clip is changed, so a mixed clip never donates a mixed frame.
        var draws = new List<(int Target, int Donor, int Frame, double Weight)>();
        for (int i = 0; i < videos.Count; i++)
        {
            if (rng.NextDouble() >= p) continue;
            int j = rng.Next(videos.Count - 1);
            if (j >= i) j++;
            draws.Add((i, j, rng.Next((int)videos[j].shape[1]), maxWeight * rng.NextDouble()));
        }
        using var scope = NewDisposeScope();
        var stills = draws.Select(d => videos[d.Donor].narrow(1, d.Frame, 1).clone()).ToList();   // (3, 1, S, S)
        for (int k = 0; k < draws.Count; k++)
        {
            using var keep = (1 - draws[k].Weight).ToScalar();
            using var w = draws[k].Weight.ToScalar();
            videos[draws[k].Target].mul_(keep).add_(stills[k], w);   // (3, 1, S, S) broadcasts over L
        }
    }
}
