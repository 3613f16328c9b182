using SignNotebooks.Util;

namespace SignNotebooks.Cli.Commands;

public sealed class DoctorCommand : ICommand
{
    public string Name => "doctor";
    public string Summary => "Check .NET, TorchSharp/libtorch, ONNX Runtime and optional tools; print fixes.";
    public string Usage => """
        signnb doctor [--onednn [--force]]
          Exit code 1 when something required is missing.
          --onednn   check this CPU's best oneDNN ISA (AVX-512 here) against float64 in a child process, once per CPU
                     (cached in ~/.cache/signnotebooks/onednn; --force checks again): exact lifts the SSE4.1 cap of
                     every later process, wrong keeps it. environment/setup.sh runs it after each build.
        """;

    public int Run(CliArgs args)
    {
        bool onednn = args.Flag("onednn"), force = args.Flag("force"), child = args.Flag("onednn-child");
        args.EnsureAllUsed();
        if (child)
        {
            // The child of `--onednn`, started with SIGNNB_ONEDNN=full: runs the convolutions and prints one line.
            Console.WriteLine(OneDnnCheck.ChildLine(OneDnnCheck.RunInProcess(alsoOneThread: true)));
            return 0;
        }
        if (onednn) return CheckOneDnn(force);
        if (force) throw new UsageException("--force goes with --onednn");
        var checks = Doctor.Run();
        foreach (var c in checks)
        {
            var mark = c.Ok ? "ok  " : c.Required ? "FAIL" : "warn";
            Console.WriteLine($"[{mark}] {c.Name}: {c.Detail}");
            if (!c.Ok && c.Fix is not null) Console.WriteLine($"       fix: {c.Fix}");
        }
        var missing = checks.Count(c => !c.Ok && c.Required);
        Console.WriteLine(missing == 0 ? "doctor: everything required is here." : $"doctor: {missing} required item(s) missing.");
        return missing == 0 ? 0 : 1;
    }

    private static int CheckOneDnn(bool force)
    {
        var cached = OneDnnCheck.Cached();
        if (cached is not null && !force)
        {
            Console.WriteLine($"oneDNN: this CPU was checked {cached.CheckedUtc}: best ISA {(cached.Exact ? "exact" : "wrong")} " +
                              $"(max relative error {cached.MaxRelativeError:G3}); {OneDnnCheck.CachePath(cached.MachineKey)}. --force checks again.");
            return 0;
        }
        // The child is this command line's own program: the signnb apphost, else `dotnet signnb.dll` (also when the
        // command runs inside another host, such as the test runner).
        var exe = Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "signnb" ? self : "dotnet";
        var argv = new List<string>();
        if (exe == "dotnet") argv.Add(typeof(DoctorCommand).Assembly.Location);
        argv.AddRange(["doctor", "--onednn-child"]);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var v = OneDnnCheck.CheckInChild(exe, argv);
        Console.WriteLine($"oneDNN: best ISA {(v.Exact ? "exact" : "WRONG")} on this CPU: max relative error {v.MaxRelativeError:G3} " +
                          $"over {v.Shapes} convolutions (forward, input and weight gradients, against float64; {sw.Elapsed.TotalSeconds:F1} s). " +
                          (v.Exact ? "Later processes lift the SSE4.1 cap." : $"Later processes keep the SSE4.1 cap. {v.Detail}"));
        Console.WriteLine($"verdict: {OneDnnCheck.CachePath(v.MachineKey)}");
        return 0;
    }
}
