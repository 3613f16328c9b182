using System.Globalization;
using System.Text.Json.Nodes;
using SignNotebooks.Util;

namespace SignNotebooks.Notebooks;

/// <summary>
/// The workbook's line for a running cell. On a terminal it is redrawn every second with the elapsed time (and,
/// when the cell ran before at this profile, that run's time and the ETA); elsewhere a line is added every
/// 30 s or so, so a silent four-minute cell shows it is alive without flooding a log.
/// </summary>
internal sealed class CellProgressLine : IDisposable
{
    private readonly TextWriter _log;
    private readonly string _prefix;
    private readonly TimeSpan? _lastRun;
    private readonly bool _live;
    private readonly Func<TimeSpan> _elapsed;
    private readonly Thread _ticker;
    private readonly ManualResetEventSlim _stop = new();
    private readonly Lock _gate = new();
    private bool _reported, _done;
    private int _width;

    public CellProgressLine(TextWriter log, string prefix, TimeSpan? lastRun, bool live, TimeSpan interval, Func<TimeSpan> elapsed)
    {
        _log = log;
        _prefix = prefix;
        _lastRun = lastRun;
        _live = live;
        _elapsed = elapsed;
        lock (_gate) Write(prefix, newLine: false);
        // Its own thread, not a thread-pool timer: a cell that blocks pool threads (training) must not delay the line.
        _ticker = new Thread(() => { while (!_stop.Wait(interval)) Tick(); }) { IsBackground = true, Name = "workbook cell progress" };
        _ticker.Start();
    }

    /// <summary>"42 s (last run 119 s, ETA 1m17s)"; past the last run's time, "over the last run's 119 s".</summary>
    public static string Status(TimeSpan elapsed, TimeSpan? lastRun)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"{elapsed.TotalSeconds:F0} s");
        if (lastRun is not { } last) return text;
        var lastText = string.Create(CultureInfo.InvariantCulture, $"{last.TotalSeconds:F0} s");
        return elapsed <= last ? $"{text} (last run {lastText}, ETA {ProgressBar.Format(last - elapsed)})" : $"{text} (over the last run's {lastText})";
    }

    private void Tick()
    {
        lock (_gate)
        {
            if (_done) return;
            var status = Status(_elapsed(), _lastRun);
            if (_live) Write("\r" + _prefix + "running " + status, newLine: false);
            else
            {
                Write((_reported ? _prefix : "") + "still running, " + status, newLine: true);
                _reported = true;
            }
        }
    }

    /// <summary>Ends the line with the cell's outcome ("ok (3.2 s)" or "FAILED").</summary>
    public void Finish(string outcome)
    {
        _stop.Set();
        _ticker.Join();
        lock (_gate)
        {
            if (_done) return;
            _done = true;
            if (_live) Write("\r" + _prefix + outcome, newLine: true);
            else Write((_reported ? _prefix : "") + outcome, newLine: true);
        }
    }

    public void Dispose()
    {
        Finish("stopped");
        _stop.Dispose();
    }

    private void Write(string text, bool newLine)
    {
        // On a terminal, pad over a longer line drawn before.
        var visible = text.TrimStart('\r');
        var pad = _live && text.StartsWith('\r') && visible.Length < _width ? new string(' ', _width - visible.Length) : "";
        if (_live) _width = Math.Max(_width, visible.Length);
        if (newLine) _log.WriteLine(text + pad); else _log.Write(text + pad);
        _log.Flush();
    }
}

/// <summary>Each code cell's time, kept in the executed copy's cell metadata, so the next run can show an ETA.</summary>
internal static class CellTimings
{
    private const string Key = "signnb";

    /// <summary>Cell index → time of the last successful run at <paramref name="profile"/>, from an executed copy (empty if none).</summary>
    public static IReadOnlyDictionary<int, TimeSpan> Read(string executedPath, string profile)
    {
        var result = new Dictionary<int, TimeSpan>();
        try
        {
            if (!File.Exists(executedPath)) return result;
            var cells = JsonNode.Parse(File.ReadAllText(executedPath))?["cells"]?.AsArray();
            for (int i = 0; cells is not null && i < cells.Count; i++)
                if (cells[i]?["metadata"]?[Key] is JsonObject t && (string?)t["profile"] == profile && t["seconds"] is JsonValue v && v.TryGetValue<double>(out var s))
                    result[i] = TimeSpan.FromSeconds(s);
        }
        catch (Exception e) when (e is IOException or System.Text.Json.JsonException or InvalidOperationException or UnauthorizedAccessException)
        {
            // An unreadable old copy only costs the ETA.
        }
        return result;
    }

    public static void Write(JsonObject cell, string profile, TimeSpan elapsed)
    {
        if (cell["metadata"] is not JsonObject metadata) cell["metadata"] = metadata = new JsonObject();
        metadata[Key] = new JsonObject { ["profile"] = profile, ["seconds"] = Math.Round(elapsed.TotalSeconds, 1) };
    }
}
