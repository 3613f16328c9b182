namespace SignNotebooks.Decoding;

/// <summary>
/// CTC prefix beam search (Graves 2012; Hannun et al. 2014). Each beam entry is a labelling (prefix) with two
/// log-probabilities, ending in blank and ending in a gloss, summed over every alignment the beam has kept.
/// After each frame the <c>beamWidth</c> prefixes with the highest total survive.
/// </summary>
/// <remarks>
/// Relation to SLRT (spec §8.1): SLRT calls TensorFlow's <c>tf.nn.ctc_beam_search_decoder</c> with the blank
/// column moved last and ids shifted by one; here the blank id is a parameter, so no shuffling is needed.
/// TF's decoder is the same prefix beam search (a surviving prefix continues itself and receives its parent's
/// extension only while the parent is in the beam; new prefixes come from extending beam entries), with
/// log-softmax applied first. TF 2.x's v2 API runs it with <c>merge_repeated=False</c>, which
/// only means "do not additionally merge equal neighbours in the output labelling". SLRT then merges them
/// anyway with <c>itertools.groupby</c>, which <see cref="CtcDecoder"/> reproduces (<see cref="CtcDecodeOptions.CollapseRepeats"/>).
/// Differences that remain: TF scores with float32 and its own tie order when two prefixes have equal scores,
/// and TF's beam of width 1 is not best-path decoding (neither is this one: use <see cref="CtcGreedyDecoder"/>).
/// With a beam wide enough never to prune, the scores are the exact CTC probabilities of the labellings
/// (tested against brute-force enumeration).
/// </remarks>
public static class CtcPrefixBeamSearch
{
    private sealed class Node(Node? parent, int token, int length)
    {
        public readonly Node? Parent = parent;
        public readonly int Token = token;
        public readonly int Length = length;
        public Dictionary<int, Node>? Children;
        public double Blank = double.NegativeInfinity, NonBlank = double.NegativeInfinity;
        public double NextBlank = double.NegativeInfinity, NextNonBlank = double.NegativeInfinity;
        public double Total => LogMath.Add(Blank, NonBlank);

        public Node Child(int token)
        {
            Children ??= new Dictionary<int, Node>();
            if (!Children.TryGetValue(token, out var c)) Children[token] = c = new Node(this, token, Length + 1);
            return c;
        }

        public int[] Labels()
        {
            var a = new int[Length];
            for (var n = this; n.Parent is not null; n = n.Parent) a[n.Length - 1] = n.Token;
            return a;
        }
    }

    /// <summary>Returns up to <paramref name="nBest"/> labellings, best first, with spans from a forced alignment of each.</summary>
    /// <param name="logProbs">(T, V) row-major frame log-probabilities; only the first <paramref name="length"/> frames are read.</param>
    public static CtcHypothesis[] Decode(ReadOnlySpan<float> logProbs, int vocab, int length, int beamWidth = 5, int blank = 0, int nBest = 1)
    {
        LogMath.CheckShape(logProbs, vocab, length, blank);
        if (beamWidth < 1) throw new ArgumentOutOfRangeException(nameof(beamWidth), "beam width must be at least 1");
        if (nBest < 1) throw new ArgumentOutOfRangeException(nameof(nBest), "n-best must be at least 1");
        var root = new Node(null, -1, 0) { Blank = 0 };
        var beams = new List<Node> { root };
        var inBeam = new HashSet<Node>(ReferenceEqualityComparer.Instance);
        var candidates = new List<(Node parent, int token, double score)>();
        for (int t = 0; t < length; t++)
        {
            var row = logProbs.Slice(t * vocab, vocab);
            inBeam.Clear();
            foreach (var b in beams) { inBeam.Add(b); b.NextBlank = b.NextNonBlank = double.NegativeInfinity; }
            candidates.Clear();
            foreach (var b in beams)
            {
                double total = b.Total;
                b.NextBlank = LogMath.Add(b.NextBlank, total + row[blank]);
                // Same gloss again without a blank in between: the prefix does not grow.
                if (b.Length > 0) b.NextNonBlank = LogMath.Add(b.NextNonBlank, b.NonBlank + row[b.Token]);
                for (int c = 0; c < vocab; c++)
                {
                    if (c == blank) continue;
                    // A repeat of the last gloss only starts a new gloss after a blank.
                    double score = (c == b.Token ? b.Blank : total) + row[c];
                    if (double.IsNegativeInfinity(score)) continue;
                    if (b.Children is not null && b.Children.TryGetValue(c, out var existing) && inBeam.Contains(existing))
                        existing.NextNonBlank = LogMath.Add(existing.NextNonBlank, score);
                    else candidates.Add((b, c, score)); // a prefix not in the beam: (parent, gloss) pairs are unique
                }
            }
            beams = Select(beams, candidates, beamWidth);
        }
        var ranked = beams.OrderByDescending(b => b.Total).Take(nBest).ToArray();
        var result = new CtcHypothesis[ranked.Length];
        for (int i = 0; i < ranked.Length; i++)
        {
            var labels = ranked[i].Labels();
            var spans = CtcForcedAligner.Align(logProbs, vocab, length, labels, blank).Spans;
            result[i] = new CtcHypothesis(labels, spans, ranked[i].Total);
        }
        return result;
    }

    private static List<Node> Select(List<Node> beams, List<(Node parent, int token, double score)> candidates, int width)
    {
        // Scores of surviving prefixes first (they win ties), then new prefixes; keep the top `width`.
        var pool = new List<(double score, int index)>(beams.Count + width);
        var heap = new PriorityQueue<int, (double, int)>(); // min-heap on (score, -order)
        int order = 0;
        void Offer(double score, int index)
        {
            if (double.IsNegativeInfinity(score)) { order++; return; }
            var key = (score, -order++);
            if (heap.Count < width) heap.Enqueue(index, key);
            else if (heap.TryPeek(out _, out var min) && key.CompareTo(min) > 0) heap.EnqueueDequeue(index, key);
        }
        for (int i = 0; i < beams.Count; i++) Offer(LogMath.Add(beams[i].NextBlank, beams[i].NextNonBlank), i);
        for (int j = 0; j < candidates.Count; j++) Offer(candidates[j].score, beams.Count + j);
        var next = new List<Node>(heap.Count);
        while (heap.TryDequeue(out var index, out _))
        {
            Node n;
            if (index < beams.Count) n = beams[index];
            else
            {
                var (parent, token, score) = candidates[index - beams.Count];
                n = parent.Child(token);
                n.NextBlank = double.NegativeInfinity;
                n.NextNonBlank = score;
            }
            next.Add(n);
        }
        foreach (var n in next) { n.Blank = n.NextBlank; n.NonBlank = n.NextNonBlank; }
        next.Reverse(); // best first
        return next;
    }
}
