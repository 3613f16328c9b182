using SignNotebooks.Data;

namespace SignNotebooks.Tests.Data;

public class TemporalSamplingTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(37)]
    [InlineData(120)]
    [InlineData(300)]
    [InlineData(475)]
    public void Train_lengths_follow_spec_7_3(int t)
    {
        static int Up4(int v) => v % 4 == 0 ? v : v + 4 - v % 4;
        var rng = new Random(3);
        int lo = (int)Math.Floor(0.5 * t), hi = Math.Min(400, (int)Math.Floor(1.5 * t));
        bool sawSubset = false, sawRepeat = false;
        for (int trial = 0; trial < 300; trial++)
        {
            var idx = TemporalSampling.Train(t, rng);
            int len = idx.Length;
            Assert.Equal(0, len % 4);
            Assert.True(len > 0);
            Assert.True(len <= 400);
            // L is drawn in [lo, hi] then rounded up to a multiple of 4.
            Assert.InRange(len, Math.Max(4, Up4(lo)), Up4(hi));
            Assert.Equal(idx.Order(), idx);
            Assert.All(idx, i => Assert.InRange(i, 0, t - 1));
            if (len <= t) { Assert.Equal(len, idx.Distinct().Count()); sawSubset = true; }
            else { Assert.Equal(Enumerable.Range(0, t), idx.Distinct()); sawRepeat = true; }
        }
        // Both branches occur whenever the length range allows them.
        if (Up4(hi) > t) Assert.True(sawRepeat);
        if (Math.Max(4, Up4(lo)) <= t) Assert.True(sawSubset);
    }

    [Theory]
    [InlineData(37, 0, 36)]
    [InlineData(40, 0, 40)]
    [InlineData(403, 1, 400)]
    [InlineData(450, 25, 400)]
    [InlineData(475, 37, 400)]
    public void Eval_centres_the_400_cap_then_truncates_to_a_multiple_of_4(int t, int start, int len)
    {
        Assert.Equal(Enumerable.Range(start, len), TemporalSampling.Eval(t));
    }

    [Fact]
    public void Train_on_a_very_long_clip_keeps_the_400_cap()
    {
        var idx = TemporalSampling.Train(1000, new Random(1));
        Assert.Equal(400, idx.Length);
        Assert.Equal(400, idx.Distinct().Count());
    }

    [Fact]
    public void Eval_of_a_clip_shorter_than_4_repeats_the_last_frame()
    {
        Assert.Equal([0, 1, 1, 1], TemporalSampling.Eval(2));
    }

    [Fact]
    public void Same_seed_same_indices()
    {
        Assert.Equal(TemporalSampling.Train(123, new Random(5)), TemporalSampling.Train(123, new Random(5)));
        Assert.NotEqual(TemporalSampling.Train(123, new Random(5)), TemporalSampling.Train(123, new Random(6)));
    }
}

public class InputConfigTests
{
    [Fact]
    public void Presets_keep_the_paper_numbers_and_the_2_to_1_ratio()
    {
        var p = InputConfig.Paper;
        Assert.Equal((224, 112, 8.0, 400, 0.3), (p.RgbSize, p.HeatmapSize, p.Sigma, p.MaxFrames, p.JitterP));
        Assert.Equal((0.7, 1.0), p.CropScale);
        Assert.Equal((0.75, 1.3), p.CropRatio);
        Assert.Equal(79, p.Selection.Count);
        Assert.Equal(2 * InputConfig.Cpu.HeatmapSize, InputConfig.Cpu.RgbSize);
        Assert.Same(InputConfig.CslDaily, InputConfig.FromName("csl-daily"));
    }

    [Fact]
    public void Bad_settings_are_user_errors_naming_the_setting()
    {
        Assert.Contains("TMin", Assert.Throws<SignNotebooks.Util.UserFacingException>(() => (InputConfig.Paper with { TMin = 2 }).Validate()).Message);
        Assert.Contains("JitterP", Assert.Throws<SignNotebooks.Util.UserFacingException>(() => new ClipPipeline(InputConfig.Paper with { JitterP = 3 })).Message);
        Assert.Contains("'wrist'", Assert.Throws<SignNotebooks.Util.UserFacingException>(() => (InputConfig.Paper with { KeypointParts = ["wrist"] }).Validate()).Message);
        Assert.Contains("preset", Assert.Throws<SignNotebooks.Util.UserFacingException>(() => InputConfig.FromName("huge")).Message);
    }
}
