namespace SignNotebooks.Synthetic;

/// <summary>
/// (corpus, split, index) → <see cref="SynthClip"/>, a pure function. Each concern draws from its own
/// generator derived from (seed, split, index, stream): metadata, motion, camera, detector noise and
/// rendering. Hence asking for keypoints only gives exactly the keypoints of the full clip, and clips are
/// bit-identical whatever the thread count or generation order.
/// </summary>
public static class SynthGenerator
{
    private enum Stream : ulong { Meta = 1, Motion = 2, Camera = 3, Noise = 4, Render = 5, Restage = 6 }

    public static string ClipName(string split, int index) => $"{split}-{index:D5}";

    /// <param name="restageVariant">Null: the clip as the corpus defines it. Otherwise the same clip (signer's body and
    /// signing, camera, keypoints, labels) with its frames rendered over a background family, colours and lighting, and
    /// the signer in clothes, skin and hair, drawn from this variant within what its split already has (training
    /// augmentation; InputConfig.Restage).</param>
    public static SynthClip Generate(SynthCorpus corpus, string split, int index, bool withFrames = true, int? restageVariant = null)
    {
        var p = corpus.Profile;
        int count = p.ClipCount(split);
        if (index < 0 || index >= count)
            throw new ArgumentOutOfRangeException(nameof(index), $"split '{split}' of profile '{p.Name}' has clips 0–{count - 1}");
        // A sub-stream (a restage variant) appends a part; without one the parts, and so every existing clip, are unchanged.
        SynthRng R(Stream s, ulong? sub = null) => sub is { } u
            ? SynthRng.For((ulong)corpus.Seed, SynthRng.Hash(p.Name), SynthRng.Hash(split), (ulong)index, (ulong)s, u)
            : SynthRng.For((ulong)corpus.Seed, SynthRng.Hash(p.Name), SynthRng.Hash(split), (ulong)index, (ulong)s);

        // Metadata: signer, background family, sentence, where the signer stands.
        var meta = R(Stream.Meta);
        bool shift = corpus.IsShift(split);
        var signer = shift ? corpus.Signers[SynthSigner.SeenCount + meta.Int(0, SynthSigner.UnseenCount - 1)]
                           : corpus.Signers[meta.Int(0, SynthSigner.SeenCount - 1)];
        var families = shift ? SynthBackground.UnseenFamilies : SynthBackground.SeenFamilies;
        string family = meta.Pick(families);
        var pool = corpus.Sentences(split);
        var sentence = split == "train" ? pool[meta.Int(0, pool.Count - 1)] : pool[index % pool.Count];
        double aspect = p.Width / (double)p.Height;
        var body = new BodyFrame(signer, aspect / 2 + meta.Uniform(-0.03, 0.03), 0.41 + meta.Uniform(-0.02, 0.02));

        // Motion and idle motion.
        var motion = R(Stream.Motion);
        var signs = sentence.Glosses.Select(g => corpus.Lexicon[g]).ToList();
        var perf = SentencePerformer.Perform(signs, body, p.SignFrames, ref motion);
        int T = perf.States.Length;
        var idle = IdleMotion(T, ref motion);

        // Camera: zoom, drift, offset, shake (AR(1)); world → pixels.
        var cam = R(Stream.Camera);
        double k = corpus.Knobs.CameraMotion;
        double z0 = cam.Uniform(0.92, 1.08), drift = cam.Uniform(-0.06, 0.06) * k, ox = cam.Uniform(-0.03, 0.03), oy = cam.Uniform(-0.02, 0.02);
        var zoom = new double[T]; var shX = new double[T]; var shY = new double[T];
        double sx = 0, sy = 0;
        for (int t = 0; t < T; t++)
        {
            sx = 0.8 * sx + 0.004 * k * cam.Gaussian(); sy = 0.8 * sy + 0.004 * k * cam.Gaussian();
            shX[t] = sx; shY[t] = sy;
            zoom[t] = z0 * (1 + drift * (T > 1 ? t / (double)(T - 1) - 0.5 : 0));
        }
        const int K = SynthLayout.Count;
        var world = new double[2 * K];
        var clean2 = new double[T * K * 2];
        var clean = new float[T * K * 3];
        double H = p.Height;
        for (int t = 0; t < T; t++)
        {
            PoseBuilder.Build(perf.States[t], body, idle[t], world);
            for (int i = 0; i < K; i++)
            {
                double x = ((world[2 * i] - aspect / 2) * zoom[t] + aspect / 2 + ox + shX[t]) * H;
                double y = ((world[2 * i + 1] - 0.5) * zoom[t] + 0.5 + oy + shY[t]) * H;
                clean2[(t * K + i) * 2] = x; clean2[(t * K + i) * 2 + 1] = y;
                clean[(t * K + i) * 3] = (float)x; clean[(t * K + i) * 3 + 1] = (float)y; clean[(t * K + i) * 3 + 2] = 1f;
            }
        }
        var speed = new float[T * 2];
        for (int t = 1; t < T; t++)
            for (int h = 0; h < 2; h++)
            {
                int i = (h == 0 ? SynthLayout.LeftHandStart : SynthLayout.RightHandStart) + 9;
                double dx = clean2[(t * K + i) * 2] - clean2[((t - 1) * K + i) * 2], dy = clean2[(t * K + i) * 2 + 1] - clean2[((t - 1) * K + i) * 2 + 1];
                speed[t * 2 + h] = (float)Math.Sqrt(dx * dx + dy * dy);
            }

        var noise = R(Stream.Noise);
        var detected = DetectorNoise.Apply(clean2, T, p.Width, p.Height, signer.HandLength * z0 * H, family, corpus.Knobs.KeypointNoise, ref noise);

        byte[]? frames = null;
        string renderFamily = family;
        var dressed = signer;
        if (withFrames)
        {
            // A restage variant renders from a generator of its own, so the clip's other draws (signing, keypoints) match.
            var render = restageVariant is { } v ? R(Stream.Restage, (uint)v) : R(Stream.Render);
            if (restageVariant is not null)
            {
                renderFamily = render.Pick(families);
                dressed = signer.Redressed(ref render);
            }
            frames = ClipRenderer.Render(clean2, T, p.Width, p.Height, dressed, renderFamily, zoom, shX, shY, corpus.Knobs, ref render);
        }
        return new SynthClip(ClipName(split, index), split, index, dressed, renderFamily, T, p.Width, p.Height, frames,
            clean, detected, sentence.Glosses, perf.FrameGloss, sentence.Translation, speed);
    }

    private static Idle[] IdleMotion(int T, ref SynthRng r)
    {
        double swayP = r.Uniform(40, 90), swayA = r.Uniform(0.003, 0.01), swayPh = r.Uniform(0, 2 * Math.PI);
        double tiltP = r.Uniform(30, 70), tiltA = r.Uniform(0.02, 0.07), tiltPh = r.Uniform(0, 2 * Math.PI);
        double yawP = r.Uniform(35, 80), yawA = r.Uniform(0.05, 0.2), yawPh = r.Uniform(0, 2 * Math.PI);
        var idle = new Idle[T];
        int nextBlink = r.Int(5, 40);
        for (int t = 0; t < T; t++)
        {
            double blink = 0;
            if (t == nextBlink) blink = 1;
            else if (t == nextBlink + 1) { blink = 0.5; nextBlink = t + r.Int(30, 80); }
            idle[t] = new Idle(swayA * Math.Sin(2 * Math.PI * t / swayP + swayPh), tiltA * Math.Sin(2 * Math.PI * t / tiltP + tiltPh),
                yawA * Math.Sin(2 * Math.PI * t / yawP + yawPh), blink);
        }
        return idle;
    }
}
