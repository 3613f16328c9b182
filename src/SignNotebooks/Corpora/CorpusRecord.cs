namespace SignNotebooks.Corpora;

/// <summary>
/// One annotation row of an original corpus release, as written (no frames yet).
/// </summary>
/// <param name="Split">train, dev or test.</param>
/// <param name="Name">The row's id (clip name).</param>
/// <param name="FrameDir">Frame folder, relative to the corpus root.</param>
/// <param name="Signer">Signer / speaker field.</param>
/// <param name="Glosses">Gloss sequence, as written (case untouched).</param>
/// <param name="Translation">Spoken-language sentence, when the corpus has one.</param>
/// <param name="Source">Annotation file, relative to the root.</param>
/// <param name="Line">1-based line in <paramref name="Source"/>.</param>
/// <param name="KeypointKeys">Names under which SLRT's keypoint file may store this clip (spec §9).</param>
/// <param name="FrameCount">Frame count the annotation states (CSL-Daily's <c>length</c>); null when it states none.</param>
public sealed record CorpusRecord(string Split, string Name, string FrameDir, string Signer, string[] Glosses, string? Translation,
    string Source, int Line, string[] KeypointKeys, int? FrameCount = null);
