using System.Diagnostics;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SignNotebooks.Models;

/// <summary>One Conv3d of a network as it runs: its input (N, C, T, H, W), weight shape and geometry.</summary>
public sealed record Conv3dShape(long[] Input, long[] Weight, long[] Stride, long[] Padding, long Groups, long[] Output)
{
    /// <summary>Forward FLOPs: 2 per multiply-add, N·C_out·T'·H'·W' outputs of C_in/groups·kt·kh·kw each.</summary>
    public double ForwardFlops => 2.0 * Output[0] * Output[1] * Output[2] * Output[3] * Output[4]
                                  * Weight[1] * Weight[2] * Weight[3] * Weight[4];

    /// <summary>A readable key: Cin→Cout k(t,h,w) s(..) on T×H×W.</summary>
    public string Key => $"{Input[1]}→{Weight[0]} k{Weight[2]}x{Weight[3]}x{Weight[4]} s{string.Join("x", Stride)} p{string.Join("x", Padding)}" +
                         (Groups != 1 ? $" g{Groups}" : "") + $" in {Input[2]}x{Input[3]}x{Input[4]}";
}

/// <summary>One row of the roofline table.</summary>
public sealed record RooflineRow(string Layer, int Count, double Gflop, double ForwardMs, double BackwardMs, double Gflops, double PercentOfGemm);

/// <summary>
/// How close the CPU kernels come to the machine's in-process GEMM rate (issue 16). FLOPs come from the layer
/// shapes (<see cref="Conv3dShape.ForwardFlops"/>); backward is counted as twice the forward (gradients of the input
/// and of the weight, one GEMM-sized product each).
/// </summary>
public static class Roofline
{
    /// <summary>fp32 GEMM rate of libtorch in this process, GFLOP/s: the best of <paramref name="repeats"/> n×n products.</summary>
    public static double GemmGflops(int n = 1024, int repeats = 5)
    {
        using var scope = NewDisposeScope();
        var a = rand(n, n);
        var b = rand(n, n);
        a.mm(b);   // warm-up: thread pool and packing buffers
        double best = double.MaxValue;
        for (int i = 0; i < repeats; i++)
        {
            var sw = Stopwatch.StartNew();
            using (var c = a.mm(b)) { }
            best = Math.Min(best, sw.Elapsed.TotalSeconds);
        }
        return 2.0 * n * n * n / best / 1e9;
    }

    /// <summary>Every Conv3d the variant runs for one clip of <paramref name="frames"/> frames, in call order (forward hooks).</summary>
    public static List<Conv3dShape> Conv3dLayers(ModelVariant variant, int frames)
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(0);
        using var model = ModelRegistry.Create(variant.Config);
        var shapes = new List<Conv3dShape>();
        var removers = new List<Action>();
        void Record(Tensor input, Tensor weight, long[] stride, long[] padding, long groups, Tensor output) =>
            shapes.Add(new Conv3dShape(input.shape, weight.shape, stride, padding, groups, output.shape));
        foreach (var (_, m) in model.named_modules())
        {
            // The backbone's convolutions are TorchSharp Conv3d; the video→keypoint laterals are ChunkedConv3d.
            if (m is Conv3d conv)
                removers.Add(conv.register_forward_hook((module, input, output) =>
                {
                    var c = (Conv3d)module;
                    Record(input, c.weight!, c.stride.ToArray(), c.padding!.ToArray(), c.groups, output);
                    return output;
                }).remove);
            else if (m is Layers.ChunkedConv3d chunked)
                removers.Add(chunked.register_forward_hook((module, input, output) =>
                {
                    var c = (Layers.ChunkedConv3d)module;
                    Record(input, c.Weight, c.Stride, c.Padding, 1, output);
                    return output;
                }).remove);
        }
        var (rgb, hm, len, _, _) = ModelBenchmark.Inputs(variant, frames);
        model.eval();
        using (no_grad()) model.Forward(rgb, hm, len);
        foreach (var remove in removers) remove();
        return shapes;
    }

    /// <summary>Times each distinct shape, forward and forward+backward, on random data; best of <paramref name="repeats"/>.</summary>
    public static List<RooflineRow> TimeShapes(IReadOnlyList<Conv3dShape> layers, double gemmGflops, int repeats = 3)
    {
        var rows = new List<RooflineRow>();
        foreach (var group in layers.GroupBy(l => l.Key))
        {
            var s = group.First();
            using var scope = NewDisposeScope();
            var x = rand(s.Input).requires_grad_();
            var w = rand(s.Weight).mul_(0.01).requires_grad_();
            Tensor Run() => nn.functional.conv3d(x, w, strides: s.Stride, padding: s.Padding, groups: s.Groups);
            double fwd = double.MaxValue, bwd = double.MaxValue;
            for (int i = 0; i <= repeats; i++)   // the first pass warms up and is not counted
            {
                using var step = NewDisposeScope();
                var sw = Stopwatch.StartNew();
                var y = Run();
                double f = sw.Elapsed.TotalSeconds;
                sw.Restart();
                y.sum().backward();
                double b = sw.Elapsed.TotalSeconds;
                x.grad?.zero_(); w.grad?.zero_();
                if (i == 0) continue;
                fwd = Math.Min(fwd, f); bwd = Math.Min(bwd, b);
            }
            double flops = s.ForwardFlops;
            double rate = 3 * flops / (fwd + bwd) / 1e9;
            rows.Add(new RooflineRow(group.Key, group.Count(), flops / 1e9, fwd * 1e3, bwd * 1e3, rate, 100 * rate / gemmGflops));
        }
        return rows;
    }
}
