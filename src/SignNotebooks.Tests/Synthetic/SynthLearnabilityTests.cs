using SignNotebooks.Synthetic;

namespace SignNotebooks.Tests.Synthetic;

/// <summary>
/// The corpus must carry the signal a model is meant to learn: with the true gloss boundaries, a 1-nearest-
/// neighbour on hand, mouth and brow keypoints (relative to the shoulders) names most unseen-sentence gloss
/// segments, and the detector noise makes that measurably harder.
/// </summary>
public class SynthLearnabilityTests
{
    private static readonly int[] Points =
    [
        91, 95, 99, 103, 107, 111, 112, 116, 120, 124, 128, 132,     // wrists and fingertips
        23 + 51, 23 + 57, 23 + 48, 23 + 54, 23 + 19, 23 + 24,         // lips, mouth corners, brows
    ];

    private static double[] Features(float[] kp, int start, int end)
    {
        var f = new List<double>();
        for (int q = 0; q < 4; q++)
        {
            int t = start + (end - start) * q / 3, b = t * 133 * 3;
            double nx = (kp[b + 15] + kp[b + 18]) / 2, ny = (kp[b + 16] + kp[b + 19]) / 2;
            double scale = Math.Abs(kp[b + 15] - kp[b + 18]) + 1e-3;
            foreach (var k in Points) { f.Add((kp[b + 3 * k] - nx) / scale); f.Add((kp[b + 3 * k + 1] - ny) / scale); }
        }
        return f.ToArray();
    }

    private static double Accuracy(SynthSignDataset ds, bool clean)
    {
        List<(double[] F, string G)> Segments(string split, int n) =>
            ds.GenerateMany(split, n, withFrames: false).SelectMany(c => c.GlossSpans().Select((s, g) =>
                (Features(clean ? c.CleanKeypoints : c.DetectedKeypoints, s.Start, s.End), c.Glosses[g]))).ToList();
        var train = Segments("train", 250);
        var dev = Segments("dev", 60);
        int ok = dev.Count(d => train.MinBy(t => t.F.Zip(d.F).Sum(p => (p.First - p.Second) * (p.First - p.Second))).G == d.G);
        return ok / (double)dev.Count;
    }

    [Fact]
    public void Gloss_segments_are_separable_and_detector_noise_makes_it_harder()
    {
        var ds = new SynthSignDataset("standard");
        double clean = Accuracy(ds, clean: true), detected = Accuracy(ds, clean: false);
        Assert.True(clean > 0.9, $"1-NN on clean keypoints: {clean:P1}");
        Assert.True(detected < clean - 0.03, $"detected {detected:P1} vs clean {clean:P1}");
        Assert.True(detected > 0.6, $"1-NN on detected keypoints: {detected:P1}");
    }
}
