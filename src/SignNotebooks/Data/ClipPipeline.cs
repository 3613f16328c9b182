using SignNotebooks.Keypoints;
using SignNotebooks.Util;
using static TorchSharp.torch;

namespace SignNotebooks.Data;

/// <summary>One clip turned into stream inputs, with the random choices that produced it (for figures and tests).</summary>
public sealed class ClipInputs : IDisposable
{
    public required string Name { get; init; }
    /// <summary>(3, L, S, S) BGR in [−1, 1], or null when the RGB stream was not requested.</summary>
    public Tensor? Video { get; init; }
    /// <summary>(K, L, s, s) in [−1, 1], or null when the keypoint stream was not requested.</summary>
    public Tensor? Heatmaps { get; init; }
    /// <summary>(L, K, 3) selected keypoints in raw-frame pixels (what the heatmaps were drawn from).</summary>
    public required Tensor Keypoints { get; init; }
    /// <summary>The frame indices used (spec §7.3), length L.</summary>
    public required int[] FrameIndices { get; init; }
    /// <summary>Crop on the RGB frame (null when RGB was not built).</summary>
    public CropBox? RgbBox { get; init; }
    /// <summary>Crop on the heatmap grid.</summary>
    public required CropBox HeatmapBox { get; init; }
    /// <summary>The colour jitter draw, or null when the coin said no (or eval, or no RGB).</summary>
    public ColorJitter? Jitter { get; init; }
    public int Length => FrameIndices.Length;

    public void Dispose() { Video?.Dispose(); Heatmaps?.Dispose(); Keypoints.Dispose(); }
}

/// <summary>
/// Clip → stream inputs: temporal sampling (§7.3), one crop box shared by video and heatmaps, colour jitter, and
/// the per-stream rendering (§1.2, §1.3, §7.4). Stateless apart from the config; the caller owns the RNG.
/// </summary>
public sealed class ClipPipeline(InputConfig config)
{
    public InputConfig Config { get; } = config.Validate();
    public KeypointSelection Selection { get; } = config.Selection;
    /// <summary>The importance gate on the heatmaps, when the config asks for one (loaded here, so a missing estimator fails before any batch).</summary>
    public Importance.ImportanceGate? Gate { get; } = config.ImportanceGate is { } g ? Importance.ImportanceGate.Open(g) : null;

    /// <summary>Builds the requested streams for one clip. The result's tensors belong to the caller.</summary>
    public ClipInputs Prepare(SignClip clip, bool train, Random rng, InputStreams streams = InputStreams.Both)
    {
        bool rgb = streams.HasFlag(InputStreams.Rgb), heat = streams.HasFlag(InputStreams.Heatmaps);
        if (clip.Keypoints.Length == 0)
        {
            // A real corpus opened without its keypoint file: the video stream does not need keypoints (they become
            // missed detections in the batch); the keypoint stream cannot run.
            if (heat)
                throw new UserFacingException($"clip '{clip.Name}' (split {clip.Split}) has no keypoints, but the keypoint stream was requested. " +
                    "Fix: give the corpus its keypoint file (SLRT's <dataset>-keypoints.pkl beside the annotations), or train the video stream only.");
            clip = clip with { Keypoints = new float[clip.FrameCount * WholeBody.Count * WholeBody.Values] };
        }
        KeypointValidation.Validate(clip);
        if (rgb && clip.Frames is null)
            throw new UserFacingException($"clip '{clip.Name}' (split {clip.Split}) has no frames but the RGB stream was requested. " +
                "Fix: load it with frames, or train the keypoint stream only (streams = Heatmaps).");
        var map = Config.MapSize ?? (clip.Height, clip.Width);
        double fy = (double)map.H / clip.Height, fx = (double)map.W / clip.Width;

        var indices = train ? TemporalSampling.Train(clip.FrameCount, rng, Config) : TemporalSampling.Eval(clip.FrameCount, Config);

        CropBox? rgbBox = null;
        CropBox heatBox;
        if (train)
        {
            if (rgb)
            {
                rgbBox = RandomResizedCrop.Sample(clip.Height, clip.Width, rng, Config.CropScale, Config.CropRatio);
                heatBox = rgbBox.Value.Scale(fy, fx, map.H, map.W);   // spec §7.4: same box, scaled, int()
            }
            else heatBox = RandomResizedCrop.Sample(map.H, map.W, rng, Config.CropScale, Config.CropRatio);   // spec §7.4: keypoint-only samples on the map
        }
        else if (Config.EvalCenterCrop is int c)
        {
            rgbBox = CropBox.Center(clip.Height, clip.Width, c, c);
            heatBox = CropBox.Center(map.H, map.W, (int)(c * fy), (int)(c * fx));   // spec §7.4: CSL 270 -> 143
        }
        else
        {
            rgbBox = CropBox.Full(clip.Height, clip.Width);
            heatBox = CropBox.Full(map.H, map.W);
        }
        if (!rgb) rgbBox = null;
        ColorJitter? jitter = null;
        if (train && rgb && rng.NextDouble() < Config.JitterP) jitter = ColorJitter.Draw(rng, Config);

        Tensor? video = null, heatmaps = null;
        var keypoints = SelectKeypoints(clip, indices);
        try
        {
            if (rgb)
                video = RgbPreprocess.StreamInput(clip.Frames!, clip.FrameCount, clip.Height, clip.Width, indices, rgbBox!.Value,
                    Config.RgbSize, jitter, Config.ChunkFrames, Config.Antialias == true);
            if (heat) heatmaps = RenderHeatmaps(keypoints, (clip.Height, clip.Width), map, heatBox);
            if (heatmaps is not null && Gate is not null) heatmaps = Gate.Apply(heatmaps, clip, indices, Selection);
        }
        catch
        {
            keypoints.Dispose(); video?.Dispose(); heatmaps?.Dispose();
            throw;
        }
        return new ClipInputs
        {
            Name = clip.Name, Video = video, Heatmaps = heatmaps, Keypoints = keypoints, FrameIndices = indices,
            RgbBox = rgbBox, HeatmapBox = heatBox, Jitter = jitter,
        };
    }

    /// <summary>(T, 133, 3) → (L, K, 3): the sampled frames and the selected keypoints in channel order.</summary>
    public Tensor SelectKeypoints(SignClip clip, int[] indices)
    {
        using var scope = NewDisposeScope();
        var all = tensor(clip.Keypoints, [clip.FrameCount, WholeBody.Count, WholeBody.Values]);
        var sel = all.index_select(0, tensor(indices, dtype: int64))
            .index_select(1, tensor(Selection.Indices.ToArray(), dtype: int64));
        return sel.MoveToOuterDisposeScope();
    }

    private Tensor RenderHeatmaps(Tensor keypoints, (int H, int W) raw, (int H, int W) map, CropBox box)
    {
        using var scope = NewDisposeScope();
        // (L, K, 3) -> (K, L, 3): the renderer is elementwise over the two leading dims, so this yields the
        // stream layout (K, L, s, s) without a copy; the separable path needs no chunking for memory.
        var h = Heatmaps.StreamInput(keypoints.permute(1, 0, 2), raw, map, box, Config.HeatmapSize, Config.HeatmapSize, Config.HeatmapOptions);
        return h.MoveToOuterDisposeScope();
    }
}
