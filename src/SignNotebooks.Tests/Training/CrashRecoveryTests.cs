using SignNotebooks.Checkpoints;
using SignNotebooks.Data;
using SignNotebooks.Synthetic;
using SignNotebooks.Training;
using SignNotebooks.Util;

namespace SignNotebooks.Tests.Training;

/// <summary>
/// A kill at any file-system step of a checkpoint save, then `--resume`: the run must end exactly as an uninterrupted
/// one (bit-equal `last` and `best`, one metric row per epoch and step, no leftover temporary folders). The kill is a
/// test hook that throws right after the step, so every step is hit deterministically, not by timing.
/// </summary>
public sealed class CrashRecoveryTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "signnb-crash-" + Guid.NewGuid().ToString("N"));
    public void Dispose() { try { Directory.Delete(_dir, true); } catch (IOException) { } }

    private sealed class SimulatedKill(string step) : Exception($"killed after '{step}'");

    // Two epochs on 8 clips: each epoch saves best (when dev WER improves) and last, so both first saves and
    // replacements (with the rename to .old) are crossed.
    private static TrainingConfig Tiny() => TrainingProfiles.Get("tiny", TrainingStage.Keypoint) with
        { MaxTrainClips = 8, MaxEvalClips = 4, Epochs = 2, Schedule = null, Init = null };

    private static (SynthSignDataset, Vocabulary) Corpus()
    {
        var ds = new SynthSignDataset("tiny");
        return (ds, Vocabulary.SynthSign(ds.Glosses));
    }

    private static void AssertSameWeights(string expected, string actual, string what)
    {
        var a = StateDictFile.Read(expected).Tensors;
        var b = StateDictFile.Read(actual).Tensors;
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        foreach (var k in a.Keys) Assert.True(a[k].eq(b[k]).all().item<bool>(), $"{what}: {k} differs");
    }

    [Fact]
    public void A_kill_after_any_save_step_then_resume_ends_as_the_uninterrupted_run()
    {
        var (ds, vocab) = Corpus();
        var steps = new List<string>();
        var full = new RunDirectory(Path.Combine(_dir, "full")) { AfterStep = steps.Add };
        var reference = new Trainer(Tiny(), full, ds, vocab, TextWriter.Null).Run();
        Assert.Contains("best: write model.pt", steps);
        Assert.Contains("last: rename last -> last.old", steps);
        Assert.Contains("last: delete last.old", steps);
        Assert.Contains("best: fsync checkpoints", steps);
        Assert.Contains("best: write the dev evaluation", steps);
        var fullState = full.ReadState(full.Checkpoint("best"));

        // Every step of the run, each occurrence: epoch 1 crosses the first saves, epoch 2 the replacements (rename to
        // .old, delete .old) and a second state of the same steps. A kill inside a write equals a kill after the step
        // before it.
        Assert.True(steps.Distinct().Count() >= 20, $"only {steps.Distinct().Count()} distinct save steps: {string.Join(", ", steps.Distinct())}");
        Assert.True(steps.Count > steps.Distinct().Count(), "the run should cross some steps twice (epoch 2)");
        for (int i = 0; i < steps.Count; i++)
        {
            var cut = new RunDirectory(Path.Combine(_dir, $"cut{i}"));
            int calls = 0;
            cut.AfterStep = s => { if (calls++ == i) throw new SimulatedKill(s); };
            Assert.Throws<SimulatedKill>(() => new Trainer(Tiny(), cut, ds, vocab, TextWriter.Null).Run());
            cut.AfterStep = null;
            var log = new StringWriter();
            var resumed = new Trainer(Tiny(), cut, ds, vocab, log).Run(resume: true);

            string at = $"kill after step {i} '{steps[i]}'\n{log}";
            AssertSameWeights(full.ModelFile("last"), cut.ModelFile("last"), at);
            AssertSameWeights(full.ModelFile("best"), cut.ModelFile("best"), at);
            var state = cut.ReadState(cut.Checkpoint("best"));
            Assert.True(fullState with { Sha256 = null } == state with { Sha256 = null }, at);
            Assert.Equal(reference.BestEpoch, resumed.BestEpoch);
            Assert.Equal(File.ReadAllLines(full.EpochsCsv).Length, File.ReadAllLines(cut.EpochsCsv).Length);
            Assert.Equal(File.ReadAllLines(full.StepsCsv).Length, File.ReadAllLines(cut.StepsCsv).Length);
            Assert.Equal(File.ReadAllLines(full.StepsJsonl).Length, File.ReadAllLines(cut.StepsJsonl).Length);
            Assert.Equal(new[] { "best", "last" }, Directory.GetDirectories(Path.Combine(cut.Root, "checkpoints")).Select(d => Path.GetFileName(d)!).Order().ToArray());
            // The best checkpoint's cached dev evaluation is the uninterrupted run's, or absent (then it is recomputed).
            var cachedEval = Path.Combine(cut.BestEvaluationDir(Tiny().TestBeam), "dev.csv");
            if (File.Exists(cachedEval))
                Assert.Equal(File.ReadAllText(Path.Combine(full.BestEvaluationDir(Tiny().TestBeam), "dev.csv")), File.ReadAllText(cachedEval));
            Directory.Delete(cut.Root, true);
        }
    }

    [Fact]
    public void A_fresh_start_after_a_kill_in_the_first_save_removes_the_leftovers_and_writes_each_row_once()
    {
        var (ds, vocab) = Corpus();
        var cfg = Tiny() with { Epochs = 1 };
        var run = new RunDirectory(Path.Combine(_dir, "first")) { AfterStep = s => { if (s == "last: write model.pt") throw new SimulatedKill(s); } };
        Assert.Throws<SimulatedKill>(() => new Trainer(cfg, run, ds, vocab, TextWriter.Null).Run());
        Assert.NotEmpty(Directory.GetDirectories(Path.Combine(run.Root, "checkpoints"), "last.tmp-*"));
        run.AfterStep = null;
        new Trainer(cfg, run, ds, vocab, TextWriter.Null).Run();
        Assert.Empty(Directory.GetDirectories(Path.Combine(run.Root, "checkpoints"), "*.tmp-*"));
        Assert.Equal(1, MetricsLog.Load(run.EpochsCsv).Rows.Count);
        Assert.Equal(1, MetricsLog.Load(run.StepsCsv).Rows.Count);   // 8 clips, batch 8
    }

    [Fact]
    public void Resume_recreates_a_best_checkpoint_that_an_older_save_order_lost_and_evaluate_never_falls_back_to_last()
    {
        var (ds, vocab) = Corpus();
        var cfg = Tiny() with { Epochs = 1 };
        var run = new RunDirectory(Path.Combine(_dir, "lost"));
        new Trainer(cfg, run, ds, vocab, TextWriter.Null).Run();
        var bestBefore = Path.Combine(_dir, "best-before.pt");
        File.Copy(run.ModelFile("best"), bestBefore);
        Directory.Delete(run.Checkpoint("best"), true);   // what a kill between `last` and `best` left before

        var e = Assert.Throws<UserFacingException>(() => RunEvaluation.Evaluate(run.Root, "dev"));
        Assert.Contains("no best checkpoint", e.Message);
        Assert.Contains(Path.Combine("checkpoints", "last"), e.Message);

        var log = new StringWriter();
        new Trainer(cfg, run, ds, vocab, log).Run(resume: true);
        Assert.Contains("re-created checkpoints/best", log.ToString());
        AssertSameWeights(bestBefore, run.ModelFile("best"), "re-created best");   // zip timestamps differ, the tensors may not
        Assert.Equal(run.Checkpoint("best"), RunEvaluation.Evaluate(run.Root, "dev").CheckpointDir);
    }
}

/// <summary>A kill in the middle of a metrics append leaves a row without its newline; resuming drops it instead of failing.</summary>
public sealed class MetricsTruncationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("signnb-metrics-").FullName;
    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public void A_row_cut_off_mid_write_is_dropped_on_resume()
    {
        var jsonl = Path.Combine(_dir, "steps.jsonl");
        File.WriteAllText(jsonl, "{\"epoch\":1,\"loss\":2.5}\n{\"epoch\":2,\"loss\":1.5}\n{\"epoch\":1,\"lo");
        MetricsLog.TruncateAfterEpoch(jsonl, 1);
        Assert.Equal("{\"epoch\":1,\"loss\":2.5}\n", File.ReadAllText(jsonl));
        var csv = Path.Combine(_dir, "epochs.csv");
        File.WriteAllText(csv, "epoch,loss\n1,2.5\n2,1.5\n1");   // "1" is the start of a row for epoch 12, say
        MetricsLog.TruncateAfterEpoch(csv, 1);
        Assert.Equal("epoch,loss\n1,2.5\n", File.ReadAllText(csv));
    }
}
