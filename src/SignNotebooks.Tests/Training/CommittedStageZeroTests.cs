using System.Security.Cryptography;
using System.Text.Json;
using SignNotebooks.Models;
using SignNotebooks.Training;

namespace SignNotebooks.Tests.Training;

/// <summary>
/// The standard profile's streams start from the committed stage-0 files: the frame-label pretraining continued by the
/// isolated-sign phase. Each must be where the profile looks, be the file its `.meta.json` describes (SHA-256), name as
/// its input the committed frame-label file (by SHA-256, so the chain can be re-made from this checkout), load strictly
/// into the stream's network, and its metadata must say how it was made.
/// </summary>
public sealed class CommittedStageZeroTests
{
    private static string Sha(string file) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file))).ToLowerInvariant();

    [Theory]
    [InlineData(TrainingStage.Video, StreamKind.Video)]
    [InlineData(TrainingStage.Keypoint, StreamKind.Keypoint)]
    public void The_standard_stream_stage_starts_from_its_committed_file(TrainingStage stage, StreamKind stream)
    {
        var cfg = TrainingProfiles.Get("standard", stage);
        Assert.Equal(TrainingProfiles.PretrainedFile("standard", stream, isolated: true), cfg.Init);
        var file = Trainer.InitFile(cfg.Init!);
        Assert.NotNull(file);
        using var meta = JsonDocument.Parse(File.ReadAllText(Path.ChangeExtension(file!, ".meta.json")));
        Assert.Equal(meta.RootElement.GetProperty("sha256").GetString(), Sha(file!));
        Assert.Contains("NOT the paper", meta.RootElement.GetProperty("what").GetString());
        var runs = meta.RootElement.GetProperty("runs").EnumerateArray().ToList();
        Assert.StartsWith("signnb train --stage pretrain-", runs[0].GetProperty("command").GetString());
        Assert.StartsWith("signnb pretrain-isolated --stream " + stream.ToString().ToLowerInvariant(), runs[^1].GetProperty("command").GetString());

        // The isolated phase's input is the committed frame-label file, itself the file its own meta describes.
        var frameLabel = Trainer.InitFile(TrainingProfiles.PretrainedFile("standard", stream))!;
        Assert.Contains("--init " + TrainingProfiles.PretrainedFile("standard", stream), runs[^1].GetProperty("command").GetString());
        Assert.Equal(Sha(frameLabel), runs[^1].GetProperty("init_sha256").GetString());
        using var frameMeta = JsonDocument.Parse(File.ReadAllText(Path.ChangeExtension(frameLabel, ".meta.json")));
        Assert.Equal(frameMeta.RootElement.GetProperty("sha256").GetString(), Sha(frameLabel));

        var resolved = Trainer.Resolve(cfg, global::SignNotebooks.Data.Vocabulary.SynthSign(new global::SignNotebooks.Synthetic.SynthSignDataset("standard").Glosses));
        // Strict: every tensor of the stream's network is in the file, with its shape, and nothing else is.
        using var model = Trainer.LoadModel(resolved, file!);
    }

    [Fact]
    public void The_standard_keypoint_stream_fine_tunes_its_backbone_at_a_tenth_of_the_rate_and_the_rest_at_the_full_rate()
    {
        Assert.Equal(0.1, TrainingProfiles.Get("standard", TrainingStage.Keypoint).BackboneLearningRateScale);
        Assert.Null(TrainingProfiles.Get("standard", TrainingStage.Video).BackboneLearningRateScale);
        Assert.Null(TrainingProfiles.Get("standard", TrainingStage.Joint).BackboneLearningRateScale);
        Assert.Null(TrainingProfiles.Get("paper", TrainingStage.Keypoint).BackboneLearningRateScale);
    }
}
