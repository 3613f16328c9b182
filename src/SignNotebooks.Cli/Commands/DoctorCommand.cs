using SignNotebooks.Util;

namespace SignNotebooks.Cli.Commands;

public sealed class DoctorCommand : ICommand
{
    public string Name => "doctor";
    public string Summary => "Check .NET, TorchSharp/libtorch, ONNX Runtime and optional tools; print fixes.";
    public string Usage => "signnb doctor\n  Exit code 1 when something required is missing.";

    public int Run(CliArgs args)
    {
        args.EnsureAllUsed();
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
}
