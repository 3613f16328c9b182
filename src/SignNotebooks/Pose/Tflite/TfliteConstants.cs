using SignNotebooks.Util;

namespace SignNotebooks.Pose.Tflite;

/// <summary>A constant tensor's values at conversion time: float (weights) or int (shapes, paddings), in TFLite's layout.</summary>
internal sealed record ConstValue(int[] Shape, float[]? F, int[]? I)
{
    public float[] Floats(string what) => F ?? throw new UserFacingException($"{what}: expected float constants");
    public int[] Ints(string what) => I ?? throw new UserFacingException($"{what}: expected int32 constants");
}

/// <summary>
/// Constant folding of what the models store compactly: float16 weights (DEQUANTIZE) and sparse weights (DENSIFY,
/// TFLite's TACO-style <c>SparsityParameters</c>). Both run once at conversion, so the ONNX graph holds dense float32.
/// </summary>
internal static class TfliteConstants
{
    public static ConstValue Read(TfliteTensor t, string file)
    {
        var d = t.Data!;
        if (t.Sparsity is not null) return new ConstValue(t.Shape, Densify(t, file), null);
        return t.Type switch
        {
            TfliteType.Float32 => new ConstValue(t.Shape, Cast<float>(d), null),
            TfliteType.Float16 => new ConstValue(t.Shape, Half(d), null),
            TfliteType.Int32 => new ConstValue(t.Shape, null, Cast<int>(d)),
            TfliteType.Int64 => new ConstValue(t.Shape, null, Cast<long>(d).Select(v => checked((int)v)).ToArray()),
            _ => throw new UserFacingException($"{file}: tensor {t.Index} '{t.Name}' has type {t.Type}, which the converter does not read (only float32, float16 and int32/int64 constants)"),
        };
    }

    private static T[] Cast<T>(byte[] d) where T : struct => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, T>(d).ToArray();

    public static float[] Half(byte[] d) => Cast<Half>(d).Select(h => (float)h).ToArray();

    /// <summary>
    /// Expands a sparse constant: walk the levels in traversal order; a dense level enumerates its size, a CSR level
    /// the indices of its segment; at the leaf the block indices are folded into the original dimensions.
    /// </summary>
    public static float[] Densify(TfliteTensor t, string file)
    {
        var sp = t.Sparsity!.Value;
        // SparsityParameters: traversal_order 0, block_map 1, dim_metadata 2.
        int[] order = sp.Ints(0), blockMap = sp.Ints(1);
        var levels = sp.Tables(2);
        int rank = t.Shape.Length;
        if (order.Length != levels.Count || order.Length != rank + blockMap.Length)
            throw new UserFacingException($"{file}: tensor '{t.Name}': sparsity has {order.Length} traversal dims, {levels.Count} levels and {blockMap.Length} block dims for rank {rank}");
        var stored = t.Type switch
        {
            TfliteType.Float32 => Cast<float>(t.Data!),
            TfliteType.Float16 => Half(t.Data!),
            _ => throw new UserFacingException($"{file}: sparse tensor '{t.Name}' of type {t.Type} is not supported"),
        };
        // DimensionMetadata: format 0, dense_size 1, array_segments (type 2, value 3), array_indices (type 4, value 5).
        var dense = levels.Select(l => l.SByte(0) == 0).ToArray();
        var sizes = levels.Select(l => l.Int(1)).ToArray();
        var segments = levels.Select(l => l.SByte(0) == 0 ? null : IndexVector(l, 2, 3)).ToArray();
        var indices = levels.Select(l => l.SByte(0) == 0 ? null : IndexVector(l, 4, 5)).ToArray();
        var result = new float[t.Elements];
        var idx = new int[order.Length];
        int next = 0;
        void Walk(int level, int prev)
        {
            if (level == order.Length)
            {
                var orig = new int[rank];
                for (int i = 0; i < rank; i++) orig[order[i]] = idx[i];
                for (int i = rank; i < order.Length; i++)
                {
                    int b = blockMap[order[i] - rank];
                    orig[b] = orig[b] * sizes[i] + idx[i];
                }
                long flat = 0;
                for (int i = 0; i < rank; i++) flat = flat * t.Shape[i] + orig[i];
                result[flat] = stored[next++];
                return;
            }
            if (dense[level])
                for (int i = 0; i < sizes[level]; i++) { idx[level] = i; Walk(level + 1, prev * sizes[level] + i); }
            else
                for (int k = segments[level]![prev]; k < segments[level]![prev + 1]; k++) { idx[level] = indices[level]![k]; Walk(level + 1, k); }
        }
        Walk(0, 0);
        if (next != stored.Length)
            throw new UserFacingException($"{file}: sparse tensor '{t.Name}': the index structure visits {next} values but {stored.Length} are stored");
        return result;
    }

    // SparseIndexVector union: 1 Int32Vector, 2 Uint16Vector, 3 Uint8Vector, each a table with `values` at field 0.
    private static int[] IndexVector(Fb level, int typeField, int valueField)
    {
        var v = level.Table(valueField) ?? throw new UserFacingException("sparse level without index vector");
        return level.SByte(typeField) switch
        {
            1 => v.Ints(0),
            2 => v.UShorts(0).Select(x => (int)x).ToArray(),
            3 => v.Bytes(0).Select(x => (int)x).ToArray(),
            var k => throw new UserFacingException($"unknown sparse index vector type {k}"),
        };
    }
}
