using System.Text.Json;
using SignNotebooks.Data;
using SignNotebooks.Util;

namespace SignNotebooks.Translation;

/// <summary>
/// The two vocabularies of a translation model, saved with it as <c>vocab.json</c>.
/// <para>Text (decoder side, word level): mBART's specials <c>&lt;s&gt;</c> 0, <c>&lt;pad&gt;</c> 1, <c>&lt;/s&gt;</c> 2,
/// <c>&lt;unk&gt;</c> 3, the target language code (<c>en_XX</c>), then the words. Words are split on whitespace, so
/// decoding is a join with spaces and the tokens are BLEU's tokens (spec §8.4, <c>tokenize='none'</c>).</para>
/// <para>Gloss (encoder side): the recognition vocabulary's ids unchanged (blank 0, <c>&lt;pad&gt;</c>, <c>&lt;unk&gt;</c>,
/// glosses), then <c>&lt;/s&gt;</c> and the sign-language code appended, so recognition ids and gloss probabilities
/// index the same rows (spec §10.2, §10.4: the gloss input ends with <c>&lt;/s&gt;</c> and the source-language code).</para>
/// </summary>
public sealed class TranslationVocabulary
{
    public const string Bos = "<s>", Pad = "<pad>", Eos = "</s>", Unk = "<unk>";
    public const int BosId = 0, PadId = 1, EosId = 2, UnkId = 3;

    private readonly Dictionary<string, int> _text;
    private readonly Dictionary<string, int> _gloss;
    private readonly MBartTextTokenizer? _sentencePiece;

    /// <summary>Text tokens by id.</summary>
    public IReadOnlyList<string> TextTokens { get; }
    /// <summary>Gloss-side tokens by id (the recognition vocabulary, then <c>&lt;/s&gt;</c> and <see cref="SourceLanguage"/>).</summary>
    public IReadOnlyList<string> GlossTokens { get; }
    public string TargetLanguage { get; }
    public string SourceLanguage { get; }
    /// <summary>Size of the recognition vocabulary (classifier V) the gloss side starts with.</summary>
    public int RecognitionSize { get; }

    public int TargetLanguageId => _text[TargetLanguage];
    public int GlossEosId => _gloss[Eos];
    public int SourceLanguageId => _gloss[SourceLanguage];
    public int GlossPadId { get; }
    public int GlossUnkId { get; }

    /// <param name="sentencePiece">A real mBART's text side: text ids are its (pruned) ids and decode through SentencePiece.</param>
    public TranslationVocabulary(IReadOnlyList<string> textTokens, IReadOnlyList<string> glossTokens, string targetLanguage, string sourceLanguage,
                                 int recognitionSize, string source = "vocab.json", MBartTextTokenizer? sentencePiece = null)
    {
        _sentencePiece = sentencePiece;
        TextTokens = textTokens;
        GlossTokens = glossTokens;
        TargetLanguage = targetLanguage;
        SourceLanguage = sourceLanguage;
        RecognitionSize = recognitionSize;
        _text = Index(textTokens, source, "text");
        _gloss = Index(glossTokens, source, "gloss");
        string[] specials = [Bos, Pad, Eos, Unk];
        for (int i = 0; i < specials.Length; i++)
            if (textTokens.Count <= i || textTokens[i] != specials[i])
                throw new UserFacingException($"{source}: text token {i} must be '{specials[i]}' (mBART's specials come first). Fix: rebuild the vocabulary.");
        if (!_text.ContainsKey(targetLanguage) || !_gloss.ContainsKey(sourceLanguage) || !_gloss.ContainsKey(Eos))
            throw new UserFacingException($"{source}: the language codes '{targetLanguage}'/'{sourceLanguage}' or the gloss '</s>' are missing. Fix: rebuild the vocabulary.");
        GlossPadId = _gloss.TryGetValue(Pad, out var p) ? p : GlossEosId;
        GlossUnkId = _gloss.TryGetValue(Unk, out var u) ? u : GlossPadId;
    }

    /// <summary>
    /// The vocabularies of a released mBART (spec §10.1): text ids are the SentencePiece tokenizer's (pruned) ids and
    /// decode through SentencePiece; the gloss side is the corpus's gloss vocabulary as it is (its <c>&lt;/s&gt;</c> and
    /// sign-language code included, appended only when absent).
    /// </summary>
    public static TranslationVocabulary FromMBart(MBartTextTokenizer tokenizer, Vocabulary glosses, string targetLanguage, string sourceLanguage, string source)
    {
        var gloss = Enumerable.Range(0, glosses.Count).Select(glosses.Decode).ToList();
        if (!gloss.Contains(Eos)) gloss.Add(Eos);
        if (!gloss.Contains(sourceLanguage)) gloss.Add(sourceLanguage);
        return new TranslationVocabulary(tokenizer.Tokens, gloss, targetLanguage, sourceLanguage, glosses.Count, source, tokenizer);
    }

    /// <summary>True when text ids are a real mBART's SentencePiece ids (<see cref="FromMBart"/>), which <see cref="Save"/> cannot write.</summary>
    public bool IsSentencePiece => _sentencePiece is not null;

    private static Dictionary<string, int> Index(IReadOnlyList<string> tokens, string source, string side)
    {
        var d = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < tokens.Count; i++)
            if (!d.TryAdd(tokens[i], i))
                throw new UserFacingException($"{source}: {side} token '{tokens[i]}' appears twice. Fix: keep one entry per token.");
        return d;
    }

    /// <summary>
    /// Builds both sides: the gloss side from the recognition vocabulary, the text side from every sentence given
    /// (SLRT prunes mBART's vocabulary to the ids of all splits' texts, spec §10.1), words in first-seen order.
    /// </summary>
    public static TranslationVocabulary Build(Vocabulary recognition, IEnumerable<string> sentences, string targetLanguage = "en_XX", string sourceLanguage = "sgn_SYN")
    {
        var text = new List<string> { Bos, Pad, Eos, Unk, targetLanguage };
        var seen = new HashSet<string>(text, StringComparer.Ordinal);
        foreach (var s in sentences)
            foreach (var w in Words(s))
                if (seen.Add(w)) text.Add(w);
        var gloss = Enumerable.Range(0, recognition.Count).Select(recognition.Decode).ToList();
        // A real corpus's gloss vocabulary already holds </s> and its language codes (spec §6); SynthSign's does not.
        if (!gloss.Contains(Eos)) gloss.Add(Eos);
        if (!gloss.Contains(sourceLanguage)) gloss.Add(sourceLanguage);
        return new TranslationVocabulary(text, gloss, targetLanguage, sourceLanguage, recognition.Count);
    }

    private static string[] Words(string s) => s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Text → word ids (no specials); unknown words → <c>&lt;unk&gt;</c>.</summary>
    public int[] EncodeText(string text) => _sentencePiece is not null ? _sentencePiece.Encode(text) : Words(text).Select(w => _text.TryGetValue(w, out var id) ? id : UnkId).ToArray();

    /// <summary>Word ids → text; specials (<c>&lt;/s&gt;</c>, language codes, padding) are dropped.</summary>
    public string DecodeText(IEnumerable<int> ids) => _sentencePiece is not null ? _sentencePiece.Decode(ids) :
        string.Join(' ', ids.Where(i => i > UnkId && i != TargetLanguageId && i < TextTokens.Count).Select(i => TextTokens[i]));

    /// <summary>Glosses → gloss-side ids (unknown → <c>&lt;unk&gt;</c>), without the appended <c>&lt;/s&gt;</c>/language code.</summary>
    /// <remarks>A gloss not found as written is looked up lower-cased: Phoenix-2014T and CSL-Daily vocabularies are lower case (spec §6).</remarks>
    public int[] EncodeGlosses(IEnumerable<string> glosses) => glosses.Select(g =>
        _gloss.TryGetValue(g, out var id) || _gloss.TryGetValue(g.ToLowerInvariant(), out id) ? id : GlossUnkId).ToArray();

    public void Save(string path)
    {
        if (IsSentencePiece)
            throw new InvalidOperationException("a SentencePiece vocabulary lives in its mBART folder (sentencepiece.bpe.model, map_ids.pkl); it is not saved as vocab.json");
        File.WriteAllText(path, JsonSerializer.Serialize(new VocabFile(TextTokens.ToArray(), GlossTokens.ToArray(), TargetLanguage, SourceLanguage, RecognitionSize),
            new JsonSerializerOptions { WriteIndented = true }));
    }

    public static TranslationVocabulary Load(string path)
    {
        VocabFile? f;
        try { f = JsonSerializer.Deserialize<VocabFile>(File.ReadAllText(path)); }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            throw new UserFacingException($"{path}: cannot read the translation vocabulary ({e.Message}). Fix: use the vocab.json written with the checkpoint.");
        }
        if (f is null || f.Text is null || f.Gloss is null)
            throw new UserFacingException($"{path}: not a translation vocabulary (needs Text and Gloss lists). Fix: use the vocab.json written with the checkpoint.");
        return new TranslationVocabulary(f.Text, f.Gloss, f.TargetLanguage, f.SourceLanguage, f.RecognitionSize, path);
    }

    private sealed record VocabFile(string[] Text, string[] Gloss, string TargetLanguage, string SourceLanguage, int RecognitionSize);
}
