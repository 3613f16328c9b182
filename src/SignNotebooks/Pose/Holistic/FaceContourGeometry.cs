namespace SignNotebooks.Pose.Holistic;

/// <summary>
/// Routes along face-mesh contours (edge sets; the walks follow simple paths and cycles, where every vertex has at
/// most two neighbours) and arc lengths on the frontal (x, y) view of the canonical face model; the tools of <see cref="Face68Derivation"/>.
/// </summary>
internal sealed class FaceContourGeometry(IReadOnlyList<(double X, double Y, double Z)> v)
{
    /// <summary>Adjacency of an edge set (the nose contour branches at the tip and the subnasale; the others do not).</summary>
    public Dictionary<int, List<int>> Graph((int A, int B)[] edges)
    {
        var g = new Dictionary<int, List<int>>();
        foreach (var (a, b) in edges)
        {
            Add(a, b);
            Add(b, a);
        }
        return g;

        void Add(int from, int to)
        {
            if (!g.TryGetValue(from, out var n)) g[from] = n = [];
            if (!n.Contains(to)) n.Add(to);
        }
    }

    /// <summary>
    /// From <paramref name="start"/> through <paramref name="first"/> until a dead end, or, for a cycle, back to the
    /// start (<paramref name="closed"/> repeats the start at the end).
    /// </summary>
    public int[] Walk(Dictionary<int, List<int>> g, int start, int first, bool closed = false)
    {
        var path = new List<int> { start };
        int prev = start, cur = first;
        while (cur != start)
        {
            path.Add(cur);
            var next = g[cur].Where(n => n != prev).ToArray();
            if (next.Length == 0) break;
            if (next.Length > 1) throw new InvalidOperationException($"the contour branches at mesh vertex {cur}; a walk needs a path or a cycle");
            (prev, cur) = (cur, next[0]);
        }
        if (closed)
        {
            if (cur != start) throw new InvalidOperationException($"the contour through {start} is not a cycle");
            path.Add(start);
        }
        return [.. path];
    }

    /// <summary>The two routes between <paramref name="a"/> and <paramref name="b"/> on a cycle: the upper one (larger
    /// mean y) from a to b, the lower one walked back from b to a.</summary>
    public (int[] Upper, int[] Lower) UpperLower(Dictionary<int, List<int>> g, int a, int b)
    {
        var routes = g[a].Select(n => Walk(g, a, n)).Select(p => p[..(Array.IndexOf(p, b) + 1)]).ToArray();
        if (routes.Length != 2 || routes.Any(r => r[^1] != b)) throw new InvalidOperationException($"vertices {a} and {b} are not on one cycle");
        var upper = routes.MaxBy(r => r.Average(i => v[i].Y))!;
        var lower = routes.MinBy(r => r.Average(i => v[i].Y))!;
        return (upper, [.. lower.Reverse()]);
    }

    /// <summary>The open chains of an edge set, each in image order (from its smaller-x end).</summary>
    public int[][] Chains(Dictionary<int, List<int>> g) =>
        g.Where(kv => kv.Value.Count == 1).Select(kv => Walk(g, kv.Key, kv.Value[0]))
         .Where(p => v[p[0]].X < v[p[^1]].X).ToArray();

    /// <summary>Cumulative arc length along <paramref name="path"/> on the frontal (x, y) view.</summary>
    public double[] Arc(IReadOnlyList<int> path)
    {
        var s = new double[path.Count];
        for (int k = 1; k < path.Count; k++)
            s[k] = s[k - 1] + Math.Sqrt(Math.Pow(v[path[k]].X - v[path[k - 1]].X, 2) + Math.Pow(v[path[k]].Y - v[path[k - 1]].Y, 2));
        return s;
    }

    /// <summary>The vertex of <paramref name="path"/> whose arc position is nearest <paramref name="target"/> (the first on a tie).</summary>
    public int Nearest(IReadOnlyList<int> path, double[] s, double target) =>
        path[Enumerable.Range(0, path.Count).MinBy(k => Math.Abs(s[k] - target))];

    /// <summary>The vertex at arc fraction <paramref name="f"/> (0 = first vertex, 1 = last) of <paramref name="path"/>.</summary>
    public int AtArc(IReadOnlyList<int> path, double f)
    {
        var s = Arc(path);
        return Nearest(path, s, f * s[^1]);
    }

    /// <summary>Whether the step from <paramref name="a"/> to <paramref name="b"/> runs more sideways than up or down.</summary>
    public bool Sideways(int a, int b) => Math.Abs(v[b].X - v[a].X) > Math.Abs(v[b].Y - v[a].Y);
}
