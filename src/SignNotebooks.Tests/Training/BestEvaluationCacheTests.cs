using SignNotebooks.Data;
using SignNotebooks.Evaluation;
using SignNotebooks.Synthetic;
using SignNotebooks.Training;

namespace SignNotebooks.Tests.Training;

/// <summary>
/// Training decodes its dev validation at the test beam too and caches it as the best checkpoint's dev evaluation
/// (eval/best-b{TestBeam}), which the workbook then reads instead of running the forward passes again. The cache must
/// be exactly what evaluating the saved best checkpoint gives, and never outlive the weights it scored.
/// </summary>
public sealed class BestEvaluationCacheTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("signnb-besteval-").FullName;
    public void Dispose() { try { Directory.Delete(_dir, true); } catch (IOException) { } }

    [Fact]
    public void The_cached_dev_evaluation_equals_a_fresh_evaluation_of_the_best_checkpoint()
    {
        var ds = new SynthSignDataset("tiny");
        var vocab = Vocabulary.SynthSign(ds.Glosses);
        var cfg = TrainingProfiles.Get("tiny", TrainingStage.Keypoint) with { MaxTrainClips = 8, MaxEvalClips = 6, Epochs = 2, Schedule = null, Init = null };
        Assert.NotEqual(cfg.ValidationBeam, cfg.TestBeam);
        var run = new RunDirectory(Path.Combine(_dir, "run"));
        new Trainer(cfg, run, ds, vocab, TextWriter.Null).Run();

        var cached = RecognitionEvaluator.Load(run.BestEvaluationDir(cfg.TestBeam), "dev", cfg.TestBeam);
        Assert.NotNull(cached);
        var (dir, _, config, dataset, vocabulary) = RunEvaluation.Open(run.Root);
        using var model = Trainer.LoadModel(config, Path.Combine(dir, "model.pt"));
        var fresh = RecognitionEvaluator.Evaluate(model, Trainer.EvalLoader(config, dataset, vocabulary, "dev"), vocabulary, cfg.TestBeam);
        Assert.Equal(fresh.Pairs.Keys.Order(), cached!.Pairs.Keys.Order());
        Assert.Equal(6, fresh.Pairs.First().Value.Count);
        foreach (var (head, pairs) in fresh.Pairs)
            Assert.Equal(pairs.Select(p => (p.Id, p.Reference, p.Hypothesis)), cached.Pairs[head].Select(p => (p.Id, p.Reference, p.Hypothesis)));
        // A subset of heads is the same evaluation restricted.
        var one = cached.Only([fresh.Heads[0].Head]);
        Assert.Equal([fresh.Heads[0]], one.Heads);
        Assert.Single(one.Pairs);
    }

    [Fact]
    public void A_new_best_forgets_the_cached_evaluations_of_the_old_one_but_not_what_signnb_evaluate_wrote()
    {
        var run = new RunDirectory(Path.Combine(_dir, "forget"));
        foreach (var name in new[] { "best-b5", "best-b5-ensemble_last", "best-b1", "best", "last" })
        {
            Directory.CreateDirectory(Path.Combine(run.EvalDir, name));
            File.WriteAllText(Path.Combine(run.EvalDir, name, "dev.csv"), "head,wer\n");
        }
        run.ForgetBestEvaluations();
        Assert.Equal(["best", "last"], Directory.GetDirectories(run.EvalDir).Select(d => Path.GetFileName(d)!).Order().ToArray());
        new RunDirectory(Path.Combine(_dir, "empty")).ForgetBestEvaluations();   // no eval folder yet: nothing to do
    }

    [Fact]
    public void An_interrupted_save_is_not_read_back_as_a_cached_evaluation()
    {
        var folder = Path.Combine(_dir, "partial");
        var pairs = new List<ScoringPair> { new("a", "X Y", "X") };
        var eval = new SplitEvaluation("dev", 5, [new HeadWer("video", 50, 0, 1, 0, 2), new HeadWer("keypoint", 50, 0, 1, 0, 2)],
            new Dictionary<string, IReadOnlyList<ScoringPair>> { ["video"] = pairs, ["keypoint"] = pairs });
        RecognitionEvaluator.Save(eval, folder);
        Assert.Equal(2, RecognitionEvaluator.Load(folder, "dev", 5)!.Heads.Count);
        File.Delete(Path.Combine(folder, "dev.csv"));   // the summary is written last: without it the split is not cached
        Assert.Null(RecognitionEvaluator.Load(folder, "dev", 5));
    }
}
