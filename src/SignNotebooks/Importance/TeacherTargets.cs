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
/// which every result using these targets reports. <paramref name="fillGaps"/> turns CTC's peaky spans into segments
/// (<see cref="Segments"/>); false keeps the raw spans.
/// </summary>
public sealed class TeacherTargets(RecognitionModel model, ISignDataset dataset, InputConfig input, InputStreams streams,
    Vocabulary vocabulary, SignDictionary dictionary, string head = RecognitionOutputs.EnsembleLast, bool fillGaps = true)
{
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
        var segments = fillGaps ? Segments(spans, inputs.Length) : spans;
        for (int g = 0; g < segments.Length; g++)
            for (int j = segments[g].Start; j < segments[g].End; j++)
                frameGloss[inputs.FrameIndices[j]] = g;
        Aligned++;
        return frameGloss;
    }

    /// <summary>
    /// CTC is peaky: a forced alignment gives each gloss one or two steps and blank everywhere else, so the raw spans
    /// would call most of a sign "rest". Segments instead split the blank between two glosses at its midpoint, and widen
    /// the first and last gloss outwards by half the median gap between glosses (the rest before the first sign and
    /// after the last stays rest). Frame units, [Start, End), in order.
    /// </summary>
    public static (int Start, int End)[] Segments(IReadOnlyList<(int Start, int End)> spans, int length)
    {
        int n = spans.Count;
        var seg = new (int Start, int End)[n];
        if (n == 0) return seg;
        var gaps = Enumerable.Range(0, n - 1).Select(i => spans[i + 1].Start - spans[i].End).Order().ToArray();
        int ext = gaps.Length == 0 ? 0 : Math.Max(0, gaps[gaps.Length / 2]) / 2;
        for (int i = 0; i < n; i++)
        {
            int start = i == 0 ? Math.Max(0, spans[0].Start - ext) : seg[i - 1].End;
            int end = i == n - 1 ? Math.Min(length, spans[i].End + ext) : (spans[i].End + spans[i + 1].Start) / 2;
            seg[i] = (start, Math.Max(start, end));
        }
        return seg;
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
