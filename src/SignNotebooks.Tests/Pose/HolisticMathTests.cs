using SignNotebooks.Pose.Holistic;

namespace SignNotebooks.Tests.Pose;

/// <summary>
/// MediaPipe's pre- and post-processing on hand-made cases: anchors against the configs of the published graphs,
/// SSD decoding, weighted NMS, the ROI calculators and the ROI ↔ frame projection.
/// </summary>
public sealed class HolisticMathTests
{
    private const float Eps = 1e-4f;

    [Fact]
    public void Pose_detection_anchors_match_the_graphs_num_boxes_and_grid()
    {
        var a = SsdAnchors.Generate(SsdAnchorOptions.PoseDetection);
        // pose_detection_cpu.pbtxt: num_boxes 2254 = 28²·2 (stride 8) + 14²·2 (16) + 7²·6 (three stride-32 layers share one map).
        Assert.Equal(2254, a.Length);
        Assert.Equal(28 * 28 * 2 + 14 * 14 * 2 + 7 * 7 * 6, a.Length);
        // First anchor: centre of the first stride-8 cell; two anchors per cell, fixed size 1.
        Assert.Equal(new Anchor(0.5f / 28, 0.5f / 28, 1, 1), a[0]);
        Assert.Equal(a[0], a[1]);
        Assert.Equal(1.5f / 28, a[2].CenterX, Eps);
        // Last stride-8 anchor is the bottom-right cell; the stride-16 map starts after it.
        Assert.Equal(27.5f / 28, a[28 * 28 * 2 - 1].CenterY, Eps);
        Assert.Equal(0.5f / 14, a[28 * 28 * 2].CenterX, Eps);
        // The stride-32 block: 6 anchors per cell, the last at the centre of cell (6, 6).
        Assert.Equal(6.5f / 7, a[^1].CenterX, Eps);
        Assert.Equal(6.5f / 7, a[^6].CenterY, Eps);
        Assert.All(a, x => Assert.True(x.Width == 1 && x.Height == 1));
    }

    [Fact]
    public void Face_detection_anchors_match_the_graphs_num_boxes()
    {
        var a = SsdAnchors.Generate(SsdAnchorOptions.FaceDetectionShortRange);
        Assert.Equal(896, a.Length);   // face_detection_short_range.pbtxt: 16²·2 + 8²·6
        Assert.Equal(0.5f / 16, a[0].CenterX, Eps);
        Assert.Equal(7.5f / 8, a[^1].CenterY, Eps);
    }

    [Fact]
    public void Anchor_sizes_follow_the_scale_formula_when_not_fixed()
    {
        var o = new SsdAnchorOptions(64, 64, 0.2f, 0.8f, [32, 64], [1f, 4f], FixedAnchorSize: false, InterpolatedScaleAspectRatio: 0);
        var a = SsdAnchors.Generate(o);
        Assert.Equal(2 * 2 * 2 + 1 * 1 * 2, a.Length);
        // layer 0: scale 0.2; ratio 4 → h = 0.2/2, w = 0.2·2. layer 1: scale 0.8.
        Assert.Equal(0.2f, a[0].Width, Eps);
        Assert.Equal(0.4f, a[1].Width, Eps);
        Assert.Equal(0.1f, a[1].Height, Eps);
        Assert.Equal(0.8f, a[8].Height, Eps);
    }

    [Fact]
    public void Decode_puts_box_and_keypoints_at_anchor_plus_offset_over_scale()
    {
        var anchors = new[] { new Anchor(0.25f, 0.75f, 1, 1), new Anchor(0.5f, 0.5f, 1, 1) };
        var o = new SsdDecodeOptions(8, 2, 100f, 0.5f);
        // anchor 0: centre +10 px / 100 in x, box 20×40, keypoints at offsets (0, 0) and (−5, 5); anchor 1: low score.
        float[] boxes = [10, 0, 20, 40, 0, 0, -5, 5, 0, 0, 1, 1, 0, 0, 0, 0];
        float[] scores = [2f, -3f];
        var d = Assert.Single(SsdDetections.Decode(boxes, scores, anchors, o));
        Assert.Equal(0.35f - 0.1f, d.XMin, Eps);
        Assert.Equal(0.75f - 0.2f, d.YMin, Eps);
        Assert.Equal(0.2f, d.Width, Eps);
        Assert.Equal(1 / (1 + MathF.Exp(-2f)), d.Score, Eps);
        Assert.Equal((0.25f, 0.75f), d.Keypoints[0]);
        Assert.Equal(0.2f, d.Keypoints[1].X, Eps);
        Assert.Equal(0.8f, d.Keypoints[1].Y, Eps);
    }

    [Fact]
    public void Weighted_nms_averages_overlapping_boxes_by_score_and_keeps_separate_ones()
    {
        var a = new Detection(0, 0, 10, 10, 0.9f, [(0f, 0f)]);
        var b = new Detection(2, 0, 10, 10, 0.6f, [(10f, 0f)]);   // IoU with a = 80/120 > 0.3
        var c = new Detection(50, 50, 10, 10, 0.7f, [(55f, 55f)]);
        var r = SsdDetections.WeightedNms([b, c, a], 0.3f);
        Assert.Equal(2, r.Count);
        Assert.Equal(0.9f, r[0].Score);
        Assert.Equal((0 * 0.9f + 2 * 0.6f) / 1.5f, r[0].XMin, Eps);
        Assert.Equal(10 * 0.6f / 1.5f, r[0].Keypoints[0].X, Eps);
        Assert.Equal(0.7f, r[1].Score);
        Assert.Equal(50f, r[1].XMin, Eps);
        Assert.Equal(55f, r[1].Keypoints[0].Y, Eps);
    }

    [Fact]
    public void Rotation_is_zero_for_an_upright_body_and_follows_a_tilt()
    {
        // Pose detection: hip centre → point above the head, target 90°.
        Assert.Equal(0f, RoiMath.Rotation((100, 200), (100, 50), 90), Eps);
        // Body lying to the right (head at +x): the ROI turns by +90° (clockwise in the image).
        Assert.Equal(MathF.PI / 2, RoiMath.Rotation((100, 200), (250, 200), 90), Eps);
        // Face: right eye → left eye pointing +x (the person faces the camera), target 0°.
        Assert.Equal(0f, RoiMath.Rotation((90, 50), (110, 50), 0), Eps);
        Assert.Equal(-MathF.PI, RoiMath.NormalizeRadians(MathF.PI), Eps);   // MediaPipe's range is [−π, π)
        Assert.Equal(-MathF.PI / 2, RoiMath.NormalizeRadians(1.5f * MathF.PI), Eps);
    }

    [Fact]
    public void Alignment_points_roi_is_a_square_of_twice_the_distance()
    {
        var r = RoiMath.AlignmentPoints((100, 200), (100, 140), 90);
        Assert.Equal(new Roi(100, 200, 120, 120, 0), r);
        var t = RoiMath.Transform(r, 1.25f, 1.25f);
        Assert.Equal(150f, t.Width, Eps);
        Assert.Equal(200f, t.CenterY, Eps);
    }

    [Fact]
    public void Transform_shifts_along_the_rois_own_axes_and_squares_the_long_side()
    {
        var up = RoiMath.Transform(new Roi(50, 50, 20, 40, 0), 2f, 2f, shiftY: -0.1f);
        Assert.Equal(new Roi(50, 46, 80, 80, 0), up);
        // Rotated by 90°: the ROI's y axis points to −x in the image, so a shift of −0.1·height moves +x.
        var side = RoiMath.Transform(new Roi(50, 50, 20, 40, MathF.PI / 2), 1f, 1f, shiftY: -0.1f, squareLong: false);
        Assert.Equal(54f, side.CenterX, Eps);
        Assert.Equal(50f, side.CenterY, Eps);
        Assert.Equal(20f, side.Width);
    }

    [Fact]
    public void Hand_roi_from_pose_is_centred_between_index_and_pinky()
    {
        // Hand pointing up: wrist (0, 30), index (−3, 0), pinky (6, 0): centre (0, 0), side 2·30, rotation 0.
        var r = RoiMath.HandFromPose((0, 30), (6, 0), (-3, 0));
        Assert.Equal(0f, r.CenterX, Eps);
        Assert.Equal(0f, r.CenterY, Eps);
        Assert.Equal(60f, r.Width, Eps);
        Assert.Equal(0f, r.Rotation, Eps);
    }

    [Fact]
    public void Rotated_box_of_a_rotated_rectangle_recovers_it()
    {
        var truth = new Roi(40, 60, 30, 10, 0.6f);
        var corners = new[] { truth.ToFrame(0, 0), truth.ToFrame(1, 0), truth.ToFrame(0, 1), truth.ToFrame(1, 1) };
        var r = RoiMath.RotatedBox(corners, 0.6f);
        Assert.Equal(truth.CenterX, r.CenterX, 1e-3f);
        Assert.Equal(truth.CenterY, r.CenterY, 1e-3f);
        Assert.Equal(30f, r.Width, 1e-3f);
        Assert.Equal(10f, r.Height, 1e-3f);
    }

    [Fact]
    public void Hand_landmarks_rect_turns_with_the_hand()
    {
        // A hand whose fingers point right (+x) from the wrist: rotation +90°.
        var p = Enumerable.Range(0, 21).Select(i => ((float)(i % 5) * 10, (float)(i / 5) * 2)).ToArray();
        p[0] = (0, 4); p[6] = (30, 2); p[10] = (30, 4); p[14] = (30, 6);
        var r = RoiMath.HandFromLandmarks(p);
        Assert.Equal(MathF.PI / 2, r.Rotation, Eps);
        // In the rotated frame the fingers' direction is the ROI's height.
        Assert.Equal(40f, r.Height, 1e-3f);
    }

    [Fact]
    public void Projection_round_trip_through_a_rotated_roi()
    {
        var roi = new Roi(120, 80, 64, 48, 0.7f);
        // The ROI centre maps to its centre; corners are at half-diagonal distance.
        Assert.Equal((120f, 80f), roi.ToFrame(0.5f, 0.5f));
        var (x, y) = roi.ToFrame(1, 1);
        Assert.Equal(40f, MathF.Sqrt((x - 120) * (x - 120) + (y - 80) * (y - 80)), 1e-3f);
        foreach (var (u, v) in new[] { (0.1f, 0.9f), (0.5f, 0.2f), (1.3f, -0.2f) })
        {
            var f = roi.ToFrame(u, v);
            var back = roi.FromFrame(f.X, f.Y);
            Assert.Equal(u, back.U, 1e-4f);
            Assert.Equal(v, back.V, 1e-4f);
        }
        // Detections map through the ROI: the box of the mapped corners contains every mapped keypoint.
        var d = new Detection(0.2f, 0.2f, 0.6f, 0.6f, 1, [(0.5f, 0.5f), (0.2f, 0.8f)]).MapTo(roi);
        Assert.All(d.Keypoints, k => Assert.True(k.X >= d.XMin - Eps && k.X <= d.XMax + Eps && k.Y >= d.YMin - Eps && k.Y <= d.YMax + Eps));
    }

    [Fact]
    public void Crop_of_a_rotated_roi_samples_the_pixels_the_projection_names()
    {
        // A frame with one bright pixel: the crop's brightest sample, mapped back by ToFrame, lands on that pixel.
        int w = 64, h = 48;
        var rgb = new byte[w * h * 3];
        int bx = 40, by = 20;
        for (int c = 0; c < 3; c++) rgb[(by * w + bx) * 3 + c] = 255;
        var frame = new SignNotebooks.Pose.RgbFrame(w, h, rgb);
        var roi = new Roi(36, 24, 20, 20, 0.5f);
        var crop = RoiCrop.Crop(frame, roi, 40, 40, 0, 1);
        int best = Enumerable.Range(0, 40 * 40).MaxBy(i => crop[i * 3]);
        var (x, y) = roi.ToFrame((best % 40 + 0.5f) / 40, (best / 40 + 0.5f) / 40);
        Assert.InRange(x, bx + 0.5f - 0.6f, bx + 0.5f + 0.6f);
        Assert.InRange(y, by + 0.5f - 0.6f, by + 0.5f + 0.6f);
    }

    [Fact]
    public void Tracking_keeps_a_close_roi_and_drops_a_moved_one()
    {
        var recrop = new Roi(100, 100, 50, 50, 0);
        (float, float)[] inside = [(95, 95), (105, 110)];
        Assert.True(RoiMath.KeepTracking(new Roi(104, 98, 55, 52, 0.1f), inside, recrop, 40, 0.2f, 0.4f, -0.1f));
        Assert.False(RoiMath.KeepTracking(new Roi(120, 98, 55, 52, 0.1f), inside, recrop, 40, 0.2f, 0.4f, -0.1f));   // moved 20 > 0.2·50
        Assert.False(RoiMath.KeepTracking(new Roi(100, 100, 50, 50, 1.0f), inside, recrop, 40, 0.2f, 0.4f, -0.1f));   // turned 57°
        Assert.False(RoiMath.KeepTracking(new Roi(100, 100, 50, 50, 0), [(95, 95), (124, 100)], recrop, 40, 0.2f, 0.4f, -0.1f)); // landmark outside 0.9·50
    }
}
