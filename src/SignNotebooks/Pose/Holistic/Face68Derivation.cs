namespace SignNotebooks.Pose.Holistic;

/// <summary>
/// Derives <see cref="HolisticWholeBody.Face68FromMesh"/>, the face-mesh vertex of each 68-point face landmark
/// (the dlib / 300-W / COCO-WholeBody order), from MediaPipe's own Apache-2.0 facts only: the contour index sets and
/// the canonical face model's vertex positions (<see cref="CanonicalFaceModel"/>). <c>HolisticWholeBodyTests</c>
/// checks that this derivation reproduces the committed table, so the table can be regenerated and audited.
/// <para>
/// Every point is one mesh vertex. "Image order" is the order in which the 68-point scheme lists a group: left to
/// right in a frontal image (the person's right first), i.e. by increasing canonical x. Arc lengths are measured on
/// the frontal view (x, y), the plane in which 300-W points are annotated, and a point at arc fraction f of a
/// contour route is the route's vertex whose arc position is nearest f × the route's length.
/// </para>
/// <list type="bullet">
/// <item>Eye corners: the min-x and max-x vertices of each eye contour; <c>eyeY</c> is the mean height of the four.</item>
/// <item>Jaw 0–16: the face oval walked from the forehead through the person's right ear, the chin and the left ear;
/// the stretch below <c>eyeY</c> (between its two crossings of that height) carries 17 points at evenly spaced arc
/// length, its ends included.</item>
/// <item>Eyebrows 17–21 (right) and 22–26 (left): each eyebrow contour is two open chains; the upper one (larger mean
/// y) in image order carries 5 points at arc fractions 0, ¼, ½, ¾, 1.</item>
/// <item>Nose bridge 27–30: on the nose contour's midline vertices (x = 0), 30 is the tip (largest z), 27 the vertex
/// nearest <c>eyeY</c> in height, 28 and 29 the vertices nearest ⅓ and ⅔ of the height from 27 to 30.</item>
/// <item>Nostrils 31–35: 33 is the lowest midline vertex of the nose contour (subnasale). From it the contour is
/// walked outward on each side while each step runs more sideways than up or down (the base of the nostrils); 31 and
/// 35 are where those walks stop, 32 and 34 the walks' vertices at arc fraction ½.</item>
/// <item>Eyes 36–41 (right) and 42–47 (left): the image-left corner, the upper route at arc fractions ⅓ and ⅔, the
/// image-right corner, then the lower route walked back at ⅓ and ⅔.</item>
/// <item>Outer lips 48–59: the corners are the lip contour's min-x and max-x vertices; on the upper route 51 is the
/// midline vertex, 50 and 52 the highest vertex on each side (the peaks of the Cupid's bow), 49 and 53 the vertices
/// at arc fraction ½ between corner and peak; the lower route, walked back from the image-right corner, carries 55–59
/// at arc fractions ⅙ … ⅚ (57 on the midline).</item>
/// <item>Inner lips 60–67: the corners of the other lip cycle, its upper route at arc fractions ¼, ½, ¾ (61–63) and
/// its lower route walked back at ¼, ½, ¾ (65–67).</item>
/// </list>
/// </summary>
public static class Face68Derivation
{
    private const double Midline = 1e-6;   // the canonical model is mirror-symmetric: midline vertices have x = 0 exactly

    /// <summary>The 68 mesh indices, in the 68-point order, derived from <paramref name="m"/> by the rules above.</summary>
    public static int[] Derive(CanonicalFaceModel m)
    {
        var v = m.Vertices;
        double X(int i) => v[i].X;
        double Y(int i) => v[i].Y;
        double Z(int i) => v[i].Z;
        var geo = new FaceContourGeometry(v);
        var table = new List<int>(68);

        var eyes = new[] { "FACEMESH_RIGHT_EYE", "FACEMESH_LEFT_EYE" }.Select(n => geo.Graph(m.Contours[n])).ToArray();
        var corners = eyes.Select(g => (ImageLeft: g.Keys.MinBy(X), ImageRight: g.Keys.MaxBy(X))).ToArray();
        double eyeY = corners.Average(c => (Y(c.ImageLeft) + Y(c.ImageRight)) / 2);

        // Jaw 0–16.
        var oval = geo.Graph(m.Contours["FACEMESH_FACE_OVAL"]);
        int top = oval.Keys.MaxBy(Y);
        var ring = geo.Walk(oval, top, oval[top].MinBy(X), closed: true);   // forehead → right ear → chin → left ear → forehead
        var s = geo.Arc(ring);
        var crossings = Enumerable.Range(0, ring.Length - 1).Where(k => (Y(ring[k]) - eyeY) * (Y(ring[k + 1]) - eyeY) < 0)
            .Select(k => s[k] + (eyeY - Y(ring[k])) / (Y(ring[k + 1]) - Y(ring[k])) * (s[k + 1] - s[k])).ToArray();
        if (crossings.Length != 2) throw new InvalidOperationException($"the face oval crosses the eye height {crossings.Length} times, expected 2");
        for (int j = 0; j < 17; j++)
            table.Add(geo.Nearest(ring, s, crossings[0] + (crossings[1] - crossings[0]) * j / 16));

        // Eyebrows 17–26.
        foreach (var name in new[] { "FACEMESH_RIGHT_EYEBROW", "FACEMESH_LEFT_EYEBROW" })
        {
            var upper = geo.Chains(geo.Graph(m.Contours[name])).MaxBy(c => c.Average(Y))!;
            table.AddRange(new[] { 0, 0.25, 0.5, 0.75, 1 }.Select(f => geo.AtArc(upper, f)));
        }

        // Nose 27–35.
        var nose = geo.Graph(m.Contours["FACEMESH_NOSE"]);
        var mid = nose.Keys.Where(i => Math.Abs(X(i)) < Midline).ToArray();
        int tip = mid.MaxBy(Z), bridge = mid.Where(i => Y(i) > Y(tip)).MinBy(i => Math.Abs(Y(i) - eyeY));
        table.Add(bridge);
        for (int k = 1; k <= 2; k++) table.Add(mid.MinBy(i => Math.Abs(Y(i) - (Y(bridge) + (Y(tip) - Y(bridge)) * k / 3))));
        table.Add(tip);
        int sub = mid.MinBy(Y);
        var rowLeft = NostrilRow(geo, nose, sub, nose[sub].MinBy(X));
        var rowRight = NostrilRow(geo, nose, sub, nose[sub].MaxBy(X));
        table.AddRange([rowLeft[^1], geo.AtArc(rowLeft, 0.5), sub, geo.AtArc(rowRight, 0.5), rowRight[^1]]);

        // Eyes 36–47.
        for (int e = 0; e < 2; e++)
        {
            var (upper, lower) = geo.UpperLower(eyes[e], corners[e].ImageLeft, corners[e].ImageRight);
            table.AddRange([corners[e].ImageLeft, geo.AtArc(upper, 1 / 3.0), geo.AtArc(upper, 2 / 3.0),
                            corners[e].ImageRight, geo.AtArc(lower, 1 / 3.0), geo.AtArc(lower, 2 / 3.0)]);
        }

        // Lips 48–67: the outer cycle holds the contour's extreme corners, the inner cycle is the rest.
        var lips = geo.Graph(m.Contours["FACEMESH_LIPS"]);
        int oL = lips.Keys.MinBy(X), oR = lips.Keys.MaxBy(X);
        var outerSet = geo.Walk(lips, oL, lips[oL][0], closed: true).ToHashSet();
        var innerKeys = lips.Keys.Where(i => !outerSet.Contains(i)).ToArray();
        int iL = innerKeys.MinBy(X), iR = innerKeys.MaxBy(X);

        var (up, low) = geo.UpperLower(lips, oL, oR);
        int centre = up.Single(i => Math.Abs(X(i)) < Midline);
        int peakL = up.Where(i => X(i) < X(centre)).MaxBy(Y), peakR = up.Where(i => X(i) > X(centre)).MaxBy(Y);
        table.AddRange([oL, geo.AtArc(up[..(Array.IndexOf(up, peakL) + 1)], 0.5), peakL, centre, peakR,
                        geo.AtArc(up[Array.IndexOf(up, peakR)..], 0.5), oR]);
        table.AddRange(Enumerable.Range(1, 5).Select(k => geo.AtArc(low, k / 6.0)));
        var (iUp, iLow) = geo.UpperLower(lips, iL, iR);
        table.Add(iL);
        table.AddRange(new[] { 0.25, 0.5, 0.75 }.Select(f => geo.AtArc(iUp, f)));
        table.Add(iR);
        table.AddRange(new[] { 0.25, 0.5, 0.75 }.Select(f => geo.AtArc(iLow, f)));

        if (table.Count != 68 || table.Distinct().Count() != 68)
            throw new InvalidOperationException($"derived {table.Count} points, {table.Distinct().Count()} distinct; expected 68 distinct");
        return [.. table];
    }

    /// <summary>From the subnasale along the nose contour while each step runs more sideways than up or down.</summary>
    private static List<int> NostrilRow(FaceContourGeometry geo, Dictionary<int, List<int>> nose, int sub, int first)
    {
        var row = new List<int> { sub };
        int prev = sub, cur = first;
        while (geo.Sideways(prev, cur))
        {
            row.Add(cur);
            var next = nose[cur].Where(n => n != prev).ToArray();
            if (next.Length != 1) break;
            (prev, cur) = (cur, next[0]);
        }
        if (row.Count < 3) throw new InvalidOperationException($"the nostril row from {sub} through {first} has {row.Count} vertices, expected at least 3");
        return row;
    }
}
