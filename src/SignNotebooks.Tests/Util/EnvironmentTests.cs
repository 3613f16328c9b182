using System.Diagnostics;
using SignNotebooks.Build;
using SignNotebooks.Util;
using TorchSharp;

namespace SignNotebooks.Tests.Util;

public class EnvironmentTests
{
    [Fact]
    public void TorchSharp_loads_and_computes_on_cpu()
    {
        var t = torch.arange(6, dtype: torch.float32).reshape(2, 3);
        Assert.Equal(15f, t.sum().item<float>());
        Assert.StartsWith("2.10", torch.__version__);
        Assert.Contains("device cpu", TorchInfo.Describe());
    }

    [Fact]
    public void Every_libLibTorchSharp_copy_in_the_build_output_is_fixed()
    {
        var dir = AppContext.BaseDirectory;
        var copies = Directory.EnumerateFiles(dir, ElfVersionNeeds.FileName, SearchOption.AllDirectories).ToList();
        Assert.NotEmpty(copies);
        Assert.All(copies, p => Assert.Equal(0, ElfVersionNeeds.Scan(p, fix: false)));
    }

    [Fact]
    public void Elf_patch_marks_the_need_weak_and_is_idempotent()
    {
        var src = Directory.EnumerateFiles(AppContext.BaseDirectory, ElfVersionNeeds.FileName, SearchOption.AllDirectories).First();
        var tmp = Path.Combine(Path.GetTempPath(), $"signnb-elf-{Guid.NewGuid():N}.so");
        File.Copy(src, tmp);
        try
        {
            // Undo the weak flag to recreate the file as NuGet ships it, then patch it twice.
            var bytes = File.ReadAllBytes(tmp);
            var offsets = ElfVersionNeeds.NeedFlagOffsets(bytes);
            Assert.Single(offsets);
            bytes[offsets[0]] &= unchecked((byte)~2);
            File.WriteAllBytes(tmp, bytes);
            Assert.Equal(1, ElfVersionNeeds.Scan(tmp, fix: false));
            Assert.Equal(1, ElfVersionNeeds.Scan(tmp, fix: true));
            Assert.Equal(0, ElfVersionNeeds.Scan(tmp, fix: true));
            var after = File.ReadAllBytes(tmp);
            Assert.Equal(bytes.Length, after.Length);
            Assert.Equal(1, bytes.Zip(after).Count(p => p.First != p.Second));
        }
        finally { File.Delete(tmp); }
    }

    [Fact]
    public void Cuda_switch_selects_the_gpu_packages_without_restoring_them()
    {
        string Items(string backend)
        {
            var proj = Path.Combine(RepoPaths.Root, "src", "SignNotebooks", "SignNotebooks.csproj");
            var psi = new ProcessStartInfo("dotnet", $"msbuild \"{proj}\" -getItem:PackageReference -p:TorchBackend={backend} -nologo")
            { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.Combine(RepoPaths.Root, "src") };
            using var p = Process.Start(psi)!;
            var output = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            Assert.True(p.ExitCode == 0, output + p.StandardError.ReadToEnd());
            return output;
        }
        var cuda = Items("cuda");
        var cpu = Items("cpu");
        Assert.Contains("\"TorchSharp-cuda-linux\"", cuda);
        Assert.Contains("\"Microsoft.ML.OnnxRuntime.Gpu\"", cuda);
        Assert.DoesNotContain("\"libtorch-cpu-linux-x64\"", cuda);
        Assert.Contains("\"libtorch-cpu-linux-x64\"", cpu);
        Assert.Contains("\"TorchSharp\"", cpu);
        Assert.DoesNotContain("cuda", cpu, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(null, "always [madvise] never", true, "does not set glibc.malloc.hugetlb")]
    [InlineData("glibc.malloc.hugetlb=1", "always [madvise] never", false, "on: GLIBC_TUNABLES has glibc.malloc.hugetlb=1, THP mode madvise")]
    [InlineData("glibc.malloc.hugetlb=0", "always [madvise] never", true, "sets glibc.malloc.hugetlb=0")]
    [InlineData("glibc.rtld.x=1:glibc.malloc.hugetlb=1:glibc.malloc.hugetlb=0", "always [madvise] never", true, "sets glibc.malloc.hugetlb=0")]
    [InlineData(null, "[always] madvise never", false, "THP mode always")]
    [InlineData(null, "always madvise [never]", false, "THP mode never")]
    [InlineData(null, null, false, "not Linux")]
    public void Doctor_says_whether_large_allocations_get_huge_pages(string? tunables, string? thp, bool warns, string detail)
    {
        var c = Doctor.HugePages(tunables, thp);
        Assert.False(c.Required);
        Assert.Equal(!warns, c.Ok);
        Assert.Contains(detail, c.Detail);
        if (warns) Assert.Contains("environment/signnb", c.Fix);
    }

    [Theory]
    [InlineData(null, "glibc.malloc.hugetlb=1")]
    [InlineData("glibc.rtld.nns=2", "glibc.rtld.nns=2:glibc.malloc.hugetlb=1")]
    [InlineData("glibc.malloc.hugetlb=0", "glibc.malloc.hugetlb=0")]
    public void The_launch_scripts_ask_for_huge_pages_unless_the_user_chose(string? before, string after)
    {
        var psi = new ProcessStartInfo("bash", ["-c", ". environment/malloc.sh && printf %s \"$GLIBC_TUNABLES\""])
        { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepoPaths.Root };
        psi.Environment.Remove("GLIBC_TUNABLES");
        if (before is not null) psi.Environment["GLIBC_TUNABLES"] = before;
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
        Assert.Equal(after, output);
        // Both scripts that start .NET source it.
        foreach (var script in new[] { "signnb", "test" })
            Assert.Contains(". \"$here/malloc.sh\"", File.ReadAllText(Path.Combine(RepoPaths.Root, "environment", script)));
    }
}
