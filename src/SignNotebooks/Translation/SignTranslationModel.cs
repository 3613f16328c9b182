using TorchSharp;
using SignNotebooks.Models;
using SignNotebooks.Models.Heads;
using SignNotebooks.Models.Losses;
using SignNotebooks.Util;
using static TorchSharp.torch;

namespace SignNotebooks.Translation;

/// <summary>
/// One TwoStream-SLT network with SLRT's top-level names (spec §12): <c>translation_network</c> always;
/// for Sign2Text also <c>recognition_network</c> (<see cref="FeatureHeads"/>) and <c>vl_mapper</c>. Gloss2Text
/// encodes gloss ids; Sign2Text encodes the chosen head's gloss features (or probabilities) through the mapper.
/// </summary>
public sealed class SignTranslationModel : nn.Module<Tensor, Tensor>
{
    private readonly TranslationNetwork translation_network;
    private readonly FeatureHeads? recognition_network;
    private readonly VLMapper? vl_mapper;

    public TranslationConfig Config { get; }
    public TranslationVocabulary Vocabulary { get; }

    /// <param name="recognition">Sign2Text: the recognition model's config (head sizes, V) and C4 feature size.</param>
    public SignTranslationModel(TranslationConfig config, TranslationVocabulary vocabulary, (ModelConfig Model, int FeatureSize)? recognition = null)
        : base(nameof(SignTranslationModel))
    {
        Config = config;
        Vocabulary = vocabulary;
        translation_network = new TranslationNetwork(config.Model, vocabulary);
        if (config.Stage == TranslationStage.Sign2Text)
        {
            var (model, featureSize) = recognition ?? throw new ArgumentException("Sign2Text needs the recognition model's config and feature size", nameof(recognition));
            if (model.VocabularySize != vocabulary.RecognitionSize)
                throw new UserFacingException($"the recognition model has {model.VocabularySize} classes but the translation vocabulary was built for {vocabulary.RecognitionSize}. Fix: use the recognition run of the same corpus.");
            recognition_network = new FeatureHeads(featureSize, model);
            vl_mapper = new VLMapper(config.Mapper, config.Mapper == MapperKind.Projection ? model.HeadHidden : model.VocabularySize, config.Model.DModel);
            if (config.Mapper == MapperKind.GlossProbabilities) vl_mapper.InitFromGlossEmbedding(translation_network.GlossEmbeddingWeight);
        }
        RegisterComponents();
    }

    public TranslationNetwork Translation => translation_network;
    public FeatureHeads? Heads => recognition_network;
    public VLMapper? Mapper => vl_mapper;

    /// <summary>The encoder input of a batch, plus (Sign2Text) the three heads' outputs for the CTC losses.</summary>
    public (Tensor Encoder, Tensor Mask, (HeadOutput Video, HeadOutput Keypoint, HeadOutput Joint)? Heads) Encode(TranslationBatch batch)
    {
        Tensor embeds, mask;
        (HeadOutput, HeadOutput, HeadOutput)? heads = null;
        if (recognition_network is null)
            (embeds, mask) = translation_network.GlossInput(batch.GlossIds, batch.GlossLengths);
        else
        {
            if (batch.Video is null || batch.Keypoint is null || batch.FeatureLengths is null)
                throw new InvalidOperationException("a Sign2Text batch needs features");
            var lengths = torch.tensor(batch.FeatureLengths, device: batch.Video.device);
            var h = recognition_network.Run(batch.Video, batch.Keypoint, lengths);
            heads = h;
            var source = Config.Source switch { TranslationSource.Video => h.Video, TranslationSource.Keypoint => h.Keypoint, _ => h.Joint };
            var input = Config.Mapper == MapperKind.Projection ? source.GlossFeature! : source.Probs;
            (embeds, mask) = translation_network.FeatureInput(vl_mapper!.call(input), batch.FeatureLengths);
        }
        return (translation_network.Encode(embeds, mask), mask, heads);
    }

    /// <summary>
    /// Training loss terms: <c>translation</c>, and for Sign2Text <c>ctc_video</c>, <c>ctc_keypoint</c>, <c>ctc_joint</c>
    /// (spec §10.4). A clip whose gloss target its feature length cannot emit gets a zero CTC loss and gradient (spec §6
    /// <c>zero_infinity</c>, as in recognition) and is listed in <c>ZeroedCtcClips</c> by batch index; with
    /// <paramref name="throwOnImpossibleCtc"/> (the recognition run's <c>Loss.ThrowOnImpossibleTarget</c>) it throws.
    /// </summary>
    public (Tensor Total, Dictionary<string, Tensor> Terms, IReadOnlyList<int> ZeroedCtcClips) Loss(TranslationBatch batch, bool throwOnImpossibleCtc = false)
    {
        var (encoder, mask, heads) = Encode(batch);
        var (logits, labels) = translation_network.TeacherForced(encoder, mask, batch.TextIds);
        var terms = new Dictionary<string, Tensor> { ["translation"] = TranslationLoss.Compute(logits, labels, Config.LabelSmoothing) };
        var total = terms["translation"].mul(KeptScalars.F(Config.TranslationLossWeight));
        var zeroed = new SortedSet<int>();
        if (heads is { } h)
        {
            var (targets, targetLengths) = batch.CtcTargets();
            foreach (var (name, head) in new[] { ("ctc_video", h.Video), ("ctc_keypoint", h.Keypoint), ("ctc_joint", h.Joint) })
            {
                terms[name] = CtcLoss.Compute(head.LogProbs, head.ValidLengths, targets, targetLengths, name, throwOnImpossibleCtc, zeroed);
                total = total.add(terms[name], KeptScalars.F(Config.RecognitionLossWeight));
            }
        }
        return (total, terms, zeroed.ToArray());
    }

    /// <summary>
    /// The next-word step function of one sentence of an encoded batch, expanded over beams (for
    /// <see cref="BeamSearch"/>, alone or in an ensemble).
    /// </summary>
    public Func<Tensor, Tensor> StepFunction(Tensor encoder, Tensor mask, int index)
    {
        var enc = encoder[index].unsqueeze(0);  // (T, d) -> (1, T, d)
        var m = mask[index].unsqueeze(0);       // (T) -> (1, T)
        return prefixes => translation_network.NextLogProbs(enc.expand(prefixes.shape[0], -1, -1), m.expand(prefixes.shape[0], -1), prefixes);
    }

    /// <summary>The cached step of one sentence of an encoded batch (what <see cref="Translator"/> decodes with); dispose it after the sentence.</summary>
    public CachedStep CachedStepFunction(Tensor encoder, Tensor mask, int index) =>
        translation_network.Cached(encoder[index].unsqueeze(0), mask[index].unsqueeze(0)); // (T, d) -> (1, T, d); (T) -> (1, T)

    /// <summary>Ids never generated: &lt;s&gt;, &lt;pad&gt;, the language code.</summary>
    public int[] Forbidden => [TranslationVocabulary.BosId, TranslationVocabulary.PadId, Vocabulary.TargetLanguageId];

    public override Tensor forward(Tensor x) => throw new NotSupportedException("use Encode, Loss or Translator.");
}
