namespace SignNotebooks.Synthetic;

/// <summary>Articulator states of a whole clip and the frame-level ground truth.</summary>
/// <param name="States">Per frame, an <see cref="ArticulatorState"/> vector.</param>
/// <param name="FrameGloss">Per frame: index of the gloss being signed, or −1 (rest, transition).</param>
public sealed record Performance(double[][] States, int[] FrameGloss);

/// <summary>
/// Strings signs into a clip: rest → transition → sign → transition → … → rest. Sign durations follow the
/// sign's movement, the signer's tempo and a random rhythm; transitions take longer for longer distances;
/// a sign sometimes ends with a hold of 1–2 frames (labelled as the sign); transition and rest frames are
/// labelled −1.
/// </summary>
public static class SentencePerformer
{
    public static Performance Perform(IReadOnlyList<SignEntry> signs, BodyFrame body, int signFrames, ref SynthRng rng)
    {
        var signer = body.Signer;
        double scale = signFrames / 8.0;
        var states = new List<double[]>();
        var labels = new List<int>();
        var rest = new double[ArticulatorState.Size];
        SignPerformer.Rest(body, rest);

        int restIn = Math.Max(1, (int)Math.Round(rng.Int(2, 4) * scale));
        for (int i = 0; i < restIn; i++) { states.Add((double[])rest.Clone()); labels.Add(-1); }
        double[] prev = rest;
        for (int g = 0; g < signs.Count; g++)
        {
            var sign = signs[g];
            var start = new double[ArticulatorState.Size];
            SignPerformer.State(sign, body, 0, start);
            Transition(prev, start, body, scale, ref rng, states, labels);
            double dur = SignPerformer.BaseDuration(sign, signFrames, signer) * (1 + signer.Rhythm * rng.Gaussian());
            int frames = Math.Max(3, (int)Math.Round(dur));
            double[] s = start;
            for (int k = 0; k < frames; k++)
            {
                s = new double[ArticulatorState.Size];
                SignPerformer.State(sign, body, frames == 1 ? 1 : k / (double)(frames - 1), s);
                states.Add(s); labels.Add(g);
            }
            if (rng.Chance(0.3))
                for (int h = rng.Int(1, 2); h > 0; h--) { states.Add((double[])s.Clone()); labels.Add(g); }
            prev = s;
        }
        Transition(prev, rest, body, scale, ref rng, states, labels);
        int restOut = Math.Max(1, (int)Math.Round(rng.Int(2, 4) * scale));
        for (int i = 0; i < restOut; i++) { states.Add((double[])rest.Clone()); labels.Add(-1); }
        return new Performance(states.ToArray(), labels.ToArray());
    }

    /// <summary>Frames strictly between two states: eased interpolation with a small lift of the hands.</summary>
    private static void Transition(double[] a, double[] b, BodyFrame body, double scale, ref SynthRng rng, List<double[]> states, List<int> labels)
    {
        double dist = 0;
        foreach (int h in new[] { ArticulatorState.Right, ArticulatorState.Left })
            dist = Math.Max(dist, Math.Sqrt(Sq(a[h] - b[h]) + Sq(a[h + 1] - b[h + 1])));
        double frames = (1 + dist / (0.3 * body.Sw)) * scale / body.Signer.Tempo + rng.Uniform(0, 1.5) * scale;
        int n = Math.Max(1, (int)Math.Round(frames));
        // Unwrap angles so the hand turns the short way round.
        var bb = (double[])b.Clone();
        foreach (int h in new[] { ArticulatorState.Right, ArticulatorState.Left })
        {
            double d = bb[h + 2] - a[h + 2];
            while (d > Math.PI) { bb[h + 2] -= 2 * Math.PI; d -= 2 * Math.PI; }
            while (d < -Math.PI) { bb[h + 2] += 2 * Math.PI; d += 2 * Math.PI; }
        }
        for (int k = 1; k <= n; k++)
        {
            double t = k / (double)(n + 1), e = t * t * (3 - 2 * t);
            var s = new double[ArticulatorState.Size];
            for (int i = 0; i < s.Length; i++) s[i] = a[i] + (bb[i] - a[i]) * e;
            double lift = 0.08 * body.Sw * Math.Sin(Math.PI * t) * Math.Min(1, dist / body.Sw);
            s[ArticulatorState.Right + 1] -= lift;
            s[ArticulatorState.Left + 1] -= lift;
            states.Add(s); labels.Add(-1);
        }
    }

    private static double Sq(double v) => v * v;
}
