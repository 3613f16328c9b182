using System.Globalization;
using SignNotebooks.Checkpoints;
using SignNotebooks.Corpora;
using SignNotebooks.Data;
using SignNotebooks.Evaluation;
using SignNotebooks.Models;
using SignNotebooks.Training;
using SignNotebooks.Translation;
using SignNotebooks.Util;
using TorchSharp;

namespace SignNotebooks.Reproduction;

/// <summary>What running a card gave: the measured value against the paper's, with everything needed to trust it.</summary>
/// <param name="Measured">The card's metric on its head (percent).</param>
/// <param name="Load">The checkpoint load report (strict: every key loaded); null for a merge of shards.</param>
/// <param name="Evaluation">Recognition cards: every head's WER on the split (the card's head is the one compared).</param>
/// <param name="Translation">Translation cards: the translations of the split with BLEU-1..4 and ROUGE-L.</param>
/// <param name="Data">The data check that ran first; null for a merge of shards.</param>
/// <param name="Shard">The part of the split this run scored (<see cref="Shard.All"/> for a whole split or a merge).</param>
/// <param name="OutputDir">Where the per-head hypotheses and result.json were written.</param>
public sealed record ReproductionResult(ReproductionCard Card, double Measured, bool Passed, LoadReport? Load, SplitEvaluation? Evaluation,
    CheckReport? Data, string Corpus, string OutputDir, TimeSpan Elapsed, Shard Shard, TranslationEvaluation? Translation = null)
{
    /// <summary>The closing line: expected vs measured and the verdict (a shard has no verdict: its WER is partial).</summary>
    public string Verdict => !Shard.IsAll
        ? string.Create(CultureInfo.InvariantCulture, $"{Card.Id}: shard {Shard} of {Card.Split}: {Card.Head} WER {Measured:F2} on this part only; " +
                                                       $"when every shard is done, `signnb reproduce {Card.Id} --merge --out {OutputDir[..OutputDir.LastIndexOf(Path.DirectorySeparatorChar)]}` gives the verdict")
        : string.Create(CultureInfo.InvariantCulture,
        $"{Card.Id}: {Card.Metric.ToUpperInvariant()} {Card.Split} ({Card.Head}, beam {Card.Beam}, clean-up {Card.Cleanup}) expected {Card.Expected:F2} ± {Card.Tolerance:F2}, " +
        $"measured {Measured:F2} (Δ {Measured - Card.Expected:+0.00;-0.00;0.00}) → {(Passed ? "PASS" : "FAIL")}");
}

/// <summary>
/// Runs a reproduction card end to end: checks the data (refusing to evaluate damaged data), loads the checkpoint
/// strictly with its report and a vocabulary check, scores every head on the card's split with the card's beam and
/// clean-up, and compares the card's head with the paper's value.
/// </summary>
public static class Reproducer
{
    /// <param name="dataRoot">The corpus: its unpacked release or SLRT's data/&lt;dataset&gt;/ folder.</param>
    /// <param name="checkpoint">The checkpoint file (SLRT's .ckpt with model_state, or a state dict such as our model.pt).</param>
    /// <param name="device">cpu or cuda.</param>
    /// <param name="outDir">Where hypotheses go (default artifacts/reproduce/&lt;card&gt;).</param>
    /// <param name="shard">Score only this part of the split (a job array task); merge the parts with <see cref="Merge"/>.</param>
    public static ReproductionResult Run(ReproductionCard card, string dataRoot, string checkpoint, string device = "cpu",
        TextWriter? log = null, string? outDir = null, Shard? shard = null)
    {
        shard ??= Shard.All;
        log ??= TextWriter.Null;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        if (!card.IsRunnable)
            throw new UserFacingException($"card {card.Id} is {card.Status}: {card.Notes} The paper reports {card.Expected.ToString(CultureInfo.InvariantCulture)} " +
                                          $"({card.Source}). Fix: run a recognition card (signnb reproduce --list).");
        if (card.Task == "translation")
            throw new UserFacingException($"card {card.Id} is a translation card: it needs the mBART folder and the features too. Fix: signnb reproduce {card.Id} --data-root DIR --checkpoint V,K,J --mbart DIR (--features DIR | --recognition S2G.ckpt).");
        var torchDevice = ComputeDevice.Resolve(device);
        EnsureCheckpoint(card, checkpoint);

        // 1. The data, checked before anything is loaded: a damaged corpus gives a wrong number, not an error.
        log.WriteLine($"[1/3] data: {card.Dataset} at {dataRoot}");
        var check = CheckData(card, dataRoot, log);
        var opened = CorpusSource.Open(card.Dataset, dataRoot);
        EnsureStreams(card, dataRoot, opened);
        log.WriteLine("  " + opened.Describe());

        // 2. The checkpoint: vocabulary first (a specific message), then a strict load with its report.
        log.WriteLine($"[2/3] checkpoint: {checkpoint}");
        var file = StateDictFile.Read(checkpoint);
        var beside = VocabularyCheck.BesideCheckpoint(checkpoint);
        var vocabulary = beside is null ? opened.Vocabulary : GlossIdsFile.Read(beside, card.Dataset);
        var vocabularySource = beside ?? opened.GlossIds ?? $"built from the train split of {dataRoot}";
        VocabularyCheck.Ensure(checkpoint, CheckpointInspector.VocabularySize(file.Tensors), vocabulary, vocabularySource, opened.Corpus.Glosses, beside is not null);
        var config = EvalConfig(card, vocabulary.Count);
        using var model = ModelRegistry.Create(config.Model);
        var load = CheckpointLoader.Load(model, file, new LoadOptions { Strict = true });
        foreach (var line in load.ToString().Split('\n')) log.WriteLine("  " + line.TrimEnd());
        if (torchDevice.type != TorchSharp.DeviceType.CPU) model.to(torchDevice);

        // 3. Every head on the split; the card's head is compared.
        var loader = Trainer.EvalLoader(config, shard.Apply(opened.Corpus), vocabulary, card.Split);
        log.WriteLine($"[3/3] evaluate: {loader.ClipCount} {card.Split} clips{(shard.IsAll ? "" : $" (shard {shard})")}, beam {card.Beam}, clean-up {card.Cleanup}, device {device}");
        var eval = RecognitionEvaluator.Evaluate(model, loader, vocabulary, card.Beam, card.CleanupRule, device: torchDevice);
        foreach (var h in eval.Heads)
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {h.Head,-16} WER {h.Wer,6:F2}%  (S={h.S}, D={h.D}, I={h.I}, N={h.N}){(h.Head == card.Head ? "  ← card head" : "")}"));
        double measured = eval.WerOf(card.Head);
        var dir = outDir ?? DefaultOut(card);
        if (!shard.IsAll) dir = Path.Combine(dir, ShardMerge.FolderName("", shard.Index, shard.Count));
        RecognitionEvaluator.Save(eval, dir);
        var result = new ReproductionResult(card, measured, shard.IsAll && card.Passes(measured), load, eval, check, opened.Describe(), dir, clock.Elapsed, shard);
        WriteResult(result, checkpoint, dataRoot, device);
        return result;
    }

    /// <summary>Refuses a checkpoint path that does not exist, saying where the card's checkpoint comes from.</summary>
    internal static void EnsureCheckpoint(ReproductionCard card, string checkpoint)
    {
        if (!File.Exists(checkpoint))
            throw new UserFacingException($"checkpoint {checkpoint}: file not found. Fix: download {card.Checkpoint} ({card.CheckpointNote ?? card.Source}) and pass its path.");
    }

    /// <summary>Runs `data check` on the card's corpus, logs its lines, and refuses to go on when it found errors.</summary>
    internal static CheckReport CheckData(ReproductionCard card, string dataRoot, TextWriter log)
    {
        var check = CorpusSource.Check(card.Dataset, dataRoot);
        foreach (var p in check.Problems) log.WriteLine("  " + p);
        log.WriteLine("  " + check.Summary);
        if (check.Errors > 0)
            throw new UserFacingException($"the data at {dataRoot} has {check.Errors} error{(check.Errors == 1 ? "" : "s")} (listed above), so card {card.Id} was not run. " +
                                          $"Fix: repair them (signnb data check --dataset {card.Dataset} --root {dataRoot}); to get the data: {card.HowToGet}");
        return check;
    }

    /// <summary>Refuses a corpus without the keypoints or frames the card's recognition network reads, before any compute.</summary>
    internal static void EnsureStreams(ReproductionCard card, string dataRoot, OpenedCorpus opened)
    {
        var streams = ModelRegistry.Get(card.Variant).Config.Streams;
        if (streams != StreamKind.Video && opened.Keypoints is null)
            throw new UserFacingException($"{dataRoot}: no {card.Dataset}-keypoints.pkl there, and the {card.Variant} network reads keypoints. " +
                                          $"Fix: put SLRT's {card.Dataset}-keypoints.pkl in {dataRoot} (spec §9).");
        if (streams != StreamKind.Keypoint && opened.Form == CorpusForm.Slrt && opened.Frames is null)
            throw new UserFacingException($"{dataRoot}: no frames ({card.Dataset}-videos.zip or {card.Dataset}-videos/), and the {card.Variant} network reads video. " +
                                          "Fix: put the frames there at SLRT's inner paths (spec §9).");
    }

    /// <summary>Where a card's hypotheses go by default: artifacts/reproduce/&lt;card&gt;.</summary>
    public static string DefaultOut(ReproductionCard card) => Path.Combine(RepoPaths.Artifacts, "reproduce", card.Id);

    /// <summary>
    /// Joins the shard folders that `reproduce CARD --shard i/N --out DIR` tasks wrote under <paramref name="outDir"/>
    /// into the whole split's numbers (exactly the unsharded WER) and gives the card's verdict.
    /// </summary>
    public static ReproductionResult Merge(ReproductionCard card, string? outDir = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        if (card.Task == "translation")
            throw new UserFacingException($"card {card.Id} is a translation card, which is never sharded. Fix: run it whole (signnb reproduce {card.Id} --data-root DIR --checkpoint V,K,J --mbart DIR --features DIR).");
        var dir = outDir ?? DefaultOut(card);
        var eval = ShardMerge.Merge(dir, "", card.Split, card.CleanupRule, card.Beam,
            $"signnb reproduce {card.Id} --data-root DIR --checkpoint FILE --out {dir} --shard {{i}}/{{n}}");
        RecognitionEvaluator.Save(eval, dir);
        double measured = eval.WerOf(card.Head);
        var result = new ReproductionResult(card, measured, card.Passes(measured), null, eval, null, "merged shards", dir, clock.Elapsed, Shard.All);
        WriteResult(result, null, null, null);
        return result;
    }

    internal static void WriteResult(ReproductionResult result, string? checkpoint, string? dataRoot, string? device)
    {
        var card = result.Card;
        double measured = result.Measured;
        var dir = result.OutputDir;
        var clock = result.Elapsed;
        RunDirectory.WriteAtomic(Path.Combine(dir, "result.json"), System.Text.Json.JsonSerializer.Serialize(new
        {
            card = card.Id, card.Metric, card.Split, card.Head, card.Beam, card.Cleanup, card.Expected, card.Tolerance,
            measured = Math.Round(measured, 4), passed = result.Passed, shard = result.Shard.ToString(),
            checkpoint = checkpoint is null ? null : string.Join(",", ReproductionCard.SplitPaths(checkpoint).Select(Path.GetFullPath)), data_root = dataRoot is null ? null : Path.GetFullPath(dataRoot),
            device, seconds = Math.Round(clock.TotalSeconds, 1),
        }, new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>
    /// The evaluation settings of a card: the profile's input and batch, the variant's network with the checkpoint's
    /// V, every clip of the split (CSL-Daily at the paper profile uses its own crop and map size, spec §7.4).
    /// </summary>
    public static TrainingConfig EvalConfig(ReproductionCard card, int vocabularySize)
    {
        var c = TrainingProfiles.Get(card.Profile, card.Stage);
        var input = TrainingProfiles.ForCorpus(c, card.Dataset, ".").Input;
        return c with
        {
            MaxTrainClips = null, MaxEvalClips = null, Input = input, TestBeam = card.Beam,
            Model = ModelRegistry.Get(card.Variant).Config with { VocabularySize = vocabularySize },
        };
    }
}
