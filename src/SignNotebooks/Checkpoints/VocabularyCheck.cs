using SignNotebooks.Data;
using SignNotebooks.Util;

namespace SignNotebooks.Checkpoints;

/// <summary>
/// Before a checkpoint is evaluated on a corpus: does its classifier fit the vocabulary it is decoded with, and does
/// that vocabulary hold every gloss the corpus trains on? A pruned or another corpus's vocabulary (SLRT#39) is
/// refused with the glosses that differ, instead of a shape error or a silently wrong WER.
/// </summary>
public static class VocabularyCheck
{
    /// <summary>The gloss2ids.pkl kept beside a checkpoint file (our runs write one), or null.</summary>
    public static string? BesideCheckpoint(string checkpointFile)
    {
        var p = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(checkpointFile))!, "gloss2ids.pkl");
        return File.Exists(p) ? p : null;
    }

    /// <param name="checkpoint">The checkpoint file (for messages).</param>
    /// <param name="classes">V of the checkpoint's classifier (gloss_output_layer rows); null when it has none.</param>
    /// <param name="vocabulary">The vocabulary predictions will be decoded with.</param>
    /// <param name="vocabularySource">Where it came from (a gloss2ids.pkl, or "built from the train split of …").</param>
    /// <param name="corpusGlosses">The corpus's training glosses, as annotated.</param>
    /// <param name="fromCheckpoint">True when <paramref name="vocabulary"/> is the checkpoint's own (its gloss2ids.pkl).</param>
    public static void Ensure(string checkpoint, int? classes, Vocabulary vocabulary, string vocabularySource,
        IReadOnlyCollection<string> corpusGlosses, bool fromCheckpoint)
    {
        var missing = corpusGlosses.Where(g => vocabulary.Encode(g) == vocabulary.UnkId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var corpusKeys = corpusGlosses.Select(g => vocabulary.LowerCase ? g.ToLowerInvariant() : g).ToHashSet(StringComparer.Ordinal);
        var extra = vocabulary.GlossToId.Where(p => p.Value >= vocabulary.FirstGlossId && !corpusKeys.Contains(p.Key))
            .Select(p => p.Key).Order(StringComparer.Ordinal).ToList();
        string Listed(List<string> l) => string.Join(' ', l.Take(10)) + (l.Count > 10 ? " …" : "");
        string differ = (missing.Count > 0 ? $"{missing.Count} training glosses of the corpus are not in it ({Listed(missing)})" : "") +
                        (missing.Count > 0 && extra.Count > 0 ? "; " : "") +
                        (extra.Count > 0 ? $"{extra.Count} of its glosses never occur in the corpus's train split ({Listed(extra)})" : "");

        if (classes is { } v && v != vocabulary.Count)
        {
            string why = fromCheckpoint
                ? $"the gloss2ids.pkl beside it ({vocabularySource}) has {vocabulary.Count}: that file is not the one the checkpoint was trained with"
                : $"the corpus vocabulary ({vocabularySource}) has {vocabulary.Count}: the checkpoint was trained on a {(v < vocabulary.Count ? "pruned or smaller" : "larger or different")} vocabulary (cf. SLRT#39)";
            throw new UserFacingException($"checkpoint {checkpoint}: its classifier (gloss_output_layer) has V = {v} classes, but {why}." +
                (fromCheckpoint && differ.Length > 0 ? $" Compared with the corpus: {differ}." : "") +
                (fromCheckpoint ? "" : " Which glosses differ cannot be read from the weights; put the gloss2ids.pkl it was trained with beside it to have them listed.") +
                " Fix: evaluate it on the corpus and vocabulary it was trained on (SLRT's data/<dataset>/gloss2ids.pkl for a released checkpoint).");
        }
        if (missing.Count > 0)
            throw new UserFacingException($"checkpoint {checkpoint}: its vocabulary ({vocabularySource}) differs from the corpus: {differ}. " +
                "It was trained on a pruned or another corpus's vocabulary, so it can never predict those glosses. " +
                "Fix: use the checkpoint trained on this corpus, or the corpus and gloss2ids.pkl it was trained with.");
    }
}
