using SignNotebooks.Tests.Models;

namespace SignNotebooks.Tests.Translation;

/// <summary>
/// Runs environment/tools/pytorch/slt_ref.py: an independent PyTorch TwoStream-SLT that writes a tiny fixture in the
/// released formats (mBart_de/, SLRT S2T checkpoints, extract_feature pickles) and the translations a port must
/// reproduce (reference/&lt;split&gt;.&lt;system&gt;.tsv, fixture.json). Needs python3-sentencepiece besides torch.
/// </summary>
internal static class SltReferenceFixture
{
    private static readonly Lazy<string?> missing = new(() => PyTorchReference.MissingModule("sentencepiece", "python3-sentencepiece"));

    /// <summary>Why the fixture cannot be made here, or null when it can.</summary>
    public static string? MissingReason => missing.Value;

    /// <summary>Writes the fixture for the Phoenix-2014T tree <paramref name="dataRoot"/> into <paramref name="outDir"/>; returns the script's summary line(s).</summary>
    public static string Create(string dataRoot, string outDir, string extraArgs = "") =>
        PyTorchReference.RunScript("slt_ref.py", $"fixture \"{outDir}\" --data \"{dataRoot}\" {extraArgs}", timeoutSeconds: 600);
}

/// <summary>A fact that needs slt_ref.py (torch + sentencepiece); skipped with the reason when unavailable outside CI.</summary>
public sealed class SentencePieceFactAttribute : FactAttribute
{
    public SentencePieceFactAttribute()
    {
        if (SltReferenceFixture.MissingReason is { } why) Skip = "SLT reference unavailable: " + why;
    }
}
