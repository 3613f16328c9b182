using SignNotebooks.Util;

namespace SignNotebooks.Translation;

/// <summary>
/// The translation profiles, `with`-expressions over the paper recipe (<see cref="TranslationConfig"/>). `paper` is
/// the released configuration (mbart-large-cc25 sizes; a pretrained, pruned mBART is loaded by the user). The CPU
/// profiles train a small mBART from scratch, so they use the learning rate of a fresh transformer (1e-3) instead
/// of fine-tuning's 1e-5, and lighter dropout on the tiny corpus.
/// </summary>
public static class TranslationProfiles
{
    public static TranslationConfig Get(string profile, TranslationStage stage)
    {
        var paper = new TranslationConfig { Stage = stage, Profile = "paper", Epochs = stage == TranslationStage.Gloss2Text ? 80 : 40 };
        return profile.ToLowerInvariant() switch
        {
            "paper" => paper,
            "standard" => paper with
            {
                // Sign2Text trains on 600 clips (like the joint stage): its features come from one forward of the
                // two-stream model per clip, and three networks train; 1500 clips × 8 epochs took ≈ 10 min per network.
                Profile = "standard", CorpusProfile = "standard", MaxEvalClips = 100,
                MaxTrainClips = stage == TranslationStage.Sign2Text ? 600 : null,
                Model = MBartConfig.Small(0) with { Dropout = 0.1, AttentionDropout = 0.1 },
                Epochs = stage == TranslationStage.Gloss2Text ? 12 : 5,
                LearningRate = 1e-3, HeadLearningRate = 3e-4, MapperLearningRate = 1e-3,
                BatchSize = 16, HeadsFromRecognition = true, MaxOutputLength = 40,
            },
            "tiny" => paper with
            {
                Profile = "tiny", CorpusProfile = "tiny", MaxEvalClips = 8,
                Model = MBartConfig.Tiny(0) with { Dropout = 0.1, AttentionDropout = 0.0 },
                Epochs = stage == TranslationStage.Gloss2Text ? 40 : 6,
                LearningRate = 3e-3, HeadLearningRate = 3e-4, MapperLearningRate = 3e-3,
                BatchSize = 8, HeadsFromRecognition = true, TestBeam = 3, MaxOutputLength = 30,
            },
            _ => throw new UserFacingException($"unknown profile '{profile}'. Fix: use one of tiny, standard, paper."),
        };
    }
}
