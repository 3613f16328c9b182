namespace SignNotebooks.Corpora;

/// <summary>One record of SLRT's preprocessed annotation list (spec §9).</summary>
/// <param name="Name">SLRT's clip name, e.g. <c>train/11August_2010_Wednesday_tagesschau-1</c> (also the keypoint key).</param>
/// <param name="Signer">Signer id as text (CSL-Daily stores an int).</param>
/// <param name="Glosses">The space-separated <c>gloss</c> field, split.</param>
/// <param name="Text">Spoken-language sentence; null for Phoenix-2014, which has none.</param>
/// <param name="FrameCount">The <c>num_frames</c> field.</param>
public sealed record SlrtAnnotation(string Name, string Signer, string[] Glosses, string? Text, int FrameCount);
