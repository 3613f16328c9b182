using SignNotebooks.Decoding;
using SignNotebooks.Keypoints;

namespace SignNotebooks.Importance;

/// <summary>Where a clip's frame-level importance targets came from; every result says which one it used.</summary>
public enum TargetSource
{
    /// <summary>The corpus' true gloss boundaries (SynthSign only).</summary>
    GroundTruthBoundaries,
    /// <summary>CTC spans of a trained model (the self-distillation teacher): what a real corpus can use.</summary>
    CtcPseudoAlignment,
}

/// <summary>
/// Frame × part importance: inside a gloss the frame gets that gloss' dictionary weights, in rest and transition
/// frames every part weighs 0 (nothing lexical is being signed there).
/// </summary>
public sealed record ImportanceTargets(float[,] Values, TargetSource Source)
{
    public int Frames => Values.GetLength(0);

    /// <summary>From per-frame gloss indices (−1 = rest / transition), as SynthSign's ground truth gives them.</summary>
    public static ImportanceTargets FromFrameGloss(IReadOnlyList<int> frameGlossIndex, IReadOnlyList<string> glosses, SignDictionary dictionary)
    {
        var weights = glosses.Select(dictionary.Weights).ToArray();
        var v = new float[frameGlossIndex.Count, ArticulatorParts.Count];
        for (int t = 0; t < frameGlossIndex.Count; t++)
        {
            int g = frameGlossIndex[t];
            if (g < -1 || g >= glosses.Count)
                throw new ArgumentException($"frame {t}: gloss index {g} outside −1..{glosses.Count - 1}");
            if (g >= 0) for (int p = 0; p < ArticulatorParts.Count; p++) v[t, p] = (float)weights[g][p];
        }
        return new ImportanceTargets(v, TargetSource.GroundTruthBoundaries);
    }

    /// <summary>
    /// From CTC spans on a head's time axis (<paramref name="length"/> steps, each <paramref name="stride"/> input
    /// frames): the route a corpus without boundaries takes. <paramref name="glossName"/> maps the span's gloss id.
    /// </summary>
    public static ImportanceTargets FromSpans(IReadOnlyList<GlossSpan> spans, Func<int, string> glossName, int length, int stride, SignDictionary dictionary)
    {
        if (length <= 0 || stride <= 0) throw new ArgumentException("length and stride must be positive");
        var frameGloss = Enumerable.Repeat(-1, length * stride).ToArray();
        var names = new List<string>();
        foreach (var s in spans)
        {
            if (s.Start < 0 || s.End > length || s.Start >= s.End)
                throw new ArgumentException($"span [{s.Start}, {s.End}) outside the head's {length} steps");
            names.Add(glossName(s.Gloss));
            for (int t = s.Start * stride; t < s.End * stride; t++) frameGloss[t] = names.Count - 1;
        }
        return FromFrameGloss(frameGloss, names, dictionary) with { Source = TargetSource.CtcPseudoAlignment };
    }

    /// <summary>The targets spread over a keypoint selection's channels: channel c gets its part's value.</summary>
    public float[,] PerChannel(KeypointSelection selection)
    {
        var part = ArticulatorParts.PartOfChannels(selection);
        var c = new float[Frames, part.Length];
        for (int t = 0; t < Frames; t++)
            for (int k = 0; k < part.Length; k++) c[t, k] = Values[t, part[k]];
        return c;
    }
}
