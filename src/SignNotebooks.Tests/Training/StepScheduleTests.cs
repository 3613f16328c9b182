using SignNotebooks.Training;
using SignNotebooks.Util;

namespace SignNotebooks.Tests.Training;

public sealed class StepScheduleTests
{
    [Theory]
    [InlineData(1, 50)]
    [InlineData(7, 50)]
    [InlineData(188, 50)]
    [InlineData(1128, 100)]
    [InlineData(300, 0)]
    public void No_step_runs_at_rate_zero_and_the_last_runs_at_the_floor(int total, int warmup)
    {
        var s = new StepSchedule { WarmupSteps = warmup, FloorFraction = 0.05 };
        var lr = Enumerable.Range(1, total).Select(k => s.LearningRate(1e-3, k, total)).ToArray();
        Assert.All(lr, r => Assert.True(r > 0 && r <= 1e-3 + 1e-15, $"rate {r}"));
        int warm = Math.Min(warmup, Math.Max(0, total - 1));
        for (int k = 1; k < warm; k++) Assert.True(lr[k] > lr[k - 1], "warm-up rises");
        for (int k = Math.Max(warm, 1); k < total; k++) Assert.True(lr[k] <= lr[k - 1] + 1e-18, "then the cosine only falls");
        if (total > 1) Assert.Equal(0.05e-3, lr[^1], 12);
    }

    [Fact]
    public void The_paper_schedule_still_ends_at_zero_and_a_zero_floor_is_refused()
    {
        Assert.Equal(0.0, CosineSchedule.LearningRate(1e-3, 39, 40), 12);   // spec §15.8 quirk, kept for the paper profile
        Assert.Throws<UserFacingException>(() => new StepSchedule { FloorFraction = 0 }.Validate("test"));
        Assert.Null(TrainingProfiles.Get("paper", TrainingStage.Video).Schedule);
    }
}
