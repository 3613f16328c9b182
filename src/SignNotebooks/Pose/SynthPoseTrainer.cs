using System.Diagnostics;
using SignNotebooks.Keypoints;
using SignNotebooks.Synthetic;
using SignNotebooks.Util;
using TorchSharp;
using static TorchSharp.torch;
using static SignNotebooks.Util.KeptScalars;

namespace SignNotebooks.Pose;

/// <summary>A trained SynthSign pose network with its training curve.</summary>
public sealed record SynthPoseTraining(SynthPoseNet Net, int Frames, IReadOnlyList<double> Losses, double Seconds);

/// <summary>
/// Trains <see cref="SynthPoseNet"/> on SynthSign train frames against their true keypoints: Gaussian heatmap
/// targets (<see cref="Heatmaps.Render"/> on the model's heatmap grid) normalised to sum 1, cross-entropy with the
/// softmax over each map, Adam with cosine decay. Inputs are made by the estimator's own crop
/// (<see cref="PosePreprocessor"/>), so training and ONNX inference see the same pixels. Keypoints whose target
/// lies outside the map (legs, feet below the frame) carry no loss.
/// </summary>
public static class SynthPoseTrainer
{
    public static SynthPoseTraining Train(SynthPoseConfig c, TextWriter? log = null)
    {
        if (c.Steps < 1 || c.BatchSize < 1 || c.FrameStride < 1 || !(c.LearningRate > 0) || !(c.Sigma > 0) || c.InputSize % c.HeatmapSize != 0)
            throw new UserFacingException($"pose training settings {c}: Steps, BatchSize, FrameStride ≥ 1, LearningRate and Sigma > 0, and InputSize a multiple of the layers' strides are needed. Fix those values.");
        var sw = Stopwatch.StartNew();
        var ds = new SynthSignDataset(c.Profile, c.CorpusSeed);
        var (inputs, keypoints, n) = Frames(ds, "train", c.TrainClips, c.FrameStride, c);
        log?.WriteLine($"pose: {n} train frames from SynthSign {c.Profile} ({sw.Elapsed.TotalSeconds:F1} s)");
        var raw = (ds.Profile.Height, ds.Profile.Width);
        var options = new HeatmapOptions(Sigma: c.Sigma);

        // One intra-op thread: the network is so small that libtorch's threads mostly wait for each other, and on a
        // shared 2-core machine two threads made training 15× slower in wall time (409 s vs 23 s for tiny).
        int threads = torch.get_num_threads();
        torch.set_num_threads(1);
        try { return Loop(c, inputs, keypoints, n, raw, options, sw, log); }
        finally { torch.set_num_threads(threads); }
    }

    private static SynthPoseTraining Loop(SynthPoseConfig c, float[] inputs, float[] keypoints, int n, (int, int) raw, HeatmapOptions options, Stopwatch sw, TextWriter? log)
    {
        int s = c.InputSize, m = c.HeatmapSize;
        torch.manual_seed(c.Seed);
        var net = new SynthPoseNet(c);
        var allX = torch.tensor(inputs, [n, 3, s, s]);
        var allK = torch.tensor(keypoints, [n, WholeBody.Count, 3]);
        var optimizer = optim.Adam(net.parameters(), c.LearningRate);
        var rng = new Random(c.Seed);
        var losses = new List<double>();
        net.train();
        for (int step = 0; step < c.Steps; step++)
        {
            using var scope = NewDisposeScope();
            using var noGc = NoGcRegion.Enter();
            // Cosine decay from LearningRate to 0 over the run.
            double lr = 0.5 * c.LearningRate * (1 + Math.Cos(Math.PI * step / c.Steps));
            foreach (var g in optimizer.ParamGroups) g.LearningRate = lr;
            var idx = torch.tensor(Enumerable.Range(0, c.BatchSize).Select(_ => (long)rng.Next(n)).ToArray());
            var x = allX.index_select(0, idx);
            var target = Heatmaps.Render(allK.index_select(0, idx), raw, (m, m), options).view(c.BatchSize, WholeBody.Count, m * m);
            var mass = target.sum(-1, keepdim: true);   // (B, K, 1): ≈ 2πσ² inside the map, ≈ 0 outside
            var valid = mass.gt(F(0.5)).to(float32);
            var p = target.div(mass.clamp_min(F(1e-6)));
            // (B, K, h, w) -> (B, K, h·w): soft cross-entropy over positions, averaged over the keypoints that are inside.
            var logp = nn.functional.log_softmax(net.call(x).view(c.BatchSize, WholeBody.Count, m * m), -1);
            var loss = p.mul(logp).sum(-1, keepdim: true).mul(valid).sum().neg().div(valid.sum().clamp_min(F(1)));
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
            losses.Add(loss.item<float>());
            if (log is not null && ((step + 1) % Math.Max(1, c.Steps / 10) == 0 || step == 0))
                log.WriteLine($"pose: step {step + 1}/{c.Steps} loss {losses[^1]:E3} ({sw.Elapsed.TotalSeconds:F0} s)");
        }
        net.eval();
        allX.Dispose(); allK.Dispose();
        return new SynthPoseTraining(net, n, losses, sw.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// Every <paramref name="stride"/>-th frame of the first <paramref name="maxClips"/> clips of a split: model inputs
    /// (N·3·S·S, the estimator's own crop of the whole frame) and true keypoints (N·133·3, frame pixels).
    /// Clips are generated in small parallel batches so the raw frames of a whole split are never held at once.
    /// </summary>
    public static (float[] Inputs, float[] Keypoints, int Count) Frames(SynthSignDataset ds, string split, int? maxClips, int stride, SynthPoseConfig c)
    {
        int clips = Math.Min(maxClips ?? int.MaxValue, ds.Profile.ClipCount(split));
        var d = SynthPoseExport.Descriptor(c);
        int per = 3 * c.InputSize * c.InputSize, kpPer = WholeBody.Count * WholeBody.Values;
        var inputs = new List<float[]>();
        var kps = new List<float[]>();
        for (int start = 0; start < clips; start += 16)
        {
            int count = Math.Min(16, clips - start);
            var batch = new SynthClip[count];
            Parallel.For(0, count, i => batch[i] = ds.Generate(split, start + i));
            foreach (var clip in batch)
                for (int t = 0; t < clip.FrameCount; t += stride)
                {
                    var frame = FrameOf(clip, t);
                    var input = new float[per];
                    PosePreprocessor.Fill(frame, PoseBox.Full(clip.Width, clip.Height).FitAspect(1.0, d.BoxPadding), d, input);
                    inputs.Add(input);
                    kps.Add(clip.CleanKeypoints.AsSpan(t * kpPer, kpPer).ToArray());
                }
        }
        var x = new float[inputs.Count * per];
        var k = new float[inputs.Count * kpPer];
        for (int i = 0; i < inputs.Count; i++)
        {
            inputs[i].CopyTo(x, i * per);
            kps[i].CopyTo(k, i * kpPer);
        }
        return (x, k, inputs.Count);
    }

    /// <summary>Frame t of a clip rendered with frames, as the estimator's input type.</summary>
    public static RgbFrame FrameOf(SynthClip clip, int t)
    {
        if (clip.Frames is null) throw new ArgumentException($"clip {clip.Name} was generated without frames");
        int size = clip.Width * clip.Height * 3;
        return new RgbFrame(clip.Width, clip.Height, clip.Frames.AsSpan(t * size, size).ToArray());
    }
}
