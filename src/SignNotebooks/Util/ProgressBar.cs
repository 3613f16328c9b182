using System.Diagnostics;

namespace SignNotebooks.Training;

/// <summary>
/// A per-epoch progress line with ETA. On a terminal it redraws one line; elsewhere (notebooks, CI logs) it
/// writes a line at 25 %, 50 %, 75 % and the end, so logs stay short.
/// </summary>
public sealed class ProgressBar(TextWriter log, string label, int total, bool live)
{
    private readonly Stopwatch _sw = Stopwatch.StartNew();
    private int _lastQuarter;

    public void Report(int done, string status)
    {
        double frac = total == 0 ? 1 : (double)done / total;
        var elapsed = _sw.Elapsed;
        var eta = done == 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(elapsed.TotalSeconds * (total - done) / done);
        if (live)
        {
            int width = 24, filled = (int)Math.Round(frac * width);
            log.Write($"\r{label} [{new string('#', filled)}{new string('-', width - filled)}] {done}/{total} {status} ETA {Format(eta)}   ");
            if (done == total) log.WriteLine();
            return;
        }
        int quarter = (int)Math.Floor(frac * 4);
        if (quarter > _lastQuarter)
        {
            _lastQuarter = quarter;
            log.WriteLine($"{label} {done}/{total} {status} ({Format(elapsed)} elapsed, ETA {Format(eta)})");
        }
    }

    private static string Format(TimeSpan t) => t.TotalHours >= 1 ? $"{(int)t.TotalHours}h{t.Minutes:00}m" : $"{t.Minutes}m{t.Seconds:00}s";
}
