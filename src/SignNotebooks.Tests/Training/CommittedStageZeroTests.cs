using System.Security.Cryptography;
using System.Text.Json;
using SignNotebooks.Models;
using SignNotebooks.Training;

namespace SignNotebooks.Tests.Training;

/// <summary>
/// The standard profile's streams start from the committed stage-0 files: each must be where the profile looks, be
/// the file its `.meta.json` describes (SHA-256), load strictly into the stream's network, and its
/// metadata must say how it was made.
/// </summary>
public sealed class CommittedStageZeroTests
{
    [Theory]
    [InlineData(TrainingStage.Video, StreamKind.Video)]
    [InlineData(TrainingStage.Keypoint, StreamKind.Keypoint)]
    public void The_standard_stream_stage_starts_from_its_committed_file(TrainingStage stage, StreamKind stream)
    {
        var cfg = TrainingProfiles.Get("standard", stage);
        Assert.Equal(TrainingProfiles.PretrainedFile("standard", stream), cfg.Init);
        var file = Trainer.InitFile(cfg.Init!);
        Assert.NotNull(file);
        using var meta = JsonDocument.Parse(File.ReadAllText(Path.ChangeExtension(file!, ".meta.json")));
        Assert.Equal(meta.RootElement.GetProperty("sha256").GetString(), Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file!))).ToLowerInvariant());
        Assert.Contains("NOT the paper", meta.RootElement.GetProperty("what").GetString());
        Assert.All(meta.RootElement.GetProperty("runs").EnumerateArray(), r => Assert.StartsWith("signnb train --stage pretrain-", r.GetProperty("command").GetString()));

        var resolved = Trainer.Resolve(cfg, global::SignNotebooks.Data.Vocabulary.SynthSign(new global::SignNotebooks.Synthetic.SynthSignDataset("standard").Glosses));
        // Strict: every tensor of the stream's network is in the file, with its shape, and nothing else is.
        using var model = Trainer.LoadModel(resolved, file!);
    }
}
