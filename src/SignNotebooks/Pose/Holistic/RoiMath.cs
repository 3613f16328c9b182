namespace SignNotebooks.Pose.Holistic;

/// <summary>
/// MediaPipe's region-of-interest calculators, in frame pixels (MediaPipe keeps normalised rects and multiplies by the
/// image size inside each calculator; the results are the same). Each method names the calculator it follows.
/// </summary>
public static class RoiMath
{
    /// <summary>Angle into [−π, π) (MediaPipe's NormalizeRadians).</summary>
    public static float NormalizeRadians(float a) => a - 2 * MathF.PI * MathF.Floor((a - (-MathF.PI)) / (2 * MathF.PI));

    /// <summary>
    /// DetectionsToRectsCalculator's rotation: the angle that turns the vector <paramref name="from"/>→<paramref name="to"/>
    /// (image y points down, hence the minus) to <paramref name="targetDegrees"/>.
    /// </summary>
    public static float Rotation((float X, float Y) from, (float X, float Y) to, float targetDegrees) =>
        NormalizeRadians(MathF.PI * targetDegrees / 180f - MathF.Atan2(-(to.Y - from.Y), to.X - from.X));

    /// <summary>
    /// AlignmentPointsRectsCalculator: a square centred on <paramref name="center"/> whose side is twice the distance
    /// to <paramref name="scale"/>, rotated so that centre→scale points at <paramref name="targetDegrees"/>.
    /// </summary>
    public static Roi AlignmentPoints((float X, float Y) center, (float X, float Y) scale, float targetDegrees)
    {
        float size = 2 * MathF.Sqrt((scale.X - center.X) * (scale.X - center.X) + (scale.Y - center.Y) * (scale.Y - center.Y));
        return new Roi(center.X, center.Y, size, size, Rotation(center, scale, targetDegrees));
    }

    /// <summary>DetectionsToRectsCalculator on a landmark list (LandmarksToDetectionCalculator first): the axis-aligned
    /// box of the points, rotated by the angle of points <paramref name="start"/>→<paramref name="end"/>.</summary>
    public static Roi BoundingBox(IReadOnlyList<(float X, float Y)> points, int start, int end, float targetDegrees)
    {
        float x0 = points.Min(p => p.X), x1 = points.Max(p => p.X), y0 = points.Min(p => p.Y), y1 = points.Max(p => p.Y);
        return new Roi((x0 + x1) / 2, (y0 + y1) / 2, x1 - x0, y1 - y0, Rotation(points[start], points[end], targetDegrees));
    }

    /// <summary>
    /// RectTransformationCalculator: shift by a fraction of the size along the ROI's own axes, make it square on its
    /// long side (<paramref name="squareLong"/>), then scale.
    /// </summary>
    public static Roi Transform(Roi r, float scaleX, float scaleY, float shiftX = 0, float shiftY = 0, bool squareLong = true)
    {
        float c = MathF.Cos(r.Rotation), s = MathF.Sin(r.Rotation);
        float cx = r.CenterX + r.Width * shiftX * c - r.Height * shiftY * s;
        float cy = r.CenterY + r.Width * shiftX * s + r.Height * shiftY * c;
        float w = r.Width, h = r.Height;
        if (squareLong) w = h = Math.Max(w, h);
        return new Roi(cx, cy, w * scaleX, h * scaleY, r.Rotation);
    }

    /// <summary>
    /// HandDetectionsFromPoseToRectsCalculator: from the pose's wrist, pinky and index landmarks, a square centred on
    /// the point two thirds of the way from pinky to index, side twice its distance to the wrist, rotated so that
    /// wrist→centre points up (90°).
    /// </summary>
    public static Roi HandFromPose((float X, float Y) wrist, (float X, float Y) pinky, (float X, float Y) index)
    {
        var middle = ((2 * index.X + pinky.X) / 3, (2 * index.Y + pinky.Y) / 3);
        var r = AlignmentPoints(wrist, middle, 90);
        return r with { CenterX = middle.Item1, CenterY = middle.Item2 };
    }

    /// <summary>
    /// HandLandmarksToRectCalculator: rotation from the wrist (0) towards the mean of the middle-finger PIP (10) and
    /// the mean of the index (6) and ring (14) PIPs, target 90°; the box of the 21 landmarks in that rotated frame.
    /// </summary>
    public static Roi HandFromLandmarks(IReadOnlyList<(float X, float Y)> p)
    {
        float mx = ((p[6].X + p[14].X) / 2 + p[10].X) / 2, my = ((p[6].Y + p[14].Y) / 2 + p[10].Y) / 2;
        float rotation = Rotation(p[0], (mx, my), 90);
        return RotatedBox(p, rotation);
    }

    /// <summary>The tightest box of <paramref name="p"/> whose axes are turned by <paramref name="rotation"/>.</summary>
    public static Roi RotatedBox(IReadOnlyList<(float X, float Y)> p, float rotation)
    {
        float ax = (p.Min(q => q.X) + p.Max(q => q.X)) / 2, ay = (p.Min(q => q.Y) + p.Max(q => q.Y)) / 2;
        float c = MathF.Cos(-rotation), s = MathF.Sin(-rotation);
        float x0 = float.MaxValue, x1 = float.MinValue, y0 = float.MaxValue, y1 = float.MinValue;
        foreach (var q in p)
        {
            float dx = q.X - ax, dy = q.Y - ay;
            float px = dx * c - dy * s, py = dx * s + dy * c;
            x0 = Math.Min(x0, px); x1 = Math.Max(x1, px); y0 = Math.Min(y0, py); y1 = Math.Max(y1, py);
        }
        float pcx = (x0 + x1) / 2, pcy = (y0 + y1) / 2;
        float cr = MathF.Cos(rotation), sr = MathF.Sin(rotation);
        return new Roi(ax + pcx * cr - pcy * sr, ay + pcx * sr + pcy * cr, x1 - x0, y1 - y0, rotation);
    }

    /// <summary>
    /// RoiTrackingCalculator: keep tracking with <paramref name="previous"/> (the ROI from the last frame's landmarks)
    /// when it is close to this frame's re-crop ROI (rotation within <paramref name="maxDegrees"/>, centre within
    /// <paramref name="translation"/> and size within <paramref name="scale"/> of the re-crop size, in the re-crop's
    /// axes) and every previous landmark lies inside the re-crop ROI shrunk by <paramref name="margin"/>.
    /// </summary>
    public static bool KeepTracking(Roi previous, IReadOnlyList<(float X, float Y)> previousLandmarks, Roi recrop,
        float maxDegrees, float translation, float scale, float margin)
    {
        float c = MathF.Cos(-recrop.Rotation), s = MathF.Sin(-recrop.Rotation);
        (float X, float Y) Turn(float x, float y) => (x * c - y * s, x * s + y * c);
        var p = Turn(previous.CenterX, previous.CenterY);
        var r = Turn(recrop.CenterX, recrop.CenterY);
        float diff = (previous.Rotation - recrop.Rotation) * 180f / MathF.PI;
        if (diff > 180) diff -= 360;
        if (diff < -180) diff += 360;
        if (MathF.Abs(diff) > maxDegrees) return false;
        if (MathF.Abs(p.X - r.X) > recrop.Width * translation || MathF.Abs(p.Y - r.Y) > recrop.Height * translation) return false;
        if (MathF.Abs(previous.Width - recrop.Width) > recrop.Width * scale || MathF.Abs(previous.Height - recrop.Height) > recrop.Height * scale) return false;
        float hw = recrop.Width * (1 + margin) / 2, hh = recrop.Height * (1 + margin) / 2;
        foreach (var q in previousLandmarks)
        {
            var t = Turn(q.X, q.Y);
            if (!(r.X - hw < t.X && t.X < r.X + hw && r.Y - hh < t.Y && t.Y < r.Y + hh)) return false;
        }
        return true;
    }
}
