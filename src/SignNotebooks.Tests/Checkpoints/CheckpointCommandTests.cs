using SignNotebooks.Checkpoints;
using SignNotebooks.Cli;
using SignNotebooks.Models;
using SignNotebooks.Tests.Models;
using TorchSharp;

namespace SignNotebooks.Tests.Checkpoints;

/// <summary>`signnb checkpoint inspect|convert` through the real dispatcher (exit codes and written files).</summary>
public sealed class CheckpointCommandTests : IDisposable
{
    private readonly string dir = PyTorchReference.TempDir();
    public void Dispose() => Directory.Delete(dir, true);

    [Fact]
    public void Inspect_and_merge_convert_work_and_bad_files_exit_1()
    {
        using var scope = torch.NewDisposeScope();
        string vp = Path.Combine(dir, "v.pt"), kp = Path.Combine(dir, "k.pt"), outp = Path.Combine(dir, "two.pt");
        CheckpointExporter.Save(ModelRegistry.Build("video-tiny"), vp);
        CheckpointExporter.Save(ModelRegistry.Build("keypoint-tiny"), kp);
        Assert.Equal(0, CommandLine.Run(new[] { "checkpoint", "inspect", vp }));
        Assert.Equal(0, CommandLine.Run(new[] { "checkpoint", "convert", "--video", vp, "--keypoint", kp, "--variant", "twostream-tiny", "--out", outp }));
        var merged = StateDictFile.Read(outp);
        Assert.Equal(CheckpointFormat.SlrtTwoStream, CheckpointInspector.Detect(merged.Tensors.Keys));
        using var two = ModelRegistry.Build("twostream-tiny");
        Assert.True(CheckpointLoader.Load(two, merged, new LoadOptions { Strict = true }).IsComplete);

        File.WriteAllBytes(Path.Combine(dir, "bad.pt"), new byte[] { 1, 2, 3 });
        Assert.Equal(1, CommandLine.Run(new[] { "checkpoint", "inspect", Path.Combine(dir, "bad.pt") }));
        Assert.Equal(2, CommandLine.Run(new[] { "checkpoint", "convert", "--in", vp, "--out", outp })); // --variant missing: usage error
    }
}
