using SignNotebooks.Data;
using SignNotebooks.Decoding;
using SignNotebooks.Models;
using SignNotebooks.Util;

namespace SignNotebooks.Importance;

/// <summary>
/// Importance targets from CTC pseudo-alignments, the route a corpus without gloss boundaries takes: a trained
/// recognition model's teacher head (by default the late ensemble, which is the self-distillation teacher, spec §5)
/// is force-aligned to the clip's reference glosses, and each gloss's span takes that gloss's dictionary weights.
/// Clips whose glosses do not fit the head's length get all-zero targets and are counted in <see cref="Unaligned"/>,
/// which every result using these targets reports. <paramref name="spanMargin"/> widens CTC's peaky spans
/// (<see cref="Widen"/>); 0 keeps the raw spans.
/// </summary>
public sealed class TeacherTargets(RecognitionModel model, ISignDataset dataset, InputConfig input, InputStreams streams,
    Vocabulary vocabulary, SignDictionary dictionary, string head = RecognitionOutputs.EnsembleLast, int spanMargin = TeacherTargets.DefaultSpanMargin)
{
    /// <summary>
    /// Frames added on each side of a gloss's aligned span. Chosen on SynthSign's train split, where the true boundaries
    /// are known (teacher: the standard full model of commit 992ddb3, seed 0, first 100 train clips; frames whose
    /// inside-a-gloss label agrees with the truth): raw spans 71.0 %, ±1 frame 75.3 %, ±2 75.1 %, ±3 73.3 %, and the
    /// earlier rule that split each gap at its midpoint 70.1 %. Dev and test were not looked at to choose it. Why the raw
    /// spans are nearly right: at the standard profile's stride of 4 frames a gloss's one or two CTC steps cover 4–8
    /// frames, about a sign's length, and the transitions between signs (a few frames, longer for longer hand paths:
    /// Synthetic/SentencePerformer) are real rest that filling the gaps called signing.
    /// </summary>
    public const int DefaultSpanMargin = 1;

    private readonly ClipPipeline _pipeline = new(input);
    private readonly Dictionary<(string Split, string Name), ImportanceTargets> _cache = new();

    public int Aligned { get; private set; }
    public int Unaligned { get; private set; }
    public string Head => head;

    /// <summary>The targets of one clip (loaded again with frames when the teacher reads video).</summary>
    public ImportanceTargets For(SignClip clip)
    {
        if (_cache.TryGetValue((clip.Split, clip.Name), out var cached)) return cached;
        var withFrames = streams.HasFlag(InputStreams.Rgb) && clip.Frames is null ? dataset.Load(clip.Split, clip.Name, withFrames: true) : clip;
        var frameGloss = FrameGloss(withFrames);
        var targets = ImportanceTargets.FromFrameGloss(frameGloss, clip.Glosses, dictionary) with { Source = TargetSource.CtcPseudoAlignment };
        _cache[(clip.Split, clip.Name)] = targets;
        return targets;
    }

    /// <summary>Per original frame: the index of the reference gloss the teacher aligns it to, or −1.</summary>
    public int[] FrameGloss(SignClip clip)
    {
        using var inputs = _pipeline.Prepare(clip, train: false, new Random(0), streams);
        var (heads, vocab) = ClipPosteriorsForward.Run(model, inputs);
        if (!heads.TryGetValue(head, out var h))
            throw new UserFacingException($"the teacher model has no head '{head}' (it has {string.Join(", ", heads.Keys)}). Fix: pass one of those heads.");
        var (logProbs, steps) = h;
        var frameGloss = Enumerable.Repeat(-1, clip.FrameCount).ToArray();
        var ids = vocabulary.Encode(clip.Glosses);
        if (!CtcForcedAligner.Fits(ids, steps)) { Unaligned++; return frameGloss; }
        var hyp = CtcForcedAligner.Align(logProbs, vocab, steps, ids, vocabulary.BlankId);
        int stride = inputs.Length / steps;
        var spans = hyp.Spans.Select(s => (Start: s.Start * stride, End: Math.Min(inputs.Length, s.End * stride))).ToArray();
        var segments = Widen(spans, inputs.Length, spanMargin);
        for (int g = 0; g < segments.Length; g++)
            for (int j = segments[g].Start; j < segments[g].End; j++)
                frameGloss[inputs.FrameIndices[j]] = g;
        Aligned++;
        return frameGloss;
    }

    /// <summary>
    /// Each span widened by <paramref name="margin"/> frames on both sides, clipped to [0, <paramref name="length"/>);
    /// where two widened spans would overlap, the frames between the raw spans are split at their midpoint, so every frame
    /// keeps at most one gloss and the order stays. Frame units, [Start, End), in order.
    /// </summary>
    public static (int Start, int End)[] Widen(IReadOnlyList<(int Start, int End)> spans, int length, int margin)
    {
        if (margin < 0) throw new ArgumentOutOfRangeException(nameof(margin), margin, "a span margin is a number of frames ≥ 0");
        // Each gap's midpoint (an odd frame out goes to the earlier gloss) bounds both neighbours, so they never overlap.
        int Mid(int i) => spans[i].End + (spans[i + 1].Start - spans[i].End + 1) / 2;
        return spans.Select((s, i) => (
            Math.Max(i == 0 ? 0 : Mid(i - 1), s.Start - margin),
            Math.Min(i + 1 == spans.Count ? length : Mid(i), s.End + margin))).ToArray();
    }

    /// <summary>% of frames on which these targets' inside-a-gloss label agrees with the true boundaries (SynthSign only).</summary>
    public static double FrameAgreement(IReadOnlyList<int> pseudo, IReadOnlyList<int> truth)
    {
        if (pseudo.Count != truth.Count) throw new ArgumentException("frame counts differ");
        int same = 0;
        for (int t = 0; t < pseudo.Count; t++) if (pseudo[t] == truth[t]) same++;
        return 100.0 * same / Math.Max(1, pseudo.Count);
    }
}
