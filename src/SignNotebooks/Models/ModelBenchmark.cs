using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using SignNotebooks.Models.Losses;
using SignNotebooks.Util;
using TorchSharp;
using static TorchSharp.torch;

namespace SignNotebooks.Models;

/// <summary>Seconds per clip and peak memory of one benchmark run (B = 1).</summary>
public sealed record BenchTiming(double ForwardSeconds, double ForwardBackwardSeconds, double PeakRssMb);

/// <summary>
/// Times a two-stream variant on the CPU: eval forward (no grad) and a train step (forward + loss + backward) per
/// clip, plus the same architecture in Debian's PyTorch through environment/tools/pytorch/twostream_ref.py.
/// </summary>
public static class ModelBenchmark
{
    /// <summary>Builds random inputs of the variant's sizes: (1,3,T,S,S) and (1,K,T,S/2,S/2), targets of T/8 glosses.</summary>
    public static (Tensor rgb, Tensor hm, Tensor len, Tensor tgt, Tensor tlen) Inputs(ModelVariant v, int frames)
    {
        var c = v.Config;
        // In place: a 400-frame 79-channel heatmap clip is 1.6 GB, and every temporary would stay in the scope.
        var rgb = torch.rand(new long[] { 1, c.RgbChannels, frames, v.RgbSize, v.RgbSize }).mul_(2).sub_(1);
        var hm = torch.rand(new long[] { 1, c.KeypointChannels, frames, v.HeatmapSize, v.HeatmapSize }).mul_(2).sub_(1);
        long l = Math.Max(1, frames / 8);
        var tgt = torch.randint(1, c.VocabularySize, new long[] { 1, l });
        return (rgb, hm, torch.tensor(new long[] { frames }), tgt, torch.tensor(new long[] { l }));
    }

    /// <summary>Our timing: one warm-up each, then the mean of <paramref name="repeats"/> runs.</summary>
    public static BenchTiming Measure(ModelVariant v, int frames, int repeats)
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(0);
        var model = ModelRegistry.Create(v.Config);
        var (rgb, hm, len, tgt, tlen) = Inputs(v, frames);
        var loss = new RecognitionLoss(v.Config);
        model.eval();
        double fwd;
        using (torch.no_grad())
        {
            using (torch.NewDisposeScope()) model.Forward(rgb, hm, len);
            var sw = Stopwatch.StartNew();
            for (int i = 0; i < repeats; i++) using (torch.NewDisposeScope()) model.Forward(rgb, hm, len);
            fwd = sw.Elapsed.TotalSeconds / repeats;
        }
        model.train();
        void Step()
        {
            using var s = torch.NewDisposeScope();
            model.zero_grad();
            loss.Compute(model.Forward(rgb, hm, len), tgt, tlen).Total.backward();
        }
        Step();
        var sw2 = Stopwatch.StartNew();
        for (int i = 0; i < repeats; i++) Step();
        double fb = sw2.Elapsed.TotalSeconds / repeats;
        return new BenchTiming(fwd, fb, PeakRssMb());
    }

    /// <summary>Eval forward of one long clip (e.g. 400 frames, the eval cap of spec §7.3): seconds and peak RSS.</summary>
    public static (double seconds, double peakRssMb) LongClipInference(ModelVariant v, int frames)
    {
        using var scope = torch.NewDisposeScope();
        var model = ModelRegistry.Create(v.Config);
        model.eval();
        var (rgb, hm, len, _, _) = Inputs(v, frames);
        using var _ng = torch.no_grad();
        var sw = Stopwatch.StartNew();
        using (torch.NewDisposeScope()) model.Forward(rgb, hm, len);
        return (sw.Elapsed.TotalSeconds, PeakRssMb());
    }

    /// <summary>VmHWM of this process in MB (the kernel's peak resident set).</summary>
    public static double PeakRssMb()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return double.Parse(line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
        return Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0;
    }

    /// <summary>
    /// The same architecture in Debian's PyTorch (a separate process, so its RSS is its own). Returns null and a
    /// reason when /usr/bin/python3 or torch is missing.
    /// </summary>
    public static (BenchTiming? timing, string? error) Reference(ModelVariant v, int frames, int repeats)
    {
        var c = v.Config;
        var script = Path.Combine(RepoPaths.Root, "environment", "tools", "pytorch", "twostream_ref.py");
        var args = string.Create(CultureInfo.InvariantCulture,
            $"\"{script}\" bench --width {c.Width} --hidden {c.HeadHidden} --ff {c.HeadFeedForward} --vocab {c.VocabularySize} " +
            $"--kp-channels {c.KeypointChannels} --pe-len {c.PositionalMaxLength} --dropout {c.HeadDropout} --frames {frames} --size {v.RgbSize} " +
            $"--repeats {repeats} --threads {torch.get_num_threads()}");
        try
        {
            var psi = new ProcessStartInfo("/usr/bin/python3", args) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var p = Process.Start(psi)!;
            var outTask = p.StandardOutput.ReadToEndAsync();
            var err = p.StandardError.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0) return (null, $"reference failed: {err.Trim().Split('\n').Last()}");
            using var doc = JsonDocument.Parse(outTask.Result.Trim().Split('\n').Last());
            var r = doc.RootElement;
            return (new BenchTiming(r.GetProperty("forward_s").GetDouble(), r.GetProperty("forward_backward_s").GetDouble(),
                                    r.GetProperty("peak_rss_mb").GetDouble()), null);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or JsonException or InvalidOperationException)
        {
            return (null, $"reference unavailable: {e.Message}");
        }
    }
}
