using SignNotebooks.Data;
using SignNotebooks.Importance;
using SignNotebooks.Keypoints;
using SignNotebooks.Synthetic;
using SignNotebooks.Util;

namespace SignNotebooks.Tests.Importance;

public sealed class ImportanceEstimatorTests
{
    [Fact]
    public void Features_hold_centred_positions_scores_and_velocities_and_zero_for_missed_points()
    {
        var kp = new float[2 * 133 * 3];
        int right = 112; // first right-hand keypoint
        kp[(0 * 133 + right) * 3 + 0] = 50; kp[(0 * 133 + right) * 3 + 1] = 25; kp[(0 * 133 + right) * 3 + 2] = 1;
        kp[(1 * 133 + right) * 3 + 0] = 60; kp[(1 * 133 + right) * 3 + 1] = 25; kp[(1 * 133 + right) * 3 + 2] = 1;
        var clip = new SignClip("c", "train", "s", 2, 100, 50, null, kp, ["A"]);
        var sel = KeypointSelection.Paper79;
        var f = ImportanceFeatures.Of(clip, sel);
        int c = sel.Indices.ToList().IndexOf(right), k = sel.Count, n = ImportanceFeatures.PerKeypoint;
        Assert.Equal(2 * 79 * n, f.Length);
        Assert.Equal(0f, f[(0 * k + c) * n + 0], 5);          // 50 / 100 − 0.5
        Assert.Equal(0f, f[(0 * k + c) * n + 1], 5);          // 25 / 50 − 0.5
        Assert.Equal(0.1f, f[(1 * k + c) * n + 3], 5);        // dx
        Assert.Equal(0f, f[(1 * k + c) * n + 4], 5);
        int missed = sel.Indices.ToList().IndexOf(0);          // the nose: score 0 in both frames
        Assert.All(Enumerable.Range(0, n), j => Assert.Equal(0f, f[(1 * k + missed) * n + j]));
    }

    [Fact]
    public void Clip_without_keypoints_is_refused_with_the_fix()
    {
        var clip = new SignClip("c7", "train", "s", 4, 100, 50, null, new float[10], ["A"]);
        var e = Assert.Throws<UserFacingException>(() => ImportanceFeatures.Of(clip, KeypointSelection.Paper79));
        Assert.Contains("c7", e.Message);
        Assert.Contains("extract-keypoints", e.Message);
    }

    [Fact]
    public void Clip_without_boundaries_asks_for_pseudo_alignment_targets()
    {
        var clip = new SignClip("real-01", "train", "s", 1, 100, 50, null, new float[133 * 3], ["A"]);
        var targets = ImportanceTrainer.GroundTruth(SignDictionary.FromLexicon(Lexicon.Default));
        var e = Assert.Throws<UserFacingException>(() => targets(clip));
        Assert.Contains("real-01", e.Message);
        Assert.Contains("FromSpans", e.Message);
    }

    [Fact]
    public void Out_of_range_options_are_refused_before_any_data_is_read()
    {
        var ds = new SynthSignDataset("tiny", 0);
        var targets = ImportanceTrainer.GroundTruth(SignDictionary.FromLexicon(ds.Corpus.Lexicon));
        foreach (var bad in new[] { new ImportanceTrainingOptions { Epochs = 0 }, new ImportanceTrainingOptions { BatchSize = 0 }, new ImportanceTrainingOptions { LearningRate = double.NaN } })
            Assert.Contains("Fix those values", Assert.Throws<UserFacingException>(() => ImportanceTrainer.Train(ds, targets, bad)).Message);
    }

    [Fact]
    public void Estimator_trained_on_tiny_synthsign_beats_the_majority_label_on_dev_for_the_dominant_hand()
    {
        var ds = new SynthSignDataset("tiny", 0);
        var dict = SignDictionary.FromLexicon(ds.Corpus.Lexicon);
        var targets = ImportanceTrainer.GroundTruth(dict);
        var model = ImportanceTrainer.Train(ds, targets, new ImportanceTrainingOptions { Epochs = 30, BatchSize = 8 });
        Assert.True(model.EpochLosses[^1] < 0.8 * model.EpochLosses[0], $"loss {model.EpochLosses[0]:F4} → {model.EpochLosses[^1]:F4}");
        var report = ImportanceTrainer.Evaluate(model, ds, "dev", targets);
        Assert.Equal(TargetSource.GroundTruthBoundaries, report.Source);
        var hand = report.Parts.Single(p => p.Part == "right_hand");
        // The dominant hand is important exactly while a sign is performed: telling signs from transitions and rest
        // by movement is what the estimator has to learn; the constant majority label cannot.
        Assert.True(hand.Accuracy > hand.BaselineAccuracy + 5, $"right hand: {hand.Accuracy:F1} % vs baseline {hand.BaselineAccuracy:F1} %");
        Assert.InRange(hand.PositiveRate, 20, 90);
    }
}
