using System.Diagnostics;
using System.Globalization;

namespace SignNotebooks.Util;

/// <summary>
/// Progress of a counted job (training steps, clips evaluated, sentences decoded) with elapsed time and ETA.
/// On a terminal it redraws one line (at most every 0.2 s). Anywhere else (a notebook cell, a redirected log, CI) it
/// stays quiet: a job shorter than <see cref="QuietStart"/> prints nothing; a longer one prints a line at 25 %, 50 %,
/// 75 % and the end, plus one whenever <see cref="QuietInterval"/> passed without a line, so a long job shows it is
/// alive and when it will end without filling the log.
/// </summary>
/// <remarks>Spectre.Console's progress display was considered: it owns the console while it runs, so the trainer's
/// own lines (epoch summaries, checkpoint messages) would have to go through it, and it writes to the console rather
/// than to the <see cref="TextWriter"/> a notebook captures. This bar writes to any writer and is tested as such.</remarks>
public sealed class ProgressBar
{
    private readonly TextWriter _log;
    private readonly string _label;
    private readonly int _total;
    private readonly bool _live;
    private readonly Func<TimeSpan> _clock;
    private int _lastQuarter;
    private TimeSpan _lastLine, _lastDraw = TimeSpan.MinValue;
    private bool _finished, _printed;

    /// <param name="live">Redraw one line with carriage returns (a terminal); false: quiet lines (<see cref="IsTerminal"/>).</param>
    /// <param name="clock">Elapsed time since the start; tests pass a fake one.</param>
    public ProgressBar(TextWriter log, string label, int total, bool live, Func<TimeSpan>? clock = null)
    {
        _log = log;
        _label = label;
        _total = Math.Max(0, total);
        _live = live;
        if (clock is null) { var sw = Stopwatch.StartNew(); clock = () => sw.Elapsed; }
        _clock = clock;
    }

    /// <summary>Without a terminal, the longest a running job goes without a progress line (default 30 s).</summary>
    public TimeSpan QuietInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Without a terminal, how long a job runs before its first line (default 10 s): short jobs stay silent.</summary>
    public TimeSpan QuietStart { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A bar on <paramref name="log"/> that redraws when that writer is the terminal, and is quiet otherwise.</summary>
    public static ProgressBar For(TextWriter log, string label, int total) => new(log, label, total, IsTerminal(log));

    /// <summary>
    /// True when <paramref name="log"/> is the process's console and that console is a terminal: not redirected to a
    /// file or pipe, not TERM=dumb, and not inside a notebook cell (whose kernel captures Console.Out).
    /// </summary>
    public static bool IsTerminal(TextWriter log) =>
        ReferenceEquals(log, Console.Out) && !Console.IsOutputRedirected &&
        Environment.GetEnvironmentVariable("TERM") != "dumb" && !InNotebookCell();

    private static bool InNotebookCell()
    {
        try { return Microsoft.DotNet.Interactive.KernelInvocationContext.Current is not null; }
        catch (Exception e) when (e is IOException or TypeLoadException) { return false; } // no kernel assemblies: a plain CLI
    }

    /// <summary>Time left if the remaining items go at the average rate so far; null before the first item is done.</summary>
    public static TimeSpan? Eta(TimeSpan elapsed, int done, int total)
    {
        if (done <= 0 || total <= 0) return null;
        if (done >= total) return TimeSpan.Zero;
        return TimeSpan.FromSeconds(elapsed.TotalSeconds * (total - done) / done);
    }

    /// <summary>12s, 4m05s, 1h02m.</summary>
    public static string Format(TimeSpan t) =>
        t.TotalHours >= 1 ? $"{(int)t.TotalHours}h{t.Minutes:00}m" : t.TotalMinutes >= 1 ? $"{(int)t.TotalMinutes}m{t.Seconds:00}s" : $"{(int)t.TotalSeconds}s";

    /// <summary>Reports <paramref name="done"/> of the total items; <paramref name="status"/> is shown after the count (e.g. the loss).</summary>
    public void Report(int done, string status = "")
    {
        if (_finished) return;
        done = Math.Clamp(done, 0, _total);
        var elapsed = _clock();
        var eta = Eta(elapsed, done, _total);
        string etaText = eta is { } e ? "ETA " + Format(e) : "ETA …";
        string tail = status.Length > 0 ? " " + status : "";
        bool end = done >= _total;
        if (_live)
        {
            if (!end && _lastDraw != TimeSpan.MinValue && elapsed - _lastDraw < TimeSpan.FromSeconds(0.2)) return;
            _lastDraw = elapsed;
            double frac = _total == 0 ? 1 : (double)done / _total;
            int width = 24, filled = (int)Math.Round(frac * width);
            _log.Write($"\r{_label} [{new string('#', filled)}{new string('-', width - filled)}] {done}/{_total}{tail} {Format(elapsed)} elapsed, {(end ? "done" : etaText)}   ");
            if (end) { _log.WriteLine(); _finished = true; }
            return;
        }
        int quarter = _total == 0 ? 4 : (int)Math.Floor(4.0 * done / _total);
        // The first line once the job has run QuietStart; then at each quarter, after QuietInterval, and at the end.
        bool due = !_printed || quarter > _lastQuarter || elapsed - _lastLine >= QuietInterval;
        _lastQuarter = Math.Max(_lastQuarter, quarter);
        if (elapsed < QuietStart)
        {
            if (end) _finished = true; // a short job ends silently
            return;
        }
        if (due)
        {
            _printed = true;
            _lastLine = elapsed;
            _log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{_label} {done}/{_total}{tail} ({Format(elapsed)} elapsed{(end ? "" : ", " + etaText)})"));
            if (end) _finished = true;
        }
    }
}
