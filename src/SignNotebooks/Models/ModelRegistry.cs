using SignNotebooks.Util;

namespace SignNotebooks.Models;

/// <summary>A named model variant: the config plus the input sizes it is meant for (RGB side, heatmap side = RGB/2, spec §2).</summary>
public sealed record ModelVariant(string Name, string Description, ModelConfig Config, int RgbSize, int HeatmapSize);

/// <summary>
/// Registry of named variants (timm-style): paper-width networks whose keys and shapes equal the official ones,
/// and CPU profiles (`standard`, `tiny`) that shrink channels, head sizes and frame sizes. Each is a `with`-expression
/// over the paper defaults of <see cref="ModelConfig"/>.
/// </summary>
public static class ModelRegistry
{
    private static readonly ModelConfig Paper = new();
    private static readonly ModelConfig Standard = Paper with { Width = 0.5, HeadHidden = 256, HeadFeedForward = 1024 };
    private static readonly ModelConfig Tiny = Paper with { Width = 0.125, HeadHidden = 64, HeadFeedForward = 128, PositionalMaxLength = 1000 };

    private static readonly ModelVariant[] All =
    {
        new("twostream-paper", "TwoStream-SLR as released: width 1.0, 224² RGB + 112² heatmaps", Paper, 224, 112),
        new("video-paper", "video-only pretraining network (stage 1a), width 1.0", Paper with { Streams = StreamKind.Video }, 224, 112),
        new("keypoint-paper", "keypoint-only pretraining network (stage 1b), width 1.0", Paper with { Streams = StreamKind.Keypoint }, 224, 112),
        // Heatmap sides must be multiples of 16 (4 halvings, then the SPN doubles C4 back onto C3), RGB twice that.
        new("twostream-standard", "CPU profile: half width, head 256/1024, 128² RGB + 64² heatmaps", Standard, 128, 64),
        new("twostream-tiny", "CPU profile for tests and notebooks: 1/8 width, head 64/128, 64² RGB + 32² heatmaps", Tiny, 64, 32),
        new("video-tiny", "video-only at the tiny profile", Tiny with { Streams = StreamKind.Video }, 64, 32),
        new("keypoint-tiny", "keypoint-only at the tiny profile", Tiny with { Streams = StreamKind.Keypoint }, 64, 32),
    };

    /// <summary>Every registered variant, in a stable order.</summary>
    public static IReadOnlyList<ModelVariant> Variants => All;

    /// <summary>Looks a variant up by name; unknown names list the known ones.</summary>
    public static ModelVariant Get(string name) =>
        All.FirstOrDefault(v => string.Equals(v.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new UserFacingException($"unknown model variant '{name}'. Known variants: {string.Join(", ", All.Select(v => v.Name))}.");

    /// <summary>Builds the model of a variant, optionally adjusting its config (e.g. the vocabulary size).</summary>
    public static RecognitionModel Build(string name, Func<ModelConfig, ModelConfig>? adjust = null)
    {
        var cfg = Get(name).Config;
        return Create(adjust is null ? cfg : adjust(cfg));
    }

    /// <summary>Builds the network a config describes.</summary>
    public static RecognitionModel Create(ModelConfig config) => config.Streams == StreamKind.TwoStream
        ? new TwoStreamModel(config)
        : new SingleStreamModel(config);
}
