namespace SignNotebooks.Corpora;

/// <summary>One problem found in a corpus folder: where it is, what is wrong, how to fix it.</summary>
/// <param name="IsError">Errors make training wrong or impossible; warnings are worth knowing.</param>
/// <param name="Where">File (relative to the root), with ":line" for annotation rows.</param>
/// <param name="What">What is wrong, in words.</param>
/// <param name="Fix">What the user should do about it.</param>
public sealed record CheckProblem(bool IsError, string Where, string What, string Fix)
{
    public static CheckProblem Error(string where, string what, string fix) => new(true, where, what, fix);
    public static CheckProblem Warning(string where, string what, string fix) => new(false, where, what, fix);

    /// <summary>The one line printed for this problem.</summary>
    public override string ToString() => $"{(IsError ? "error" : "warning")}: {Where}: {What}. Fix: {Fix}.";
}
