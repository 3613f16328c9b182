using SignNotebooks.Pose.Tflite;
using SignNotebooks.Util;
using static TorchSharp.torch;
using Fn = TorchSharp.torch.nn.functional;
using static SignNotebooks.Tests.Pose.TfliteConverterTests;

namespace SignNotebooks.Tests.Pose;

/// <summary>
/// The converter's operators whose NHWC semantics meet the NCHW graph: reshape, concatenation, fully connected,
/// mean, pad, strided slice, resize, depth-to-space, densify; each against hand-computed NHWC results or TorchSharp.
/// </summary>
public sealed class TfliteConverterLayoutTests
{
    private const int H = 3, W = 4, C = 5;
    private static int At(int y, int x, int c) => (y * W + x) * C + c;

    [Fact]
    public void Reshape_flattens_and_unflattens_in_nhwc_order()
    {
        var m = new TfliteTestModel();
        var x = m.Tensor([1, H, W, C]);
        var flat = m.Tensor([1, H * W * C]);
        var back = m.Tensor([1, W, H, C]);
        m.Op(TfliteOp.Reshape, [x, m.Ints([2], [1, H * W * C])], [flat]);
        m.Op(TfliteOp.Reshape, [flat, m.Ints([4], [1, W, H, C])], [back]);
        var input = Rand(H * W * C, 1);
        var got = m.Run([x], [flat, back], input);
        Close(input, got[0], 0);   // NHWC memory order is the flat order
        Close(input, got[1], 0);
    }

    [Fact]
    public void Concatenation_on_channels_and_on_height_with_a_negative_axis()
    {
        var m = new TfliteTestModel();
        var a = m.Tensor([1, H, W, C]); var b = m.Tensor([1, H, W, 2]);
        var ch = m.Tensor([1, H, W, C + 2]);
        m.Op(TfliteOp.Concatenation, [a, b], [ch], 10, (0, 3));
        var c2 = m.Tensor([1, H, W, C]);
        var rows = m.Tensor([1, 2 * H, W, C]);
        m.Op(TfliteOp.Concatenation, [a, c2], [rows], 10, (0, -3));
        var (av, bv, cv) = (Rand(H * W * C, 2), Rand(H * W * 2, 3), Rand(H * W * C, 4));
        var got = m.Run([a, b, c2], [ch, rows], av, bv, cv);
        var expectedCh = Enumerable.Range(0, H * W).SelectMany(p => av.Skip(p * C).Take(C).Concat(bv.Skip(p * 2).Take(2))).ToArray();
        Close(expectedCh, got[0], 0);
        Close(av.Concat(cv).ToArray(), got[1], 0);
    }

    [Fact]
    public void Fully_connected_reads_a_rank4_input_in_nhwc_order()
    {
        int outF = 6, inF = H * W * C;
        var m = new TfliteTestModel();
        var x = m.Tensor([1, H, W, C]);
        var wt = Rand(outF * inF, 5); var bias = Rand(outF, 6);
        var y = m.Tensor([1, outF]);
        m.Op(TfliteOp.FullyConnected, [x, m.Floats([outF, inF], wt), m.Floats([outF], bias)], [y], 8, (0, (sbyte)0));
        var input = Rand(inF, 7);
        var got = m.Run([x], [y], input)[0];
        var expected = Enumerable.Range(0, outF).Select(o => bias[o] + Enumerable.Range(0, inF).Sum(i => wt[o * inF + i] * input[i])).ToArray();
        Close(expected, got);
    }

    [Fact]
    public void Mean_over_height_and_width_without_kept_dims()
    {
        var m = new TfliteTestModel();
        var x = m.Tensor([1, H, W, C]);
        var y = m.Tensor([1, C]);
        m.Op(TfliteOp.Mean, [x, m.Ints([2], [1, 2])], [y], 27, (0, false));
        var input = Rand(H * W * C, 8);
        var got = m.Run([x], [y], input)[0];
        Close(Enumerable.Range(0, C).Select(c => Enumerable.Range(0, H * W).Average(p => input[p * C + c])).Select(v => (float)v).ToArray(), got);
    }

    [Fact]
    public void Pad_puts_nhwc_paddings_on_the_right_axes()
    {
        var m = new TfliteTestModel();
        var x = m.Tensor([1, H, W, C]);
        var y = m.Tensor([1, H + 3, W + 1, C + 2]);
        m.Op(TfliteOp.Pad, [x, m.Ints([4, 2], [0, 0, 1, 2, 0, 1, 2, 0])], [y], 22);
        var input = Rand(H * W * C, 9);
        var got = m.Run([x], [y], input)[0];
        int h2 = H + 3, w2 = W + 1, c2 = C + 2;
        var expected = new float[h2 * w2 * c2];
        for (int i = 0; i < H; i++) for (int j = 0; j < W; j++) for (int c = 0; c < C; c++)
            expected[((i + 1) * w2 + j) * c2 + c + 2] = input[At(i, j, c)];
        Close(expected, got, 0);
    }

    [Fact]
    public void Strided_slice_with_masks_strides_and_a_shrunk_axis()
    {
        var m = new TfliteTestModel();
        var x = m.Tensor([1, H, W, C]);
        // [:, 1, ::2, -3:] → (1, 2, 3): the batch by begin/end masks, height shrunk to row 1, every 2nd column, the last 3 channels.
        var y = m.Tensor([1, 2, 3]);
        m.Op(TfliteOp.StridedSlice, [x, m.Ints([4], [0, 1, 0, -3]), m.Ints([4], [0, 2, 0, 0]), m.Ints([4], [1, 1, 2, 1])], [y], 32,
            (0, 0b0101), (1, 0b1101), (4, 0b0010));
        var input = Rand(H * W * C, 10);
        var got = m.Run([x], [y], input)[0];
        var expected = new[] { 0, 2 }.SelectMany(j => Enumerable.Range(C - 3, 3).Select(c => input[At(1, j, c)])).ToArray();
        Close(expected, got, 0);
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(false, false)]
    public void Resize_bilinear_in_each_coordinate_mode(bool alignCorners, bool halfPixel)
    {
        int oh = 7, ow = 9;
        var m = new TfliteTestModel();
        var x = m.Tensor([1, H, W, C]);
        var y = m.Tensor([1, oh, ow, C]);
        m.Op(TfliteOp.ResizeBilinear, [x, m.Ints([2], [oh, ow])], [y], 15, (2, alignCorners), (3, halfPixel));
        var input = Rand(H * W * C, 11);
        var got = m.Run([x], [y], input)[0];
        float[] expected;
        if (alignCorners || halfPixel)
        {
            // torch's align_corners=False is TF's half_pixel_centers; align_corners=True is the same on both sides.
            using var _ = NewDisposeScope();
            expected = Nhwc(Fn.interpolate(Nchw(input, [1, H, W, C]), size: [oh, ow], mode: InterpolationMode.Bilinear, align_corners: alignCorners));
        }
        else
        {
            // TF's legacy mode: source = destination · in/out, no half-pixel shift, clamped at the last pixel.
            expected = new float[oh * ow * C];
            for (int i = 0; i < oh; i++) for (int j = 0; j < ow; j++) for (int c = 0; c < C; c++)
            {
                double sy = i * (double)H / oh, sx = j * (double)W / ow;
                int y0 = (int)sy, x0 = (int)sx, y1 = Math.Min(y0 + 1, H - 1), x1 = Math.Min(x0 + 1, W - 1);
                double fy = sy - y0, fx = sx - x0;
                expected[(i * ow + j) * C + c] = (float)((1 - fy) * ((1 - fx) * input[At(y0, x0, c)] + fx * input[At(y0, x1, c)])
                                                          + fy * ((1 - fx) * input[At(y1, x0, c)] + fx * input[At(y1, x1, c)]));
            }
        }
        Close(expected, got);
    }

    [Fact]
    public void Depth_to_space_follows_tensorflows_channel_order()
    {
        int b = 2, c = 3;
        var m = new TfliteTestModel();
        var x = m.Tensor([1, H, W, b * b * c]);
        var y = m.Tensor([1, H * b, W * b, c]);
        m.Op(TfliteOp.DepthToSpace, [x], [y], 0, (0, b));
        var input = Rand(H * W * b * b * c, 12);
        var got = m.Run([x], [y], input)[0];
        // tf.nn.depth_to_space: out[y·b + i, x·b + j, k] = in[y, x, (i·b + j)·C + k].
        var expected = new float[got.Length];
        for (int yy = 0; yy < H; yy++) for (int xx = 0; xx < W; xx++) for (int i = 0; i < b; i++) for (int j = 0; j < b; j++) for (int k = 0; k < c; k++)
            expected[((yy * b + i) * W * b + xx * b + j) * c + k] = input[(yy * W + xx) * b * b * c + (i * b + j) * c + k];
        Close(expected, got, 0);
    }

    [Fact]
    public void Densify_expands_a_csr_constant()
    {
        // Dense 3×4: row 0 = [0, 1.5, 0, 2], row 1 empty, row 2 = [-1, 0, 0, 3].
        var m = new TfliteTestModel();
        var sparse = m.SparseCsr([3, 4], [1.5f, 2, -1, 3], [0, 2, 2, 4], [1, 3, 0, 3]);
        var dense = m.Tensor([3, 4]);
        m.Op(TfliteOp.Densify, [sparse], [dense]);
        var x = m.Tensor([3, 4]);
        var y = m.Tensor([3, 4]);
        m.Op(TfliteOp.Add, [x, dense], [y], 11);
        var got = m.Run([x], [y], new float[12])[0];
        Close([0, 1.5f, 0, 2, 0, 0, 0, 0, -1, 0, 0, 3], got, 0);
    }

    [Fact]
    public void Unsupported_operators_are_refused_by_name()
    {
        var m = new TfliteTestModel();
        var x = m.Tensor([1, 4]); var y = m.Tensor([1, 4]); var z = m.Tensor([1, 4]);
        m.Op((TfliteOp)28, [x], [y]);    // TANH
        m.Op((TfliteOp)117, [y], [z]);   // HARD_SWISH
        var e = Assert.Throws<UserFacingException>(() => TfliteToOnnx.Convert(TfliteModel.Parse(m.Build([x], [z]), "two.tflite")));
        Assert.Contains("two.tflite: operators TANH, HARD_SWISH not supported", e.Message);
        Assert.Throws<UserFacingException>(() => TfliteModel.Parse(new byte[64], "zeros.tflite"));
    }
}
