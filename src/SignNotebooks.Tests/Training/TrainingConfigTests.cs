using SignNotebooks.Training;
using SignNotebooks.Util;

namespace SignNotebooks.Tests.Training;

public class TrainingConfigTests
{
    private static TrainingConfig Base => TrainingProfiles.Get("tiny", TrainingStage.Joint);

    [Fact]
    public void Overrides_change_only_their_keys_and_nested_records()
    {
        var cfg = ConfigJson.ApplyOverrides(Base, """{ "epochs": 5, "Model": { "Pyramid": false }, "Loss": { "DistillationWeight": 0.5 } }""", "o.json");
        Assert.Equal(5, cfg.Epochs);
        Assert.False(cfg.Model.Pyramid);
        Assert.True(cfg.Model.JointHead);
        Assert.Equal(0.5, cfg.Loss.DistillationWeight);
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(Base.Input, ConfigJson.Options), System.Text.Json.JsonSerializer.Serialize(cfg.Input, ConfigJson.Options));
        // The resolved config round-trips through its own JSON.
        Assert.Equal(ConfigJson.Serialize(cfg), ConfigJson.Serialize(ConfigJson.ApplyOverrides(cfg, ConfigJson.Serialize(cfg), "self")));
    }

    [Theory]
    [InlineData("""{ "Epoks": 3 }""", "unknown key 'Epoks'")]
    [InlineData("""{ "Model": { "Widht": 0.5 } }""", "unknown key 'Model.Widht'")]
    [InlineData("""{ "Model": { "Width": "wide" } }""", "Model.Width")]
    [InlineData("""[1, 2]""", "not a JSON object")]
    public void Bad_overrides_name_the_file_and_the_key(string json, string expected)
    {
        var e = Assert.Throws<UserFacingException>(() => ConfigJson.ApplyOverrides(Base, json, "bad.json"));
        Assert.Contains("bad.json", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Theory]
    [InlineData("""{ "Epochs": 0 }""", "Epochs = 0")]
    [InlineData("""{ "EffectiveBatch": 12 }""", "a multiple of MicroBatch")]
    [InlineData("""{ "Input": { "RgbSize": 48, "HeatmapSize": 16 } }""", "2:1 ratio")]
    [InlineData("""{ "SelectionHead": "best" }""", "SelectionHead 'best'")]
    public void Out_of_range_values_are_refused_before_training(string json, string expected)
    {
        var cfg = ConfigJson.ApplyOverrides(Base, json, "r.json");
        var e = Assert.Throws<UserFacingException>(() => cfg.Validate("r.json"));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Cosine_schedule_is_stepped_before_each_epoch()
    {
        // spec §7.2: epoch 0 runs at lr(1), the last epoch at lr(T_max) = 0.
        Assert.Equal(1e-3 * (1 + Math.Cos(Math.PI / 40)) / 2, CosineSchedule.LearningRate(1e-3, 0, 40), 15);
        Assert.Equal(0, CosineSchedule.LearningRate(1e-3, 39, 40), 15);
        Assert.Equal(1e-3, CosineSchedule.LearningRate(1e-3, 0, 40, officialQuirk: false), 15);
    }

    [Fact]
    public void Every_recognition_stage_of_every_profile_validates_with_the_same_inputs()
    {
        // The workbook merges a profile's stream stages into its joint stage, so their inputs must agree and satisfy the
        // joint stage's 2:1 RGB:heatmap rule (a standard profile with 48² RGB and 16² heatmaps once failed only at the merge).
        foreach (var profile in TrainingProfiles.Names)
        {
            var stages = new[] { TrainingStage.PretrainVideo, TrainingStage.PretrainKeypoint, TrainingStage.Video, TrainingStage.Keypoint, TrainingStage.Joint };
            foreach (var stage in stages)
            {
                var cfg = TrainingProfiles.Get(profile, stage);
                cfg.Validate($"{profile}/{stage}");
                Assert.Equal(TrainingProfiles.Get(profile, TrainingStage.Joint).Input, cfg.Input);
            }
        }
    }
}
