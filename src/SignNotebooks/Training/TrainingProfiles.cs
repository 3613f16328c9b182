using SignNotebooks.Data;
using SignNotebooks.Models;
using SignNotebooks.Util;

namespace SignNotebooks.Training;

/// <summary>
/// The three training profiles, each a `with`-expression over the paper recipe (<see cref="TrainingConfig"/>):
/// `paper` (the released configs: width 1.0, 224²/112², 40 epochs), `standard` (the CPU workbook: small network,
/// small frames, the standard SynthSign corpus) and `tiny` (CI: minutes for all notebooks together).
/// </summary>
public static class TrainingProfiles
{
    public static readonly IReadOnlyList<string> Names = ["tiny", "standard", "paper"];

    /// <summary>The resolved config of a profile and stage.</summary>
    public static TrainingConfig Get(string profile, TrainingStage stage)
    {
        var paper = new TrainingConfig { Stage = stage, Profile = "paper" };
        var cfg = profile.ToLowerInvariant() switch
        {
            // Paper batches are 8 clips; on one device they accumulate 4 micro-batches of 2 (spec §7.2, §15.10).
            "paper" => paper with { MicroBatch = 2, Model = ModelRegistry.Get("twostream-paper").Config },
            "standard" => paper with
            {
                Profile = "standard",
                CorpusProfile = "standard",
                Model = ModelRegistry.Get("twostream-tiny").Config with { HeadDropout = 0.1 },
                // σ keeps the paper's proportion: 8 map pixels on 260-pixel Phoenix frames (spec §1.2) ≈ 4 on 128-pixel SynthSign frames.
                Input = InputConfig.Cpu with { RgbSize = 64, HeatmapSize = 32, Sigma = 4.0 },
                Epochs = 12,
                LearningRate = 1e-3,
                MicroBatch = 8,
            },
            "tiny" => paper with
            {
                Profile = "tiny",
                CorpusProfile = "tiny",
                Model = ModelRegistry.Get("twostream-tiny").Config,
                Input = InputConfig.Cpu with { RgbSize = 32, HeatmapSize = 16, Sigma = 2.0 }, // 64-pixel frames, same proportion
                Epochs = 2,
                MicroBatch = 8,
                MaxEvalClips = 8,
            },
            _ => throw new UserFacingException($"unknown profile '{profile}'. Fix: use one of {string.Join(", ", Names)}."),
        };
        return cfg with { Model = cfg.Model with { Streams = cfg.StreamKind } };
    }
}
