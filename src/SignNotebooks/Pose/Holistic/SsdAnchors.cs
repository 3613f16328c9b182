namespace SignNotebooks.Pose.Holistic;

/// <summary>One SSD anchor: centre and size in the model input's normalised coordinates (0..1).</summary>
public readonly record struct Anchor(float CenterX, float CenterY, float Width, float Height);

/// <summary>
/// The options of MediaPipe's <c>SsdAnchorsCalculator</c> that its BlazePose and BlazeFace graphs set. Defaults are
/// the calculator proto's (<c>interpolated_scale_aspect_ratio</c> 1.0 gives a second anchor per cell).
/// </summary>
public sealed record SsdAnchorOptions(int InputWidth, int InputHeight, float MinScale, float MaxScale, int[] Strides,
    float[] AspectRatios, float AnchorOffsetX = 0.5f, float AnchorOffsetY = 0.5f, bool FixedAnchorSize = true,
    float InterpolatedScaleAspectRatio = 1f)
{
    /// <summary>mediapipe/modules/pose_detection/pose_detection_cpu.pbtxt: 224×224, strides 8, 16, 32, 32, 32 → 2254 anchors.</summary>
    public static SsdAnchorOptions PoseDetection { get; } = new(224, 224, 0.1484375f, 0.75f, [8, 16, 32, 32, 32], [1f]);

    /// <summary>mediapipe/modules/face_detection/face_detection_short_range.pbtxt: 128×128, strides 8, 16, 16, 16 → 896 anchors.</summary>
    public static SsdAnchorOptions FaceDetectionShortRange { get; } = new(128, 128, 0.1484375f, 0.75f, [8, 16, 16, 16], [1f]);
}

/// <summary>
/// SSD anchor generation as MediaPipe's <c>SsdAnchorsCalculator</c> documents it: consecutive layers with the same
/// stride share one feature map, each contributing its aspect ratios (plus the interpolated-scale anchor); anchors are
/// listed row by row, cell by cell, anchor by anchor, in the order the detector's box tensor uses.
/// </summary>
public static class SsdAnchors
{
    public static Anchor[] Generate(SsdAnchorOptions o)
    {
        var anchors = new List<Anchor>();
        int layer = 0, n = o.Strides.Length;
        while (layer < n)
        {
            var heights = new List<float>();
            var widths = new List<float>();
            int last = layer;
            while (last < n && o.Strides[last] == o.Strides[layer])
            {
                float scale = Scale(o.MinScale, o.MaxScale, last, n);
                foreach (var ratio in o.AspectRatios) Add(scale, ratio);
                if (o.InterpolatedScaleAspectRatio > 0)
                {
                    float next = last == n - 1 ? 1f : Scale(o.MinScale, o.MaxScale, last + 1, n);
                    Add(MathF.Sqrt(scale * next), o.InterpolatedScaleAspectRatio);
                }
                last++;
            }
            int stride = o.Strides[layer];
            int fh = (int)MathF.Ceiling((float)o.InputHeight / stride), fw = (int)MathF.Ceiling((float)o.InputWidth / stride);
            for (int y = 0; y < fh; y++)
                for (int x = 0; x < fw; x++)
                    for (int a = 0; a < heights.Count; a++)
                        anchors.Add(new Anchor((x + o.AnchorOffsetX) / fw, (y + o.AnchorOffsetY) / fh,
                            o.FixedAnchorSize ? 1f : widths[a], o.FixedAnchorSize ? 1f : heights[a]));
            layer = last;

            void Add(float scale, float ratio)
            {
                float r = MathF.Sqrt(ratio);
                heights.Add(scale / r);
                widths.Add(scale * r);
            }
        }
        return anchors.ToArray();
    }

    private static float Scale(float min, float max, int index, int count) =>
        count == 1 ? (min + max) / 2 : min + (max - min) * index / (count - 1f);
}
