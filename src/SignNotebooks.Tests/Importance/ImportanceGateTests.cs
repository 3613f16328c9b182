using SignNotebooks.Data;
using SignNotebooks.Importance;
using SignNotebooks.Models;
using SignNotebooks.Training;
using SignNotebooks.Synthetic;
using SignNotebooks.Util;
using static TorchSharp.torch;

namespace SignNotebooks.Tests.Importance;

/// <summary>The estimator on disk, the gated keypoint stream and the pseudo-alignment targets.</summary>
public sealed class ImportanceGateTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "signnb-gate-" + Guid.NewGuid().ToString("N"));
    private static readonly SynthSignDataset Tiny = new("tiny", 0);

    public void Dispose() { if (Directory.Exists(_dir)) Directory.Delete(_dir, true); }

    private static ImportanceModel Small() => ImportanceTrainer.Train(Tiny, ImportanceTrainer.GroundTruth(SignDictionary.FromLexicon(Tiny.Corpus.Lexicon)),
        new ImportanceTrainingOptions { Epochs = 2, MaxTrainClips = 8, Hidden = 16 });

    [Fact]
    public void A_saved_estimator_predicts_the_same_after_loading_and_a_missing_one_names_the_fix()
    {
        var model = Small();
        var dir = Path.Combine(_dir, "est");
        ImportanceModelFile.Save(model, dir);
        var loaded = ImportanceModelFile.Load(dir);
        var clip = Tiny.Load("dev", Tiny.ClipNames("dev")[0], withFrames: false);
        var a = ImportanceTrainer.Predict(model, clip);
        var b = ImportanceTrainer.Predict(loaded, clip);
        Assert.Equal(a.Cast<float>(), b.Cast<float>());
        Assert.Equal(model.TrainPositiveRate, loaded.TrainPositiveRate);
        Assert.Equal(model.Source, loaded.Source);
        Assert.False(Directory.EnumerateDirectories(_dir).Any(d => d.Contains(".tmp-")), "no temporary folder is left behind");

        var e = Assert.Throws<UserFacingException>(() => ImportanceModelFile.Load(Path.Combine(_dir, "nothing")));
        Assert.Contains("nothing", e.Message);
        Assert.Contains("Fix:", e.Message);
    }

    [Fact]
    public void Gated_heatmaps_are_the_plain_ones_scaled_above_empty_by_floor_plus_importance()
    {
        var model = Small();
        var dir = Path.Combine(_dir, "est");
        ImportanceModelFile.Save(model, dir);
        var input = TrainingProfiles.Get("tiny", TrainingStage.Keypoint).Input;
        var gated = input with { ImportanceGate = new ImportanceGateConfig { Estimator = dir, Floor = 0.25 } };
        var clip = Tiny.Load("dev", Tiny.ClipNames("dev")[1], withFrames: false);
        using var plain = new ClipPipeline(input).Prepare(clip, train: false, new Random(1), InputStreams.Heatmaps);
        var pipeline = new ClipPipeline(gated);
        using var g = pipeline.Prepare(clip, train: false, new Random(1), InputStreams.Heatmaps);
        Assert.Equal(plain.FrameIndices, g.FrameIndices);

        var importance = ImportanceTrainer.Predict(model, clip);
        var part = ArticulatorParts.PartOfChannels(input.Selection);
        // (K, L, s, s): height above empty (−1) per map, at the map's peak pixel.
        var hp = plain.Heatmaps!.add(1).amax([2, 3]).data<float>().ToArray();
        var hg = g.Heatmaps!.add(1).amax([2, 3]).data<float>().ToArray();
        int L = plain.Length, checkedMaps = 0;
        for (int k = 0; k < part.Length; k++)
            for (int l = 0; l < L; l++)
            {
                if (hp[k * L + l] < 0.5f) continue;
                float expected = 0.25f + 0.75f * importance[plain.FrameIndices[l], part[k]];
                Assert.Equal(expected, hg[k * L + l] / hp[k * L + l], 3);
                checkedMaps++;
            }
        Assert.True(checkedMaps > L, $"only {checkedMaps} maps had a peak");
        Assert.True(hg.Sum() < hp.Sum(), "gating only ever dims");
    }

    [Fact]
    public void Gate_settings_stay_out_of_configs_without_one_and_are_checked()
    {
        var plain = TrainingProfiles.Get("tiny", TrainingStage.Keypoint);
        Assert.DoesNotContain("ImportanceGate", ConfigJson.Serialize(plain));
        var gated = plain with { Input = plain.Input with { ImportanceGate = new ImportanceGateConfig { Estimator = "x", Floor = 0.5 } } };
        Assert.Contains("ImportanceGate", ConfigJson.Serialize(gated));
        var fromJson = ConfigJson.ApplyOverrides(plain, """{ "Input": { "ImportanceGate": { "Estimator": "est", "Floor": 0.3 } } }""", "gate.json");
        Assert.Equal(new ImportanceGateConfig { Estimator = "est", Floor = 0.3 }, fromJson.Input.ImportanceGate);
        Assert.Equal(plain.Input.HeatmapSize, fromJson.Input.HeatmapSize);   // an override changes only what it names
        // The same holds for the other setting left out while unset.
        Assert.True(ConfigJson.ApplyOverrides(plain, """{ "Model": { "ZeroInitLaterals": true } }""", "z.json").Model.ZeroInitLaterals);
        var bad = plain.Input with { ImportanceGate = new ImportanceGateConfig { Estimator = "x", Floor = 1 } };
        var e = Assert.Throws<UserFacingException>(() => bad.Validate());
        Assert.Contains("Floor", e.Message);
        var missing = plain.Input with { ImportanceGate = new ImportanceGateConfig { Estimator = Path.Combine(_dir, "absent") } };
        var m = Assert.Throws<UserFacingException>(() => new ClipPipeline(missing));
        Assert.Contains("absent", m.Message);
    }

    [Fact]
    public void Teacher_targets_give_every_reference_gloss_a_span_in_order_and_say_where_they_came_from()
    {
        var config = Trainer.Resolve(TrainingProfiles.Get("tiny", TrainingStage.Keypoint), Vocabulary.SynthSign(Tiny.Glosses));
        manual_seed(3);
        var model = ModelRegistry.Create(config.Model);
        var dict = SignDictionary.FromLexicon(Tiny.Corpus.Lexicon);
        var teacher = new TeacherTargets(model, Tiny, config.Input, config.Streams, Vocabulary.SynthSign(Tiny.Glosses), dict, RecognitionOutputs.Keypoint);
        var clip = Tiny.Load("train", Tiny.ClipNames("train")[0], withFrames: false);
        var frameGloss = teacher.FrameGloss(clip);
        Assert.Equal(clip.FrameCount, frameGloss.Length);
        var order = frameGloss.Where(g => g >= 0).Distinct().ToList();
        Assert.Equal(Enumerable.Range(0, clip.Glosses.Length), order);   // each gloss aligned once, in order
        Assert.True(frameGloss.Zip(frameGloss.Skip(1)).All(p => p.First < 0 || p.Second < 0 || p.Second >= p.First), "spans never go back");
        var targets = teacher.For(clip);
        Assert.Equal(TargetSource.CtcPseudoAlignment, targets.Source);
        Assert.Equal(2, teacher.Aligned);   // FrameGloss above, then For
        Assert.Same(targets, teacher.For(clip));   // cached: the teacher runs once per clip
        Assert.InRange(TeacherTargets.FrameAgreement(frameGloss, clip.FrameGlossIndex!), 0, 100);
    }

    [Fact]
    public void Peaky_spans_widen_by_the_margin_without_overlapping_or_leaving_the_clip()
    {
        // Apart: each side grows by the margin, clipped at the clip's ends.
        Assert.Equal([(0, 4), (5, 8), (11, 16)], TeacherTargets.Widen([(1, 3), (6, 7), (12, 16)], 16, 1));
        // A 1-frame gap cannot give both neighbours a frame: it goes to the earlier gloss, and the spans touch.
        Assert.Equal([(1, 4), (4, 6)], TeacherTargets.Widen([(2, 3), (4, 5)], 10, 1));
        // Touching spans stay as they are; margin 0 is the raw spans.
        Assert.Equal([(0, 2), (2, 4)], TeacherTargets.Widen([(0, 2), (2, 4)], 4, 1));
        Assert.Equal([(2, 3), (6, 7)], TeacherTargets.Widen([(2, 3), (6, 7)], 10, 0));
        // A wide margin between close spans splits the gap at its midpoint.
        Assert.Equal([(0, 6), (6, 14)], TeacherTargets.Widen([(3, 4), (8, 9)], 14, 5));
        Assert.Empty(TeacherTargets.Widen([], 10, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => TeacherTargets.Widen([(1, 2)], 4, -1));
    }

    [Fact]
    public void Targets_from_the_truths_own_spans_agree_with_the_truth_everywhere_except_the_margin()
    {
        // Posteriors built from the truth would align each gloss to its true span; widened by the margin, the
        // disagreement is exactly the margin frames taken from rest, so the rule's cost is measurable.
        var clip = Tiny.Load("train", Tiny.ClipNames("train")[0], withFrames: false);
        var truth = clip.FrameGlossIndex!;
        var spans = Enumerable.Range(0, clip.Glosses.Length).Select(g => (Start: Array.IndexOf(truth, g), End: Array.LastIndexOf(truth, g) + 1)).ToArray();
        int[] FrameGloss((int Start, int End)[] segments) =>
            Enumerable.Range(0, truth.Length).Select(t => Array.FindIndex(segments, s => s.Start <= t && t < s.End)).ToArray();
        Assert.Equal(100, TeacherTargets.FrameAgreement(FrameGloss(TeacherTargets.Widen(spans, truth.Length, 0)), truth));
        var widened = TeacherTargets.Widen(spans, truth.Length, 1);
        int changed = widened.Zip(spans).Sum(p => p.First.End - p.First.Start - (p.Second.End - p.Second.Start));
        Assert.True(changed > 0);
        Assert.Equal(100.0 * (truth.Length - changed) / truth.Length, TeacherTargets.FrameAgreement(FrameGloss(widened), truth), 6);
    }
}
