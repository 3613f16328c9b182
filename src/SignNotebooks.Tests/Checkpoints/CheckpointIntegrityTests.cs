using System.IO.Compression;
using System.Text;
using SignNotebooks.Checkpoints;
using SignNotebooks.Models;
using SignNotebooks.Training;
using SignNotebooks.Util;
using TorchSharp;

namespace SignNotebooks.Tests.Checkpoints;

/// <summary>Damaged checkpoints are refused by name when read, never loaded as wrong (NaN) weights.</summary>
public sealed class CheckpointIntegrityTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("signnb-integrity-").FullName;
    public void Dispose() => Directory.Delete(_dir, true);

    private string Export(string name, int seed = 0)
    {
        torch.manual_seed(seed);
        var path = Path.Combine(_dir, name);
        using var model = ModelRegistry.Build("keypoint-tiny");
        CheckpointExporter.Save(model, path);
        return path;
    }

    /// <summary>The data of the largest zip member starts here (local header: 30 bytes, name, extra field).</summary>
    private static (string Member, int Offset) LargestMemberData(string path)
    {
        string member;
        using (var zip = ZipFile.OpenRead(path)) member = zip.Entries.OrderByDescending(e => e.Length).First().FullName;
        var bytes = File.ReadAllBytes(path);
        var name = Encoding.UTF8.GetBytes(member);
        int at = bytes.AsSpan().IndexOf(name.AsSpan());   // the local header comes before the central directory
        return (member, at + name.Length + BitConverter.ToUInt16(bytes, at - 2));
    }

    [Fact]
    public void Flipped_bytes_inside_a_tensor_are_refused_naming_the_member()
    {
        var path = Export("flipped.pt");
        var (member, offset) = LargestMemberData(path);
        var bytes = File.ReadAllBytes(path);
        for (int i = 0; i < 64; i++) bytes[offset + 8 + i] ^= 0xFF;
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<UserFacingException>(() => StateDictFile.Read(path));
        Assert.True(e.Message.Contains($"damaged: member {member} fails its checksum"), e.Message);
    }

    [Fact]
    public void A_checkpoint_file_changed_after_its_save_fails_its_recorded_SHA256()
    {
        var run = new RunDirectory(Path.Combine(_dir, "run"));
        var weights = Export("a.pt", seed: 1);
        run.SaveCheckpoint("last", new RunState(0, 1, 50, 1, "keypoint"), "{}", d => File.Copy(weights, Path.Combine(d, "model.pt")));
        Assert.Equal(CheckpointDigest.Of(weights), run.ReadState(run.Checkpoint("last")).Sha256!["model.pt"]);
        Assert.NotEmpty(StateDictFile.Read(run.ModelFile("last")).Tensors);   // intact: reads

        File.Copy(Export("b.pt", seed: 2), run.ModelFile("last"), overwrite: true);   // a valid zip, but not the saved one
        var e = Assert.Throws<UserFacingException>(() => StateDictFile.Read(run.ModelFile("last")));
        Assert.Contains("damaged: its SHA-256 is", e.Message);
        Assert.Contains("state.json", e.Message);
    }

    [Fact]
    public void Non_finite_weights_are_refused_naming_the_tensor()
    {
        torch.manual_seed(0);
        using var bad = ModelRegistry.Build("keypoint-tiny");
        var (key, t) = bad.state_dict().First(kv => kv.Value.is_floating_point() && kv.Value.numel() > 1);
        using (torch.no_grad()) t.view(-1)[0].fill_(float.NaN);
        var path = Path.Combine(_dir, "nan.pt");
        CheckpointExporter.Save(bad, path);
        using var into = ModelRegistry.Build("keypoint-tiny");
        var e = Assert.Throws<UserFacingException>(() => CheckpointLoader.Load(into, path));
        Assert.Contains(key, e.Message);
        Assert.Contains("1 NaN or infinite values", e.Message);
    }
    [Fact]
    public void A_pickle_naming_a_global_outside_the_allow_list_is_refused_by_that_name()
    {
        // {"w": 1, "x": posix.system("true")} as protocol 2: the reduce would run a shell command on load.
        byte[] pickle = [0x80, 0x02, (byte)'}', (byte)'(', .. "X\u0001\0\0\0w"u8, (byte)'K', 1, .. "X\u0001\0\0\0x"u8,
            .. "cposix\nsystem\n"u8, .. "X\u0004\0\0\0true"u8, 0x85, (byte)'R', (byte)'u', (byte)'.'];
        var path = Path.Combine(_dir, "evil.pt");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            using (var s = zip.CreateEntry("evil/data.pkl", CompressionLevel.NoCompression).Open()) s.Write(pickle);
            using (var s = zip.CreateEntry("evil/version", CompressionLevel.NoCompression).Open()) s.Write("3\n"u8);
        }
        var e = Assert.Throws<UserFacingException>(() => StateDictFile.Read(path));
        Assert.Contains("refers to posix.system, which is not on the checkpoint allow-list", e.Message);
        Assert.NotEmpty(StateDictFile.Read(Export("fine.pt")).Tensors);   // our own files pass it
    }
}
