using SignNotebooks.Util;

namespace SignNotebooks.Synthetic;

/// <summary>
/// Knobs of the corpus with their defaults: 1 is the documented default, 0 turns the effect off, 2 doubles it.
/// <see cref="Clutter"/> scales the number and contrast of background distractors (RGB failure mode);
/// <see cref="KeypointNoise"/> scales every detector error of <see cref="DetectorNoise"/> (jitter, velocity
/// error, misses, swaps); <see cref="CameraMotion"/> scales shake and zoom drift; <see cref="MotionBlur"/>
/// scales the blur of fast hands.
/// </summary>
public sealed record SynthKnobs(double Clutter = 1.0, double KeypointNoise = 1.0, double CameraMotion = 1.0, double MotionBlur = 1.0);

/// <summary>
/// Size of a SynthSign corpus. Clip counts per split, raw frame size (keypoints are in these pixels; the
/// input pipeline keeps the paper's 2:1 RGB:heatmap ratio from there), sentence length range and
/// the base number of frames per sign at tempo 1.
/// </summary>
public sealed record SynthProfile(
    string Name, int TrainClips, int DevClips, int TestClips, int TestShiftClips,
    int Width, int Height, int MinGlosses, int MaxGlosses, int SignFrames)
{
    /// <summary>CI: seconds to generate, tiny frames, short clips.</summary>
    public static SynthProfile Tiny { get; } = new("tiny", 48, 16, 16, 16, 64, 64, 2, 4, 6);
    /// <summary>CPU workbook: enough to train a small two-stream model to a useful WER in minutes.</summary>
    public static SynthProfile Standard { get; } = new("standard", 1500, 200, 200, 200, 128, 128, 2, 8, 6);
    /// <summary>GPU users: Phoenix-sized splits, larger frames.</summary>
    public static SynthProfile Large { get; } = new("large", 7000, 520, 640, 640, 224, 224, 2, 8, 10);

    public static IReadOnlyList<SynthProfile> All { get; } = [Tiny, Standard, Large];

    /// <summary>The profile with this name, or a UserFacingException that lists the valid names.</summary>
    public static SynthProfile Get(string name) =>
        All.FirstOrDefault(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
        ?? throw new UserFacingException($"unknown SynthSign profile '{name}'; valid profiles: {string.Join(", ", All.Select(p => p.Name))}");

    /// <summary>
    /// The same corpus rendered at another raw frame size: signing, sentences and noise are drawn in
    /// frame-relative units, so only the pixel scale changes. Accepts "WxH" (e.g. "96x96").
    /// </summary>
    public SynthProfile WithSize(string size)
    {
        var parts = size.ToLowerInvariant().Split('x');
        if (parts.Length != 2 || !int.TryParse(parts[0], out int w) || !int.TryParse(parts[1], out int h) || w < 32 || h < 32 || w > 1024 || h > 1024)
            throw new UserFacingException($"frame size '{size}' is not valid; write WIDTHxHEIGHT with both between 32 and 1024, e.g. 128x128");
        return this with { Width = w, Height = h };
    }

    public int ClipCount(string split) => split switch
    {
        "train" => TrainClips, "dev" => DevClips, "test" => TestClips, "test-shift" => TestShiftClips,
        _ => throw new UserFacingException($"unknown SynthSign split '{split}'; valid splits: {string.Join(", ", SynthSignDataset.SplitNames)}"),
    };
}
