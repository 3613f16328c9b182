using SignNotebooks.Pose.Tflite;
using TorchSharp;
using static TorchSharp.torch;
using Fn = TorchSharp.torch.nn.functional;

namespace SignNotebooks.Tests.Pose;

/// <summary>
/// The TFLite → ONNX converter, one operator at a time: a one-op TFLite model written with FlatBuffers, converted and
/// run in ONNX Runtime, against TorchSharp (convolutions, pools, activations) on the same NHWC data. The other
/// operators are in <see cref="TfliteConverterLayoutTests"/>.
/// </summary>
public sealed class TfliteConverterTests
{
    internal static float[] Rand(int n, int seed)
    {
        var r = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (float)(r.NextDouble() * 2 - 1)).ToArray();
    }

    /// <summary>NHWC values → an NCHW torch tensor.</summary>
    internal static Tensor Nchw(float[] v, int[] nhwc) => tensor(v, nhwc.Select(d => (long)d).ToArray()).permute(0, 3, 1, 2);
    internal static float[] Nhwc(Tensor nchw) => nchw.permute(0, 2, 3, 1).contiguous().data<float>().ToArray();

    internal static void Close(float[] expected, float[] actual, double tol = 1e-5)
    {
        Assert.Equal(expected.Length, actual.Length);
        double max = expected.Zip(actual, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(max <= tol, $"max abs difference {max:g3} > {tol:g3}");
    }

    // SAME padding with an odd total puts the extra pixel after: 7 wide, kernel 3, stride 2 → out 4, total 2 (1, 1);
    // 8 wide, kernel 3, stride 2 → out 4, total 1 (0 before, 1 after).
    [Theory]
    [InlineData(7, 8, 2, 1, 0, 3)]   // SAME, stride 2, fused RELU6
    [InlineData(9, 6, 1, 2, 1, 1)]   // VALID, dilation 2, fused RELU
    [InlineData(6, 6, 1, 1, 0, 0)]   // SAME, stride 1, no activation
    public void Conv2d_matches_torch(int h, int w, int stride, int dilation, int padding, int fused)
    {
        int cin = 3, cout = 5, k = 3;
        var m = new TfliteTestModel();
        var x = m.Tensor([1, h, w, cin]);
        var wt = Rand(cout * k * k * cin, 2);
        var bias = Rand(cout, 3);
        int Out(int n) => padding == 0 ? (n + stride - 1) / stride : (n - (k - 1) * dilation - 1) / stride + 1;
        var y = m.Tensor([1, Out(h), Out(w), cout]);
        m.Op(TfliteOp.Conv2D, [x, m.Floats([cout, k, k, cin], wt), m.Floats([cout], bias)], [y], 1,
            (0, (sbyte)padding), (1, stride), (2, stride), (3, (sbyte)fused), (4, dilation), (5, dilation));
        var input = Rand(h * w * cin, 1);
        var got = m.Run([x], [y], input)[0];

        using var _ = NewDisposeScope();
        var xt = Nchw(input, [1, h, w, cin]);
        if (padding == 0)
        {
            var (t, b) = TfliteToOnnx.SamePadding(h, k, stride, dilation);
            var (l, r) = TfliteToOnnx.SamePadding(w, k, stride, dilation);
            xt = Fn.pad(xt, [l, r, t, b]);
        }
        var yt = Fn.conv2d(xt, Nchw(wt, [cout, k, k, cin]), tensor(bias), strides: [stride, stride], dilation: [dilation, dilation]);
        yt = fused switch { 1 => yt.relu(), 3 => yt.clamp(0, 6), _ => yt };
        Close(Nhwc(yt), got);
    }

    [Fact]
    public void Same_padding_is_tflites()
    {
        Assert.Equal((1, 1), TfliteToOnnx.SamePadding(7, 3, 2, 1));
        Assert.Equal((0, 1), TfliteToOnnx.SamePadding(8, 3, 2, 1));
        Assert.Equal((2, 2), TfliteToOnnx.SamePadding(9, 5, 1, 1));
        Assert.Equal((2, 2), TfliteToOnnx.SamePadding(6, 3, 1, 2));
    }

    [Fact]
    public void Depthwise_conv_with_multiplier_and_float16_weights_matches_torch()
    {
        int h = 7, w = 6, c = 3, mult = 2, k = 3;
        var m = new TfliteTestModel();
        var x = m.Tensor([1, h, w, c]);
        // Weights stored as float16 and dequantised by a DEQUANTIZE op, as MediaPipe's models do.
        var wt = Rand(k * k * c * mult, 5).Select(v => (float)(Half)v).ToArray();
        var wHalf = m.Halves([1, k, k, c * mult], wt);
        var wFloat = m.Tensor([1, k, k, c * mult]);
        m.Op(TfliteOp.Dequantize, [wHalf], [wFloat]);
        var bias = Rand(c * mult, 6);
        var y = m.Tensor([1, h, w, c * mult]);
        m.Op(TfliteOp.DepthwiseConv2D, [x, wFloat, m.Floats([c * mult], bias)], [y], 2,
            (0, (sbyte)0), (1, 1), (2, 1), (3, mult), (4, (sbyte)1));
        var input = Rand(h * w * c, 4);
        var got = m.Run([x], [y], input)[0];

        using var _ = NewDisposeScope();
        // TFLite (1, KH, KW, C·M) → torch (C·M, 1, KH, KW); output channel c·M + m reads input channel c.
        var wtT = tensor(wt, [1, k, k, c * mult]).permute(3, 0, 1, 2);
        var yt = Fn.conv2d(Fn.pad(Nchw(input, [1, h, w, c]), [1, 1, 1, 1]), wtT, tensor(bias), groups: c).relu();
        Close(Nhwc(yt), got);
    }

    [Theory]
    [InlineData(TfliteOp.Add)]
    [InlineData(TfliteOp.Sub)]
    [InlineData(TfliteOp.Mul)]
    public void Binary_ops_broadcast_a_channel_constant_and_take_two_activations(TfliteOp op)
    {
        int h = 3, w = 4, c = 5;
        var m = new TfliteTestModel();
        var a = m.Tensor([1, h, w, c]);
        var b = m.Tensor([1, h, w, c]);
        var ab = m.Tensor([1, h, w, c]);
        m.Op(op, [a, b], [ab]);
        var bias = Rand(c, 9);
        var y = m.Tensor([1, h, w, c]);
        m.Op(op, [ab, m.Floats([c], bias)], [y], 0, (0, (sbyte)1));   // fused RELU
        var (av, bv) = (Rand(h * w * c, 7), Rand(h * w * c, 8));
        var got = m.Run([a, b], [y], av, bv)[0];
        Func<float, float, float> f = op switch { TfliteOp.Add => (p, q) => p + q, TfliteOp.Sub => (p, q) => p - q, _ => (p, q) => p * q };
        var expected = av.Select((v, i) => Math.Max(0, f(f(v, bv[i]), bias[i % c]))).ToArray();
        Close(expected, got);
    }

    [Fact]
    public void Prelu_relu_relu6_and_logistic_match_their_formulas()
    {
        int h = 2, w = 3, c = 4;
        var m = new TfliteTestModel();
        var x = m.Tensor([1, h, w, c]);
        var alpha = Rand(c, 11);
        var p = m.Tensor([1, h, w, c]); var r = m.Tensor([1, h, w, c]); var r6 = m.Tensor([1, h, w, c]); var s = m.Tensor([1, h, w, c]);
        m.Op(TfliteOp.Prelu, [x, m.Floats([1, 1, c], alpha)], [p]);
        m.Op(TfliteOp.Relu, [x], [r]);
        m.Op(TfliteOp.Relu6, [x], [r6]);
        m.Op(TfliteOp.Logistic, [x], [s]);
        var input = Rand(h * w * c, 10).Select(v => v * 8).ToArray();
        var got = m.Run([x], [p, r, r6, s], input);
        Close(input.Select((v, i) => v >= 0 ? v : alpha[i % c] * v).ToArray(), got[0]);
        Close(input.Select(v => Math.Max(0, v)).ToArray(), got[1]);
        Close(input.Select(v => Math.Clamp(v, 0, 6)).ToArray(), got[2]);
        Close(input.Select(v => (float)(1 / (1 + Math.Exp(-v)))).ToArray(), got[3]);
    }

    [Theory]
    [InlineData(TfliteOp.MaxPool2D, 0)]
    [InlineData(TfliteOp.AveragePool2D, 0)]
    [InlineData(TfliteOp.MaxPool2D, 1)]
    public void Pools_match_a_hand_loop_with_tflite_padding(TfliteOp op, int padding)
    {
        int h = 7, w = 8, c = 2, k = 3, s = 2;
        var m = new TfliteTestModel();
        var x = m.Tensor([1, h, w, c]);
        int oh = padding == 0 ? (h + s - 1) / s : (h - k) / s + 1, ow = padding == 0 ? (w + s - 1) / s : (w - k) / s + 1;
        var y = m.Tensor([1, oh, ow, c]);
        m.Op(op, [x], [y], 5, (0, (sbyte)padding), (1, s), (2, s), (3, k), (4, k));
        var input = Rand(h * w * c, 12);
        var got = m.Run([x], [y], input)[0];
        // SAME: padded pixels are not part of the window (max ignores them, the average divides by the in-image count).
        var (t, _) = padding == 0 ? TfliteToOnnx.SamePadding(h, k, s, 1) : (0, 0);
        var (l, _) = padding == 0 ? TfliteToOnnx.SamePadding(w, k, s, 1) : (0, 0);
        var expected = new List<float>();
        for (int i = 0; i < oh; i++)
            for (int j = 0; j < ow; j++)
                for (int ch = 0; ch < c; ch++)
                {
                    var win = new List<float>();
                    for (int di = 0; di < k; di++)
                        for (int dj = 0; dj < k; dj++)
                        {
                            int yy = i * s - t + di, xx = j * s - l + dj;
                            if (yy >= 0 && yy < h && xx >= 0 && xx < w) win.Add(input[(yy * w + xx) * c + ch]);
                        }
                    expected.Add(op == TfliteOp.MaxPool2D ? win.Max() : win.Average());
                }
        Close(expected.ToArray(), got);
    }
}
