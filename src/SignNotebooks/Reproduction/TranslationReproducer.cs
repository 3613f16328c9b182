using System.Globalization;
using SignNotebooks.Checkpoints;
using SignNotebooks.Corpora;
using SignNotebooks.Data;
using SignNotebooks.Models;
using SignNotebooks.Translation;
using SignNotebooks.Util;
using TorchSharp;
using static TorchSharp.torch;

namespace SignNotebooks.Reproduction;

/// <summary>Where a translation card's inputs are: the S2T checkpoints, the mBART folder and the features (given, or extracted with an S2G checkpoint).</summary>
/// <param name="Checkpoints">One S2T checkpoint, or three for the ensemble in the order video, keypoint, joint.</param>
/// <param name="LanguageModel">SLRT's pruned mBART folder (mBart_de/ or mBart_zh/).</param>
/// <param name="Features">SLRT's extract_feature/ folder (head_rgb_input/, head_keypoint_input/), or null.</param>
/// <param name="Recognition">The TwoStream-SLR (S2G) checkpoint to extract the features with when <paramref name="Features"/> is null.</param>
public sealed record TranslationInputs(IReadOnlyList<string> Checkpoints, string LanguageModel, string? Features, string? Recognition);

/// <summary>
/// Runs a TwoStream-SLT card (spec §10.5, §11.1): the corpus's references, the released S2T networks loaded
/// strictly with the mBART folder's vocabulary, the split's features (SLRT's extracted files, or extracted here
/// with the S2G checkpoint), the multi-source ensemble decoded with the card's beam and maximum length, the
/// hypotheses cleaned as SLRT does (German final period, CSL-Daily characters) and scored with BLEU-4 and ROUGE-L
/// (spec §8.4), then expected vs measured.
/// </summary>
public static class TranslationReproducer
{
    private static readonly TranslationSource[] EnsembleOrder = [TranslationSource.Video, TranslationSource.Keypoint, TranslationSource.Joint];

    public static ReproductionResult Run(ReproductionCard card, string dataRoot, TranslationInputs inputs, string device = "cpu",
        TextWriter? log = null, string? outDir = null)
    {
        log ??= TextWriter.Null;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        if (card.Task != "translation")
            throw new UserFacingException($"card {card.Id} is a recognition card. Fix: signnb reproduce {card.Id} --data-root DIR --checkpoint FILE.");
        int expected = card.Head == "ensemble" ? 3 : 1;
        if (inputs.Checkpoints.Count != expected)
            throw new UserFacingException($"card {card.Id} ({card.Head}) needs {expected} S2T checkpoint{(expected == 1 ? "" : "s")} but {inputs.Checkpoints.Count} were given. " +
                                          $"Fix: --checkpoint {(expected == 3 ? "VIDEO.ckpt,KEYPOINT.ckpt,JOINT.ckpt (in this order)" : "FILE")} ({card.Checkpoint}).");
        if (inputs.Features is null && inputs.Recognition is null)
            throw new UserFacingException($"card {card.Id} needs the split's features. Fix: pass SLRT's extract_feature/ folder with --features DIR, " +
                                          "or the TwoStream-SLR checkpoint with --recognition S2G.ckpt to extract them here (slow on a CPU).");
        foreach (var c in inputs.Checkpoints.Append(inputs.Recognition).OfType<string>()) Reproducer.EnsureCheckpoint(card, c);
        var torchDevice = ComputeDevice.Resolve(device);
        bool gpu = torchDevice.type != TorchSharp.DeviceType.CPU;

        // 1. The corpus: its references. Frames and keypoints are read (and so checked) only when features are extracted here.
        log.WriteLine($"[1/4] data: {card.Dataset} at {dataRoot}");
        var check = inputs.Features is null ? Reproducer.CheckData(card, dataRoot, log) : null;
        if (check is null) log.WriteLine($"  annotations only: the features come from {inputs.Features}, so frames and keypoints are not read");
        var opened = CorpusSource.Open(card.Dataset, dataRoot);
        if (inputs.Features is null) Reproducer.EnsureStreams(card, dataRoot, opened);
        var examples = TranslationExample.From(opened.Corpus, card.Split);
        if (examples.Length == 0)
            throw new UserFacingException($"{dataRoot}: the {card.Split} split of {card.Dataset} has no clips, so card {card.Id} has nothing to translate. " +
                                          $"Fix: check the annotations (signnb data check --dataset {card.Dataset} --root {dataRoot}).");
        log.WriteLine($"  {opened.Describe()}; {examples.Length} {card.Split} sentences");

        // 2. The networks: the mBART folder's vocabularies, then each checkpoint strictly.
        log.WriteLine($"[2/4] language model: {inputs.LanguageModel}");
        var folder = MBartFolder.Open(inputs.LanguageModel, card.Dataset, opened.Vocabulary, opened.GlossIds ?? $"built from the train split of {dataRoot}");
        log.WriteLine($"  {folder.Tokenizer.VocabularySize} text ids ({folder.Tokenizer.PieceCount} SentencePiece pieces, {(folder.Tokenizer.Prune is null ? "not pruned" : "pruned by map_ids.pkl")}), " +
                      $"{folder.Glosses.Count} glosses ({folder.GlossSource}), d_model {folder.Config.DModel}, {folder.Config.EncoderLayers}+{folder.Config.DecoderLayers} layers");
        var sources = card.Head == "ensemble" ? EnsembleOrder : [Enum.Parse<TranslationSource>(card.Head, ignoreCase: true)];
        var recognition = ModelRegistry.Get(card.Variant).Config;
        var networks = new List<ReleasedNetwork>();
        for (int i = 0; i < sources.Length; i++)
        {
            log.WriteLine($"  {sources[i].ToString().ToLowerInvariant()} network: {inputs.Checkpoints[i]}");
            var n = ReleasedSignTranslation.Load(inputs.Checkpoints[i], folder, sources[i], recognition);
            foreach (var line in n.Report.ToString().Split('\n')) log.WriteLine("    " + line.TrimEnd());
            if (gpu) n.Model.to(torchDevice);
            networks.Add(n);
        }
        var combined = new LoadReport { Source = string.Join(",", inputs.Checkpoints), DetectedFormat = "SLRT S2T checkpoints" };
        foreach (var n in networks) { combined.Loaded.AddRange(n.Report.Loaded); combined.Ignored.AddRange(n.Report.Ignored); }

        // 3. The features of the split, checked against the networks and the sentences.
        log.WriteLine($"[3/4] features of {card.Split}");
        var features = Features(card, inputs, opened, log, torchDevice);
        int featureSize = networks[0].FeatureSize;
        var missing = examples.Where(e => Lookup(features, card.Split, e.Name) is null).Select(e => e.Name).ToList();
        if (missing.Count > 0)
            throw new UserFacingException($"{inputs.Features ?? inputs.Recognition}: no features for {missing.Count} of the {examples.Length} {card.Split} sentences (first: {string.Join(", ", missing.Take(3))}). " +
                                          "Fix: extract the features of the whole split (SLRT's extract_feature.py, or --recognition S2G.ckpt).");
        var first = Lookup(features, card.Split, examples[0].Name)!.Value;
        if (first.Video.shape[1] != featureSize)
            throw new UserFacingException($"{inputs.Features ?? inputs.Recognition}: the features have {first.Video.shape[1]} channels but the S2T heads read {featureSize}. " +
                                          "Fix: use the features of the TwoStream-SLR these S2T networks were trained on (832 channels at paper width).");

        // 4. Decode and score.
        var options = new DecodeOptions(card.Beam, 1.0, card.MaxLength);
        log.WriteLine($"[4/4] translate: {examples.Length} sentences, {card.Head} ({networks.Count} network{(networks.Count == 1 ? "" : "s")}), beam {card.Beam}, max length {card.MaxLength}, device {device}");
        var translator = new Translator(networks.Select(n => n.Model).ToArray());
        var sw = System.Diagnostics.Stopwatch.StartNew();
        // One clip per batch: the heads' k=3 convolutions read the padded frames after a shorter clip's end, so in a
        // padded batch a clip's translation would depend on its batch-mates (SLRT's batched evaluation has this quirk).
        var evaluation = translator.Evaluate(card.Split, card.Head, examples, options,
            ex => TranslationBatch.Create(ex, folder.Vocabulary, ex.Select(e => Lookup(features, card.Split, e.Name)!.Value)
                .Select(f => gpu ? (f.Video.to(torchDevice), f.Keypoint.to(torchDevice)) : f).ToArray()), batchSize: 1,
            clean: text => MBartFolder.CleanHypothesis(card.Dataset, text),
            progress: done => { if (done % 50 == 0 || done == examples.Length) log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {done}/{examples.Length} sentences, {done / Math.Max(sw.Elapsed.TotalSeconds, 1e-3):F2} per s")); });
        log.WriteLine("  " + evaluation);
        double measured = card.Metric == "rouge_l" ? evaluation.RougeL : evaluation.Bleu.Bleu4;
        var dir = outDir ?? Reproducer.DefaultOut(card);
        evaluation.Save(dir);
        var result = new ReproductionResult(card, measured, card.Passes(measured), combined, null, check, opened.Describe(), dir, clock.Elapsed, Shard.All, evaluation);
        Reproducer.WriteResult(result, string.Join(",", inputs.Checkpoints), dataRoot, device);
        return result;
    }

    /// <summary>
    /// A clip's features: SLRT names Phoenix-2014T records <c>&lt;split&gt;/&lt;name&gt;</c> (spec §9) while the original
    /// layout's clip is <c>&lt;name&gt;</c>, so both are tried.
    /// </summary>
    public static (Tensor Video, Tensor Keypoint)? Lookup(IReadOnlyDictionary<string, (Tensor Video, Tensor Keypoint)> features, string split, string name) =>
        features.TryGetValue(name, out var f) || features.TryGetValue($"{split}/{name}", out f) ? f : null;

    private static IReadOnlyDictionary<string, (Tensor Video, Tensor Keypoint)> Features(ReproductionCard card, TranslationInputs inputs, OpenedCorpus opened, TextWriter log, Device device)
    {
        if (inputs.Features is { } dir)
        {
            var read = SlrtFeatureFile.ReadSplit(dir, card.Split);
            log.WriteLine($"  read {read.Count} clips from {dir}");
            return read;
        }
        var file = StateDictFile.Read(inputs.Recognition!);
        int classes = CheckpointInspector.VocabularySize(file.Tensors)
            ?? throw new UserFacingException($"{inputs.Recognition}: no gloss_output_layer, so this is not a recognition checkpoint. Fix: pass the TwoStream-SLR (S2G) checkpoint with --recognition.");
        var config = Reproducer.EvalConfig(card, classes);
        log.WriteLine($"  extracting with {inputs.Recognition} ({card.Variant}, eval mode, spec §10.3)");
        return new SignFeatureStore(config, inputs.Recognition!) { Device = device }.Split(opened.Corpus, card.Split, null, log, opened.Vocabulary);
    }
}
