using SignNotebooks.Corpora;
using SignNotebooks.Evaluation;
using SignNotebooks.Reproduction;
using SignNotebooks.Tests.Corpora;
using SignNotebooks.Training;

namespace SignNotebooks.Tests.Reproduction;

/// <summary>
/// Built once for the reproduction tests: the SynthSign export in the Phoenix-2014T layout (2 clips per split) and a
/// video-only tiny network trained on it for one epoch, saved as our runs save checkpoints (model.pt + gloss2ids.pkl).
/// </summary>
public sealed class ReproductionFixture : IDisposable
{
    public string Dir { get; } = Directory.CreateTempSubdirectory("signnb-repro-").FullName;
    public string Root => Path.Combine(Dir, "corpus");
    public string Checkpoint { get; }

    public ReproductionFixture()
    {
        CorpusFixtures.ExportPhoenix2014T(Root);
        var corpus = new FolderCorpus("phoenix-2014t", Root);
        var config = TrainingProfiles.Get("tiny", TrainingStage.Video) with { Epochs = 1 };
        var run = new RunDirectory(Path.Combine(Dir, "run"));
        new Trainer(config, run, corpus, corpus.Vocabulary, TextWriter.Null).Run();
        Checkpoint = run.ModelFile("best");
    }

    /// <summary>A card for the fixture's checkpoint; <paramref name="expected"/> and <paramref name="tolerance"/> decide PASS/FAIL.</summary>
    public string WriteCard(string id, double expected, double tolerance)
    {
        var card = new ReproductionCard
        {
            Id = id, Title = "fixture: tiny video network on the SynthSign Phoenix-2014T export", Task = "recognition",
            Dataset = "phoenix-2014t", Split = "test", Checkpoint = "model.pt", Variant = "video-tiny", Profile = "tiny",
            Head = "video", Beam = 5, Cleanup = "phoenix-2014t", Metric = "wer", Expected = expected, Tolerance = tolerance,
            Source = "the test's own direct evaluation",
        };
        var path = Path.Combine(Dir, id + ".json");
        ReproductionCards.Save(card, path);
        return path;
    }

    /// <summary>The test WER of the checkpoint's video head, computed without the reproduce path (the card's settings).</summary>
    public double DirectWer()
    {
        var corpus = new FolderCorpus("phoenix-2014t", Root);
        var card = ReproductionCards.Load(WriteCard("direct", 0, 1));
        var config = Reproducer.EvalConfig(card, corpus.Vocabulary.Count);
        var model = Trainer.LoadModel(config, Checkpoint);
        var eval = RecognitionEvaluator.Evaluate(model, Trainer.EvalLoader(config, corpus, corpus.Vocabulary, "test"), corpus.Vocabulary, 5, GlossCleanup.Phoenix2014T);
        return eval.WerOf("video");
    }

    /// <summary>A copy of the corpus tree to damage.</summary>
    public string CopyRoot(string name)
    {
        var dst = Path.Combine(Dir, name);
        foreach (var f in Directory.GetFiles(Root, "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(dst, Path.GetRelativePath(Root, f));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(f, to);
        }
        return dst;
    }

    public void Dispose() => Directory.Delete(Dir, true);
}
