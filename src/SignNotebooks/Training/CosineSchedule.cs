namespace SignNotebooks.Training;

/// <summary>
/// CosineAnnealingLR(T_max = epochs, eta_min = 0) as SLRT steps it: once at the *start* of every epoch, so epoch 0
/// already runs at lr(1) and the last epoch at lr(T_max) = 0 (spec §7.2, quirk §15.8). With
/// <c>officialQuirk</c> false, epoch e runs at lr(e), the textbook schedule.
/// </summary>
public static class CosineSchedule
{
    public static double LearningRate(double baseLr, int epoch, int totalEpochs, bool officialQuirk = true, double etaMin = 0)
    {
        int t = officialQuirk ? epoch + 1 : epoch;
        return etaMin + (baseLr - etaMin) * (1 + Math.Cos(Math.PI * t / totalEpochs)) / 2;
    }
}
