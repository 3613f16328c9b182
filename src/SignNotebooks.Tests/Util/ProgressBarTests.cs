using SignNotebooks.Util;

namespace SignNotebooks.Tests.Util;

public class ProgressBarTests
{
    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    [Fact]
    public void Eta_is_the_remaining_items_at_the_average_rate_so_far()
    {
        Assert.Equal(S(30), ProgressBar.Eta(S(10), 25, 100));   // 10 s per 25 items, 75 left
        Assert.Equal(S(90), ProgressBar.Eta(S(90), 1, 2));
        Assert.Equal(TimeSpan.Zero, ProgressBar.Eta(S(5), 7, 7));
        Assert.Null(ProgressBar.Eta(S(5), 0, 7));                 // no rate yet
        Assert.Equal("45s", ProgressBar.Format(S(45.9)));
        Assert.Equal("4m05s", ProgressBar.Format(S(245)));
        Assert.Equal("1h02m", ProgressBar.Format(S(3720)));
    }

    [Fact]
    public void Without_a_terminal_a_short_job_prints_nothing()
    {
        var log = new StringWriter();
        var now = TimeSpan.Zero;
        var bar = new ProgressBar(log, "evaluate dev: clips", 40, live: false, () => now);
        for (int i = 1; i <= 40; i++) { now = S(i / 5.0); bar.Report(i); } // 8 s in all
        Assert.Equal("", log.ToString());
    }

    [Fact]
    public void Without_a_terminal_a_long_job_prints_a_few_lines_with_elapsed_and_eta_and_no_redraws()
    {
        var log = new StringWriter();
        var now = TimeSpan.Zero;
        var bar = new ProgressBar(log, "epoch 1/3: steps", 1000, live: false, () => now);
        for (int i = 1; i <= 1000; i++) { now = S(i / 10.0); bar.Report(i, "loss 1.000"); } // 100 s in all
        var lines = log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.DoesNotContain('\r', log.ToString());
        // a first line at 10 s, then at 25/50/75 % and the end (never 30 s apart here): 5 lines for 1000 reports.
        Assert.Equal(5, lines.Length);
        Assert.Equal("epoch 1/3: steps 100/1000 loss 1.000 (10s elapsed, ETA 1m30s)", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("epoch 1/3: steps 250/1000") && l.Contains("ETA 1m15s"));
        Assert.Equal("epoch 1/3: steps 1000/1000 loss 1.000 (1m40s elapsed)", lines[^1]);
    }

    [Fact]
    public void On_a_terminal_it_redraws_one_line_throttled_and_ends_it()
    {
        var log = new StringWriter();
        var now = TimeSpan.Zero;
        var bar = new ProgressBar(log, "decode ensemble test: sentences", 100, live: true, () => now);
        for (int i = 1; i <= 100; i++) { now = S(i / 20.0); bar.Report(i); } // 5 s, a redraw at most every 0.2 s
        var text = log.ToString();
        int redraws = text.Count(c => c == '\r');
        Assert.InRange(redraws, 20, 30);
        Assert.EndsWith("done   " + Environment.NewLine, text);
        Assert.Single(text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Matches(@"\rdecode ensemble test: sentences \[#+-+\] \d+/100 \ds elapsed, ETA \ds", text);
        Assert.Contains("100/100 5s elapsed, done", text);
    }

    [Fact]
    public void A_writer_that_is_not_the_console_is_never_a_terminal()
    {
        Assert.False(ProgressBar.IsTerminal(new StringWriter()));
        Assert.False(ProgressBar.IsTerminal(TextWriter.Null));
    }
}
