using SignNotebooks.Cli;

namespace SignNotebooks.Tests;

/// <summary>Runs `signnb` in-process with stdout and stderr captured (global console: use the "Console" collection).</summary>
internal static class CliCapture
{
    public static (int code, string stdout, string stderr) Run(params string[] args)
    {
        var (oldOut, oldErr) = (Console.Out, Console.Error);
        var (o, e) = (new StringWriter(), new StringWriter());
        Console.SetOut(o); Console.SetError(e);
        try { return (CommandLine.Run(args), o.ToString(), e.ToString()); }
        finally { Console.SetOut(oldOut); Console.SetError(oldErr); }
    }
}
