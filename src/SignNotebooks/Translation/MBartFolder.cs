using SignNotebooks.Corpora;
using SignNotebooks.Data;
using SignNotebooks.Util;

namespace SignNotebooks.Translation;

/// <summary>
/// A released, vocabulary-pruned mBART folder as SLRT ships it (spec §9: <c>pretrained_models/mBart_de/</c> or
/// <c>mBart_zh/</c>): <c>config.json</c> (sizes, the pruned <c>vocab_size</c>), <c>sentencepiece.bpe.model</c>,
/// the prune map <c>map_ids.pkl</c> (old id → new id) and <c>gloss2ids.pkl</c>. The weights come from the S2T
/// checkpoints, which hold the whole <c>translation_network</c>; the folder supplies what turns ids into text.
/// </summary>
public sealed class MBartFolder
{
    public string Dir { get; }
    public MBartConfig Config { get; }
    public MBartTextTokenizer Tokenizer { get; }
    /// <summary>The gloss vocabulary of the S2T networks (recognition heads and gloss embedding).</summary>
    public Vocabulary Glosses { get; }
    /// <summary>Where <see cref="Glosses"/> came from.</summary>
    public string GlossSource { get; }
    public TranslationVocabulary Vocabulary { get; }

    private MBartFolder(string dir, MBartConfig config, MBartTextTokenizer tokenizer, Vocabulary glosses, string glossSource, TranslationVocabulary vocabulary) =>
        (Dir, Config, Tokenizer, Glosses, GlossSource, Vocabulary) = (dir, config, tokenizer, glosses, glossSource, vocabulary);

    /// <summary>SLRT's language codes per corpus (spec §10.1): target text language, sign-language code of the gloss side.</summary>
    public static (string Target, string Source) Languages(string dataset) => dataset switch
    {
        "phoenix-2014t" => ("de_DE", "de_DGS"),
        "csl-daily" => ("zh_CN", "zh_CSL"),
        _ => throw new UserFacingException($"{dataset} has no translations, so no mBART folder belongs to it. Fix: use phoenix-2014t (mBart_de) or csl-daily (mBart_zh)."),
    };

    /// <param name="corpusGlosses">The corpus's gloss vocabulary, used when the folder has no gloss2ids.pkl.</param>
    public static MBartFolder Open(string dir, string dataset, Vocabulary? corpusGlosses = null, string? corpusGlossSource = null)
    {
        var (target, source) = Languages(dataset);
        string expected = dataset == "csl-daily" ? "mBart_zh" : "mBart_de";
        if (!Directory.Exists(dir))
            throw new UserFacingException($"{dir}: mBART folder not found. Fix: pass SLRT's pretrained_models/{expected}/ (config.json, sentencepiece.bpe.model, map_ids.pkl, gloss2ids.pkl) with --mbart.");
        string Need(string name)
        {
            var p = Path.Combine(dir, name);
            return File.Exists(p) ? p : throw new UserFacingException($"{dir}: no {name}. Fix: pass the whole {expected}/ folder of SLRT's pretrained_models (spec §9), which holds it.");
        }
        var config = MBartConfig.FromHuggingFaceJson(Need("config.json"));
        var prunePath = Path.Combine(dir, "map_ids.pkl");
        var prune = File.Exists(prunePath) ? MBartPruneMap.Read(prunePath) : null;
        MBartTextTokenizer tokenizer;
        using (var spm = File.OpenRead(Need("sentencepiece.bpe.model"))) tokenizer = new MBartTextTokenizer(spm, prune: prune);
        if (tokenizer.VocabularySize != config.VocabularySize)
            throw new UserFacingException(prune is null
                ? $"{dir}: config.json says vocab_size {config.VocabularySize}, the SentencePiece model gives {tokenizer.VocabularySize} ids and there is no map_ids.pkl. Fix: a pruned mBART needs its map_ids.pkl (old id → new id) in the folder."
                : $"{dir}: config.json says vocab_size {config.VocabularySize} but map_ids.pkl keeps {tokenizer.VocabularySize} ids. Fix: use the config.json and map_ids.pkl of the same pruned folder.");
        var glossPath = Path.Combine(dir, "gloss2ids.pkl");
        var glosses = File.Exists(glossPath) ? GlossIdsFile.Read(glossPath, dataset)
            : corpusGlosses ?? throw new UserFacingException($"{dir}: no gloss2ids.pkl, and no corpus vocabulary was given. Fix: put SLRT's gloss2ids.pkl in {dir}.");
        var glossSource = File.Exists(glossPath) ? glossPath : corpusGlossSource ?? "the corpus's gloss vocabulary";
        tokenizer.LanguageId(target);
        var vocabulary = TranslationVocabulary.FromMBart(tokenizer, glosses, target, source, dir);
        return new MBartFolder(dir, config, tokenizer, glosses, glossSource, vocabulary);
    }

    // transformers' clean_up_tokenization, which SLRT's batch_decode applies by default: spaces before punctuation and
    // English contractions go.
    private static readonly (string From, string To)[] TokenizationCleanUp =
        [(" .", "."), (" ?", "?"), (" !", "!"), (" ,", ","), (" ' ", "'"), (" n't", "n't"), (" 'm", "'m"), (" 's", "'s"), (" 've", "'ve"), (" 're", "'re")];

    /// <summary>
    /// The text SLRT scores (spec §8.4): the decoded text after transformers' tokenization clean-up (its
    /// <c>batch_decode</c> default), then for German a final "." glued to the last word becomes " ." as the
    /// Phoenix-2014T references end; CSL-Daily text is split into characters for its character-level scores.
    /// </summary>
    public static string CleanHypothesis(string dataset, string text)
    {
        text = text.Trim();
        foreach (var (from, to) in TokenizationCleanUp) text = text.Replace(from, to, StringComparison.Ordinal);
        if (dataset == "csl-daily") return TranslationExample.Characters(text);
        return text.Length > 1 && text[^1] == '.' && !char.IsWhiteSpace(text[^2]) ? text[..^1] + " ." : text;
    }
}
