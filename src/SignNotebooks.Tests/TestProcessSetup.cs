using System.Runtime.CompilerServices;

namespace SignNotebooks.Tests;

internal static class TestProcessSetup
{
    // Tests that call TorchSharp's functional convolutions before any library type is touched still get the oneDNN cap
    // (Util.TorchBackend: oneDNN's AVX-512 convolutions computed wrong sums on some of this project's machines; a per-CPU check decides).
    [ModuleInitializer]
    internal static void OnLoad() => global::SignNotebooks.Util.TorchBackend.CapOneDnnIsa();
}
