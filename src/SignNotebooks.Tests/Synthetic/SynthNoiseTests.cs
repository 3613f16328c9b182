using SignNotebooks.Synthetic;

namespace SignNotebooks.Tests.Synthetic;

public class SynthNoiseTests(TinyCorpus corpus) : IClassFixture<TinyCorpus>
{
    [Fact]
    public void Missed_hands_are_stored_as_zeros_and_happen_more_on_fast_hands()
    {
        int missed = 0, slowFrames = 0, slowMissed = 0, fastFrames = 0, fastMissed = 0;
        foreach (var c in corpus.All)
            for (int t = 0; t < c.FrameCount; t++)
                for (int h = 0; h < 2; h++)
                {
                    int start = h == 0 ? SynthLayout.LeftHandStart : SynthLayout.RightHandStart;
                    var block = c.DetectedKeypoints.AsSpan((t * 133 + start) * 3, 63);
                    bool isMissed = block[2] == 0;
                    if (isMissed) { missed++; Assert.True(block.ToArray().All(v => v == 0), $"{c.Name} t={t}: a missed hand must be all (0,0,0)"); }
                    double speed = c.HandSpeed[t * 2 + h] / (c.Signer.HandLength * c.Height);
                    if (speed > 0.5) { fastFrames++; if (isMissed) fastMissed++; }
                    else if (speed < 0.1) { slowFrames++; if (isMissed) slowMissed++; }
                }
        Assert.True(missed > 0);
        Assert.True(fastFrames > 50 && slowFrames > 50, $"fast {fastFrames}, slow {slowFrames}");
        Assert.True(fastMissed / (double)fastFrames > 2 * slowMissed / (double)slowFrames,
            $"miss rate fast {fastMissed}/{fastFrames} vs slow {slowMissed}/{slowFrames}");
    }

    [Fact]
    public void Confidence_is_lower_where_the_detection_error_is_larger()
    {
        double smallSum = 0, bigSum = 0; int small = 0, big = 0;
        foreach (var c in corpus.All)
            for (int i = 0; i < c.FrameCount * 133; i++)
            {
                float conf = c.DetectedKeypoints[3 * i + 2];
                if (conf == 0) continue;
                double err = Math.Sqrt(Math.Pow(c.DetectedKeypoints[3 * i] - c.CleanKeypoints[3 * i], 2) + Math.Pow(c.DetectedKeypoints[3 * i + 1] - c.CleanKeypoints[3 * i + 1], 2));
                if (err < 0.01 * c.Height) { smallSum += conf; small++; }
                else if (err > 0.05 * c.Height) { bigSum += conf; big++; }
            }
        Assert.True(big > 100, $"only {big} large errors");
        Assert.True(bigSum / big < smallSum / small - 0.2, $"conf on large errors {bigSum / big:F2} vs small {smallSum / small:F2}");
    }

    [Fact]
    public void Hand_swaps_happen_and_noise_zero_gives_the_clean_keypoints()
    {
        int swaps = 0;
        foreach (var c in corpus.All)
            for (int t = 0; t < c.FrameCount; t++)
            {
                int l = (t * 133 + SynthLayout.LeftHandStart + 9) * 3, r = (t * 133 + SynthLayout.RightHandStart + 9) * 3;
                if (c.DetectedKeypoints[l + 2] == 0 || c.DetectedKeypoints[r + 2] == 0) continue;
                double dl = Math.Abs(c.DetectedKeypoints[l] - c.CleanKeypoints[r]), ds = Math.Abs(c.DetectedKeypoints[l] - c.CleanKeypoints[l]);
                if (dl < 0.04 * c.Height && ds > 0.1 * c.Height) swaps++;
            }
        Assert.True(swaps > 0);

        var quiet = new SynthSignDataset("tiny", knobs: new SynthKnobs(KeypointNoise: 0)).Generate("train", 0, withFrames: false);
        for (int i = 0; i < quiet.FrameCount * 133; i++)
        {
            float x = quiet.CleanKeypoints[3 * i], y = quiet.CleanKeypoints[3 * i + 1];
            if (x < 0 || y < 0 || x > quiet.Width - 1 || y > quiet.Height - 1) continue;
            Assert.Equal(x, quiet.DetectedKeypoints[3 * i], 3);
            Assert.Equal(y, quiet.DetectedKeypoints[3 * i + 1], 3);
            Assert.True(quiet.DetectedKeypoints[3 * i + 2] > 0.5);
        }
    }

    [Fact]
    public void Detected_coordinates_are_finite_and_inside_the_frame()
    {
        foreach (var c in corpus.All)
            for (int i = 0; i < c.FrameCount * 133; i++)
            {
                float x = c.DetectedKeypoints[3 * i], y = c.DetectedKeypoints[3 * i + 1], s = c.DetectedKeypoints[3 * i + 2];
                Assert.True(float.IsFinite(x) && float.IsFinite(y));
                Assert.InRange(s, 0f, 1f);
                if (s > 0) { Assert.InRange(x, -20f, c.Width + 20f); Assert.InRange(y, -20f, c.Height + 20f); }
            }
    }
}
