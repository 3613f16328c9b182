using SignNotebooks.Analysis;
using SignNotebooks.Training;

namespace SignNotebooks.Tests.Analysis;

/// <summary>
/// The workbench reuses a finished run whose folder name matches, so the name must change with everything the weights
/// depend on: a joint run's stream runs as well as its own config.
/// </summary>
public sealed class RunFolderNameTests
{
    [Fact]
    public void A_joint_run_is_named_by_its_streams_as_well_as_its_config()
    {
        var cfg = TrainingProfiles.Get("standard", TrainingStage.Joint);
        var root = Path.Combine(Path.GetTempPath(), "runs", "standard");
        string Streams(string video, string keypoint) => Workbench.RunFolderName("full-s0", cfg,
            (Path.Combine(root, video, "checkpoints", "best", "model.pt"), Path.Combine(root, keypoint, "checkpoints", "best", "model.pt")), root);

        var a = Streams("video-s0-c0e98484", "keypoint-s0-e8997a34");
        Assert.Equal(a, Streams("video-s0-c0e98484", "keypoint-s0-e8997a34"));
        Assert.StartsWith("full-s0-", a);
        Assert.NotEqual(a, Streams("video-s0-7a39ab7e", "keypoint-s0-e8997a34"));   // the video stream was retrained
        Assert.NotEqual(a, Streams("video-s0-c0e98484", "keypoint-s0-56b97b10"));
        Assert.NotEqual(a, Workbench.RunFolderName("full-s0", cfg with { Seed = cfg.Seed + 1 },
            (Path.Combine(root, "video-s0-c0e98484", "checkpoints", "best", "model.pt"), Path.Combine(root, "keypoint-s0-e8997a34", "checkpoints", "best", "model.pt")), root));

        // The same cache under another folder keeps its names.
        var moved = Path.Combine(Path.GetTempPath(), "elsewhere", "standard");
        Assert.Equal(a, Workbench.RunFolderName("full-s0", cfg,
            (Path.Combine(moved, "video-s0-c0e98484", "checkpoints", "best", "model.pt"), Path.Combine(moved, "keypoint-s0-e8997a34", "checkpoints", "best", "model.pt")), moved));

        // A run without streams to start from is named by its config alone.
        Assert.NotEqual(a, Workbench.RunFolderName("full-s0", cfg, null, root));
        Assert.Equal(Workbench.RunFolderName("video-s0", cfg, null, root), Workbench.RunFolderName("video-s0", cfg, null, moved));
    }
}
