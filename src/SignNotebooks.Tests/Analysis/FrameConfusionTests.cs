using SignNotebooks.Analysis;
using SignNotebooks.Data;
using SignNotebooks.Synthetic;
using SignNotebooks.Training;
using static TorchSharp.torch;

namespace SignNotebooks.Tests.Analysis;

/// <summary>
/// The frame confusion reads each output step's argmax against the true label at the head's stride; hand-built logits
/// whose argmax is known pin every cell, and `signnb evaluate frames` counts exactly the labelled steps the loader has.
/// </summary>
public sealed class FrameConfusionTests
{
    private static readonly Vocabulary Vocab = Vocabulary.SynthSign(Lexicon.Default.Glosses);

    private static Tensor Logits(params int[][] argmaxPerClip)
    {
        long b = argmaxPerClip.Length, t = argmaxPerClip.Max(a => a.Length);
        var x = zeros(b, t, Vocab.Count);
        for (int i = 0; i < b; i++)
            for (int s = 0; s < argmaxPerClip[i].Length; s++) x[i, s, argmaxPerClip[i][s]] = tensor(5f);
        return x;
    }

    [Fact]
    public void Each_step_is_counted_once_under_its_true_gloss_and_what_the_head_read()
    {
        int one = Vocab.Encode("ONE"), two = Vocab.Encode("TWO"), maybe = Vocab.Encode("MAYBE"), blank = Vocab.BlankId;
        // Stride 4: clip 0 has 12 frames (steps ONE, TWO, TWO), clip 1 has 4 (one blank step; its other two are padding).
        var targets = new FrameTargets([
            [one, one, one, one, two, two, two, two, two, two, two, blank],
            [blank, blank, blank, blank]]);
        var logits = Logits([one, one, blank], [maybe, two, two]);
        var c = new FrameConfusion(Vocab, ["ONE", "TWO"]);
        c.Add(logits, targets);

        Assert.Equal(4, c.Steps);                                   // padded steps of clip 1 are not labelled
        Assert.Equal(100.0 / 4, c.StepAccuracy, 9);                 // only ONE → ONE is right
        Assert.Equal(1, c.Total(0));
        Assert.Equal(1, c.Correct(0));
        Assert.Equal(2, c.Total(1));
        Assert.Equal(0, c.Correct(1));
        Assert.Equal(1, c.Count(1, 0));                             // a TWO step read as ONE
        Assert.Equal(1, c.Count(1, c.BlankColumn));                 // and one read as blank
        Assert.Equal(0, c.Count(1, c.BlankColumn + 1));

        var table = c.Table("t");
        Assert.Equal(["TWO", "2", "1", "0", "1", "0", "0.0"], table.Rows[1]);
        // The blank step read as MAYBE is an error of the step accuracy but no watched row.
        Assert.Equal(["ONE", "1", "1", "0", "0", "0", "100.0"], table.Rows[0]);
    }

    [Fact]
    public void Minimal_pair_members_are_the_lexicons_handshape_and_face_pairs_and_unknown_glosses_are_refused()
    {
        var members = FrameConfusion.MinimalPairMembers(Lexicon.Default);
        Assert.Contains("ONE", members);
        Assert.Contains("FIVE", members);
        Assert.Contains("SURE", members);
        Assert.Equal(members.Count, members.Distinct().Count());
        var e = Assert.Throws<SignNotebooks.Util.UserFacingException>(() => new FrameConfusion(Vocab, ["ONE", "NOPE"]));
        Assert.Contains("NOPE", e.Message);
    }
}

/// <summary><c>signnb evaluate frames</c> on a tiny keypoint run.</summary>
[Collection("Console")]
public sealed class EvaluateFramesCommandTests(Inference.KeypointRunFixture fx) : IClassFixture<Inference.KeypointRunFixture>
{
    [Fact]
    public void The_table_counts_every_labelled_step_of_the_watched_glosses_at_the_heads_stride()
    {
        var (_, _, config, dataset, vocab) = RunEvaluation.Open(fx.Keypoint);
        var loader = Trainer.EvalLoader(config with { MaxEvalClips = null, MaxTrainClips = null }, dataset, vocab, "train");
        // Independently: the labelled T/4 steps of each gloss in the first 8 train clips.
        var counts = new Dictionary<int, int>();
        int labelled = 0;
        using (var batch = loader.Build(Enumerable.Range(0, 8).ToArray(), 0))
            foreach (var id in batch.FrameTargets!.At(4, batch.MaxLength / 4).data<long>().ToArray().Where(i => i != FrameTargets.Ignore))
            {
                labelled++;
                counts[(int)id] = counts.GetValueOrDefault((int)id) + 1;
            }
        var watched = counts.Keys.Where(i => i != vocab.BlankId).Take(3).Select(i => vocab.Decode(i)).ToArray();

        var (code, stdout, stderr) = CliCapture.Run("evaluate", "frames", "--checkpoint", fx.Keypoint, "--split", "train", "--clips", "8",
            "--glosses", string.Join(",", watched));
        Assert.True(code == 0, stderr + stdout);
        foreach (var g in watched)
            Assert.Contains($"| {g} | {counts[vocab.Encode(g)]} |", stdout);
        Assert.Contains($"step accuracy over all {labelled} labelled steps", stdout);

        (code, _, stderr) = CliCapture.Run("evaluate", "frames", "--checkpoint", fx.Keypoint, "--head", "joint", "--clips", "2");
        Assert.Equal(1, code);
        Assert.Contains("no head 'joint'", stderr);
        (code, _, stderr) = CliCapture.Run("evaluate", "frames", "--checkpoint", fx.Keypoint, "--glosses", "ONE,NOPE");
        Assert.Equal(1, code);
        Assert.Contains("NOPE", stderr);
    }
}
