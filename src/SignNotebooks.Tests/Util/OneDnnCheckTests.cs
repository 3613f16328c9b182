using SignNotebooks.Util;

namespace SignNotebooks.Tests.Util;

/// <summary>
/// The per-CPU check that decides whether oneDNN may leave the SSE4.1 cap (<see cref="OneDnnCheck"/>): the mode table,
/// the verdict cache (another CPU's or a torn verdict is never used), the key, the child process, and the convolutions of
/// the mode this test process runs in, which must be exact whatever the cache decided.
/// </summary>
public sealed class OneDnnCheckTests
{
    [Fact]
    public void The_cap_is_lifted_only_by_an_exact_verdict_or_an_explicit_full()
    {
        var exact = new OneDnnVerdict("k", true, 1e-6, 30, "2026-12-04T00:00:00Z", "");
        var wrong = exact with { Exact = false, MaxRelativeError = 0.58 };
        Assert.Equal("auto", TorchBackend.ModeOf(null));
        Assert.Equal("auto", TorchBackend.ModeOf("typo"));
        Assert.Equal("sse41", TorchBackend.ModeOf("SSE41"));
        Assert.Equal("full", TorchBackend.ModeOf("1"));
        Assert.Equal("off", TorchBackend.ModeOf("off"));
        Assert.True(TorchBackend.CapsIsa("auto", null));
        Assert.True(TorchBackend.CapsIsa("auto", wrong));
        Assert.False(TorchBackend.CapsIsa("auto", exact));
        Assert.True(TorchBackend.CapsIsa("sse41", exact));
        Assert.False(TorchBackend.CapsIsa("full", wrong));
    }

    [Fact]
    public void A_verdict_is_read_back_only_for_its_own_key_and_when_whole()
    {
        var dir = Directory.CreateTempSubdirectory("onednn-cache-").FullName;
        try
        {
            var v = new OneDnnVerdict("0123abcd0123abcd", true, 2.7e-6, 30, "2026-12-04T18:05:21Z", "worst: weight gradient of 3→16");
            OneDnnCheck.Save(v, dir);
            Assert.Equal(v, OneDnnCheck.Cached(v.MachineKey, dir));
            Assert.Null(OneDnnCheck.Cached("ffffffffffffffff", dir));
            // A verdict file copied under another CPU's name is not that CPU's verdict.
            File.Copy(OneDnnCheck.CachePath(v.MachineKey, dir), OneDnnCheck.CachePath("ffffffffffffffff", dir));
            Assert.Null(OneDnnCheck.Cached("ffffffffffffffff", dir));
            File.WriteAllText(OneDnnCheck.CachePath(v.MachineKey, dir), "0123abcd0123abcd exa");
            Assert.Null(OneDnnCheck.Cached(v.MachineKey, dir));
            Assert.Null(OneDnnVerdict.Parse("0123abcd0123abcd exact notanumber 30 now"));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void The_key_follows_the_first_processor_microcode_and_flags()
    {
        const string cpu0 = "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 25\nmodel\t\t: 17\nmodel name\t: AMD EPYC\nstepping\t: 1\nmicrocode\t: 0x1000065\ncpu MHz\t\t: 2100.000\nflags\t\t: fpu avx512f\n";
        string id = OneDnnCheck.CpuIdentity(cpu0 + "\n" + cpu0.Replace("processor\t: 0", "processor\t: 1").Replace("2100.000", "1500.000"));
        Assert.Contains("microcode:0x1000065", id);
        Assert.DoesNotContain("MHz", id);   // the clock changes from read to read; it does not choose kernels
        Assert.Equal(OneDnnCheck.KeyOf(id, "0.107.0"), OneDnnCheck.KeyOf(OneDnnCheck.CpuIdentity(cpu0), "0.107.0"));
        Assert.NotEqual(OneDnnCheck.KeyOf(id, "0.107.0"), OneDnnCheck.KeyOf(OneDnnCheck.CpuIdentity(cpu0.Replace("0x1000065", "0x1000066")), "0.107.0"));
        Assert.NotEqual(OneDnnCheck.KeyOf(id, "0.107.0"), OneDnnCheck.KeyOf(OneDnnCheck.CpuIdentity(cpu0.Replace("avx512f", "avx2")), "0.107.0"));
        Assert.NotEqual(OneDnnCheck.KeyOf(id, "0.107.0"), OneDnnCheck.KeyOf(id, "0.108.0"));
        Assert.Matches("^[0-9a-f]{16}$", OneDnnCheck.MachineKey());
    }

    [Fact]
    public void The_convolutions_of_this_process_are_exact_in_the_mode_it_chose()
    {
        var (err, shapes, worst) = OneDnnCheck.RunInProcess();
        Assert.Equal(OneDnnCheck.Shapes().Count, shapes);
        Assert.True(err < OneDnnCheck.Tolerance, $"relative error {err:G3} ({worst}) against float64 in mode: {TorchBackend.Description}");
    }

    [Fact]
    public void The_child_process_writes_a_verdict_and_a_failed_child_counts_as_wrong()
    {
        var dir = Directory.CreateTempSubdirectory("onednn-child-").FullName;
        try
        {
            var signnb = Path.Combine(AppContext.BaseDirectory, "signnb.dll");
            var v = OneDnnCheck.CheckInChild("dotnet", [signnb, "doctor", "--onednn-child"], dir);
            Assert.Equal(OneDnnCheck.MachineKey(), v.MachineKey);
            Assert.Equal(OneDnnCheck.Shapes().Count, v.Shapes);
            // A kernel that returns NaN is recorded as an infinite error (a "wrong" verdict), never as NaN: a host whose
            // AVX-512 kernels give NaN (2-core AMD EPYC, 2026-12-05: 79→16 k1x7x7) must still get a verdict.
            Assert.False(double.IsNaN(v.MaxRelativeError), v.Detail);
            Assert.True(v.MaxRelativeError >= 0, v.Detail);
            Assert.Equal(v.Exact, v.MaxRelativeError < OneDnnCheck.Tolerance);
            Assert.Equal(v, OneDnnCheck.Cached(v.MachineKey, dir));

            var failed = OneDnnCheck.CheckInChild("dotnet", [Path.Combine(dir, "no-such.dll")], dir);
            Assert.False(failed.Exact);
            Assert.Contains("the check failed", failed.Detail);
            Assert.False(OneDnnCheck.Cached(v.MachineKey, dir)!.Exact);   // the failed check replaced the verdict
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
