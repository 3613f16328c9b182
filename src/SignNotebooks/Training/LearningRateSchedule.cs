namespace SignNotebooks.Training;

/// <summary>
/// A per-step schedule for the CPU profiles: linear warm-up over <see cref="WarmupSteps"/> optimiser steps, then a
/// cosine from the base rate down to <see cref="FloorFraction"/> × base at the last step. Unlike the paper's per-epoch
/// cosine (<see cref="CosineSchedule"/>, whose last epoch runs at lr 0, spec §15.8), no step is wasted at rate 0: on a
/// budget of a few hundred steps a whole epoch at 0 (and half of a 2-epoch joint stage near it) was measured to change
/// nothing. Null in <see cref="TrainingConfig.Schedule"/> keeps the paper's schedule.
/// </summary>
public sealed record StepSchedule
{
    /// <summary>Optimiser steps of linear warm-up (step 1 runs at base / WarmupSteps, never 0).</summary>
    public int WarmupSteps { get; init; } = 50;
    /// <summary>The rate at the last step as a fraction of the base rate; must be &gt; 0.</summary>
    public double FloorFraction { get; init; } = 0.05;

    /// <summary>The rate of optimiser step <paramref name="step"/> (1-based) of <paramref name="totalSteps"/>.</summary>
    public double LearningRate(double baseLr, long step, long totalSteps)
    {
        if (step < 1) step = 1;
        int warm = (int)Math.Min(WarmupSteps, Math.Max(0, totalSteps - 1));
        if (step <= warm) return baseLr * step / warm;
        double floor = baseLr * FloorFraction;
        long span = Math.Max(1, totalSteps - warm);
        double progress = Math.Min(1.0, (double)(step - warm) / span);
        return floor + (baseLr - floor) * (1 + Math.Cos(Math.PI * progress)) / 2;
    }

    public void Validate(string source)
    {
        if (WarmupSteps < 0) throw new Util.UserFacingException($"{source}: Schedule.WarmupSteps = {WarmupSteps} must be ≥ 0.");
        if (FloorFraction is <= 0 or > 1) throw new Util.UserFacingException($"{source}: Schedule.FloorFraction = {FloorFraction} must be in (0, 1]: a floor of 0 would spend the last step at rate 0.");
    }
}
