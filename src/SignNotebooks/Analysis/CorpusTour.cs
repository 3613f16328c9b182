using SignNotebooks.Data;
using SignNotebooks.Plots;

namespace SignNotebooks.Analysis;

/// <summary>
/// Notebook 00's views on any corpus: split sizes, one clip with its keypoints, glosses and translation. The views that
/// need SynthSign's ground truth (its lexicon, the true hand speed) become a line saying so on a real corpus.
/// </summary>
public static class CorpusTour
{
    /// <summary>"split: N clips" for every split of the corpus.</summary>
    public static IReadOnlyList<string> SplitSizes(Workbench wb) => wb.Dataset.Splits.Select(s => $"{s}: {wb.Dataset.ClipNames(s).Count} clips").ToList();

    /// <summary>SynthSign's lexicon sheet, or the line saying a real corpus has no generator to draw one from.</summary>
    public static Notebooks.HtmlView LexiconSheet(Workbench wb, int tile = 64) => wb.IsSynthSign
        ? SynthLexiconSheet.View(wb.Corpus.Corpus, tile)
        : wb.NotAvailableTable("its lexicon: each gloss's handshape, location, movement, mouth and brows").ToHtml();

    /// <summary>The first clip of a split, with frames (SynthSign's as the pipeline sees it: detected keypoints).</summary>
    public static SignClip FirstClip(Workbench wb, string split = "train") => wb.IsSynthSign
        ? wb.Corpus.Generate(split, 0).ToSignClip()
        : wb.Dataset.Load(split, wb.Dataset.ClipNames(split)[0]);

    /// <summary>SynthSign: true over detected skeleton and the gloss timeline; a real corpus: its frames with the released keypoints.</summary>
    public static Notebooks.HtmlView ClipViewer(Workbench wb, SignClip clip) => wb.IsSynthSign
        ? SynthViews.ClipViewer(wb.Corpus.Generate(clip.Split, 0))
        : ClipViews.Viewer(clip, $"keypoints from {wb.DatasetName}'s keypoint file");

    /// <summary>SynthSign's true hand speed with the detector's misses (a chart), or the not-available line.</summary>
    public static object HandSpeed(Workbench wb, SignClip clip) => wb.IsSynthSign
        ? SynthCharts.HandSpeed(wb.Corpus.Generate(clip.Split, 0))
        : wb.NotAvailableTable("the true hand speed and where the detector missed").ToHtml();

    /// <summary>A gloss sequence, and on SynthSign at least two glosses with frame-level labels.</summary>
    public static bool HasLabels(Workbench wb, SignClip clip) => wb.IsSynthSign
        ? clip.FrameGlossIndex!.Count(g => g >= 0) > 0 && clip.Glosses.Length >= 2
        : clip.Glosses.Length >= 1;

    /// <summary>Loading (or generating) the clip again gives the same keypoints.</summary>
    public static bool Deterministic(Workbench wb, SignClip clip) => wb.IsSynthSign
        ? wb.Corpus.Generate(clip.Split, 0).DetectedKeypoints.SequenceEqual(clip.Keypoints)
        : wb.Dataset.Load(clip.Split, clip.Name, withFrames: false).Keypoints.SequenceEqual(clip.Keypoints);
}
