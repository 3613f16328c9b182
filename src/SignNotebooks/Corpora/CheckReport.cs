namespace SignNotebooks.Corpora;

/// <summary>What <see cref="CorpusCheck.Run"/> found: the problems in order, and the size of what was checked.</summary>
public sealed record CheckReport(CorpusLayout Layout, string Root, IReadOnlyList<CheckProblem> Problems, int Clips, int Frames)
{
    public int Errors => Problems.Count(p => p.IsError);
    public int Warnings => Problems.Count(p => !p.IsError);

    /// <summary>The last line of `signnb data check`.</summary>
    public string Summary =>
        $"{Layout.Title} at {Root}: {Clips} clips, {Frames} frames checked; {Errors} error{(Errors == 1 ? "" : "s")}, {Warnings} warning{(Warnings == 1 ? "" : "s")}" +
        (Errors == 0 ? " — ready to train" : " — fix the errors before training");
}
