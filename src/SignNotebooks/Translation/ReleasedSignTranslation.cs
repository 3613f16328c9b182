using SignNotebooks.Checkpoints;
using SignNotebooks.Models;
using SignNotebooks.Util;
using static TorchSharp.torch;

namespace SignNotebooks.Translation;

/// <summary>One released S2T network loaded for evaluation, with the report of its strict load.</summary>
public sealed record ReleasedNetwork(string Checkpoint, TranslationSource Source, SignTranslationModel Model, LoadReport Report, int FeatureSize);

/// <summary>
/// Loads SLRT's released TwoStream-SLT checkpoints (spec §10.4, §12): a <c>.ckpt</c> whose <c>model_state</c> holds
/// <c>recognition_network.visual_head*</c> (feature mode), <c>vl_mapper.*</c> and <c>translation_network.*</c> (the
/// pruned mBART and the gloss embedding), into <see cref="SignTranslationModel"/> by name. Sizes come from the
/// file (feature channels, classifier V, mapper kind) and the <see cref="MBartFolder"/> (mBART sizes, text
/// vocabulary); anything that does not fit is named before a tensor is copied.
/// </summary>
public static class ReleasedSignTranslation
{
    private const string Shared = "translation_network.model.model.shared.weight", Fc1 = "recognition_network.visual_head.fc1.weight",
        Classifier = "recognition_network.visual_head.gloss_output_layer.weight";

    /// <summary>The SPN heads feature mode builds but never runs (spec §10.4): kept out of the strict load and listed as ignored.</summary>
    private static bool Unused(string key) =>
        key.StartsWith("recognition_network.visual_head_remain.", StringComparison.Ordinal) ||
        key.StartsWith("recognition_network.visual_head_keypoint_remain.", StringComparison.Ordinal);

    /// <param name="source">Which head's output this network translates (SLRT's <c>gloss_feature_ensemble</c>; video, keypoint or joint).</param>
    /// <param name="recognition">The recognition network the features come from (the card's variant); head sizes are read from the file.</param>
    public static ReleasedNetwork Load(string checkpoint, MBartFolder folder, TranslationSource source, ModelConfig recognition)
    {
        if (!File.Exists(checkpoint))
            throw new UserFacingException($"{checkpoint}: file not found. Fix: pass the released S2T checkpoints (video, keypoint, joint) with --checkpoint V,K,J.");
        var file = StateDictFile.Read(checkpoint);
        var t = file.Tensors;
        if (!t.ContainsKey(Shared))
            throw new UserFacingException($"{checkpoint}: no {Shared}, so this is not a TwoStream-SLT (S2T) checkpoint" +
                                          (t.Keys.Any(k => k.Contains("visual_backbone", StringComparison.Ordinal)) ? " (it holds a recognition backbone: an S2G checkpoint; pass it with --recognition)" : "") +
                                          ". Fix: pass the three S2T checkpoints with --checkpoint V,K,J.");
        if (!t.TryGetValue(Fc1, out var fc1) || !t.TryGetValue(Classifier, out var classifier))
            throw new UserFacingException($"{checkpoint}: no {Fc1} / {Classifier}: the recognition heads of feature mode are missing. Fix: pass a TwoStream S2T checkpoint (spec §12).");
        var mapper = t.ContainsKey("vl_mapper.mapping.0.weight") ? MapperKind.Projection
            : t.ContainsKey("vl_mapper.mapping.weight") ? MapperKind.GlossProbabilities
            : throw new UserFacingException($"{checkpoint}: no vl_mapper.mapping.0.weight (projection) or vl_mapper.mapping.weight (gloss probabilities). Fix: pass a TwoStream S2T checkpoint (spec §10.4).");
        int classes = (int)classifier.shape[0], text = (int)t[Shared].shape[0];
        if (classes != folder.Glosses.Count)
            throw new UserFacingException($"{checkpoint}: the recognition heads have {classes} classes but {folder.GlossSource} has {folder.Glosses.Count} glosses. " +
                                          "Fix: use the gloss2ids.pkl this checkpoint was trained with (the mBART folder's, spec §6).");
        if (text != folder.Tokenizer.VocabularySize)
            throw new UserFacingException($"{checkpoint}: the mBART embedding has {text} rows but {folder.Dir} prunes to {folder.Tokenizer.VocabularySize} ids. " +
                                          "Fix: use the mBART folder of this checkpoint's dataset (mBart_de for Phoenix-2014T, mBart_zh for CSL-Daily).");
        var config = new TranslationConfig
        {
            Stage = TranslationStage.Sign2Text, Source = source, Mapper = mapper,
            Model = folder.Config with { VocabularySize = text },
        };
        int featureSize = (int)fc1.shape[1];
        // The heads' sizes are the file's (paper: 512 / 2048 / 5000); the variant supplies the rest of the head's settings.
        var heads = recognition with
        {
            VocabularySize = classes, HeadHidden = (int)fc1.shape[0],
            HeadFeedForward = t.TryGetValue("recognition_network.visual_head.feedforward.pwff_layer.0.weight", out var ff) ? (int)ff.shape[0] : recognition.HeadFeedForward,
            PositionalMaxLength = t.TryGetValue("recognition_network.visual_head.pe.pe", out var pe) ? (int)pe.shape[1] : recognition.PositionalMaxLength,
        };
        var model = new SignTranslationModel(config, folder.Vocabulary, (heads, featureSize));
        var used = new StateDictFile(file.Path, t.Where(kv => !Unused(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value), file.Container, file.OtherEntries);
        var report = ModuleLoader.Load(model, used, strict: true, format: "SLRT S2T checkpoint");
        report.Ignored.AddRange(t.Keys.Where(Unused).Order(StringComparer.Ordinal));
        model.eval();
        return new ReleasedNetwork(checkpoint, source, model, report, featureSize);
    }
}
