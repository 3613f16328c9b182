using Microsoft.ML.Tokenizers;
using SignNotebooks.Util;

namespace SignNotebooks.Translation;

/// <summary>
/// The text side of a real mBART (spec §10.1): SentencePiece (Microsoft.ML.Tokenizers) plus fairseq's id layout as
/// Hugging Face's <c>MBartTokenizer</c> has it — <c>&lt;s&gt;</c> 0, <c>&lt;pad&gt;</c> 1, <c>&lt;/s&gt;</c> 2, <c>&lt;unk&gt;</c> 3,
/// SentencePiece piece k (k ≥ 3) at k + 1, then the 25 language codes and <c>&lt;mask&gt;</c> (mbart-large-cc25: 250,027
/// ids) — and optionally the pruning map that turns these ids into a pruned model's ids.
/// </summary>
public sealed class MBartTextTokenizer
{
    /// <summary>mbart-large-cc25's language codes in id order (fairseq's list).</summary>
    public static readonly string[] LanguageCodes =
    [
        "ar_AR", "cs_CZ", "de_DE", "en_XX", "es_XX", "et_EE", "fi_FI", "fr_XX", "gu_IN", "hi_IN", "it_IT", "ja_XX", "kk_KZ",
        "ko_KR", "lt_LT", "lv_LV", "my_MM", "ne_NP", "nl_XX", "ro_RO", "ru_RU", "si_LK", "tr_TR", "vi_VN", "zh_CN",
    ];
    private const int FairseqOffset = 1;

    private readonly SentencePieceTokenizer _spm;
    private readonly int _pieces;
    private readonly string[] _pieceNames;

    /// <summary>The pruning map, or null for the full vocabulary.</summary>
    public MBartPruneMap? Prune { get; }

    /// <param name="sentencePieceModel">The <c>sentencepiece.bpe.model</c> stream.</param>
    /// <param name="pieceCount">Pieces in the SentencePiece model (250,000 for mbart-large-cc25); null = the model's own count.</param>
    public MBartTextTokenizer(Stream sentencePieceModel, int? pieceCount = null, MBartPruneMap? prune = null)
    {
        try { _spm = SentencePieceTokenizer.Create(sentencePieceModel, false, false); }
        catch (Exception e) when (e is not UserFacingException)
        {
            throw new UserFacingException($"the SentencePiece model cannot be read ({e.GetType().Name}: {e.Message}). Fix: pass mBART's sentencepiece.bpe.model.", e);
        }
        _pieceNames = new string[_spm.Vocabulary.Count];
        foreach (var (piece, id) in _spm.Vocabulary)
            if (id >= 0 && id < _pieceNames.Length) _pieceNames[id] = piece;
        _pieces = pieceCount ?? _pieceNames.Length;
        Prune = prune;
        if (prune is not null && prune.NewToOld.Max() >= FullVocabularySize)
            throw new UserFacingException($"the prune map keeps id {prune.NewToOld.Max()}, but this SentencePiece model gives only {FullVocabularySize} ids. " +
                                          "Fix: use the map_ids.pkl and sentencepiece.bpe.model of the same mBART folder.");
    }

    /// <summary>Pieces in the SentencePiece model (fairseq ids follow from it).</summary>
    public int PieceCount => _pieces;

    /// <summary>The token a full-vocabulary id stands for: a special, a SentencePiece piece, a language code or &lt;mask&gt;.</summary>
    public string FullToken(int fullId) => fullId switch
    {
        TranslationVocabulary.BosId => TranslationVocabulary.Bos,
        TranslationVocabulary.PadId => TranslationVocabulary.Pad,
        TranslationVocabulary.EosId => TranslationVocabulary.Eos,
        TranslationVocabulary.UnkId => TranslationVocabulary.Unk,
        _ when fullId == MaskFullId => "<mask>",
        _ when fullId >= _pieces + FairseqOffset && fullId < MaskFullId => LanguageCodes[fullId - (_pieces + FairseqOffset)],
        _ when fullId - FairseqOffset < _pieceNames.Length && fullId > TranslationVocabulary.UnkId => _pieceNames[fullId - FairseqOffset] ?? $"<piece {fullId - FairseqOffset}>",
        _ => throw new ArgumentOutOfRangeException(nameof(fullId), fullId, $"full ids are 0..{FullVocabularySize - 1}"),
    };

    /// <summary>The model's tokens by model id (pruned when a map is set).</summary>
    public IReadOnlyList<string> Tokens => Enumerable.Range(0, VocabularySize).Select(id => FullToken(Prune is null ? id : Prune.ToOld(id))).ToList();

    /// <summary>Model id of a language code (pruned when a map is set).</summary>
    public int LanguageId(string code)
    {
        int full = LanguageFullId(code);
        return Prune is null ? full : Prune.ToNew(full)
            ?? throw new UserFacingException($"the prune map drops the language code {code} (full id {full}). Fix: use the map_ids.pkl written with this mBART folder.");
    }

    /// <summary>Ids of the full (unpruned) vocabulary: specials, pieces, language codes, mask.</summary>
    public int FullVocabularySize => _pieces + FairseqOffset + LanguageCodes.Length + 1;
    public int VocabularySize => Prune?.Count ?? FullVocabularySize;
    public int MaskFullId => _pieces + FairseqOffset + LanguageCodes.Length;

    /// <summary>Full-vocabulary id of a language code (e.g. en_XX 250004 in mbart-large-cc25).</summary>
    public int LanguageFullId(string code)
    {
        int i = Array.IndexOf(LanguageCodes, code);
        if (i < 0) throw new UserFacingException($"'{code}' is not an mBART language code. Fix: use one of {string.Join(", ", LanguageCodes)}.");
        return _pieces + FairseqOffset + i;
    }

    /// <summary>The ids a pruned vocabulary always keeps: the 4 specials, the language codes, the mask.</summary>
    public IEnumerable<int> AlwaysKept => Enumerable.Range(0, 4).Concat(LanguageCodes.Select(LanguageFullId)).Append(MaskFullId);

    /// <summary>Text → full-vocabulary ids (no &lt;/s&gt; or language code).</summary>
    /// <remarks>
    /// NFKC first: SentencePiece's default normaliser (nmt_nfkc, which mBART's model uses) maps e.g. full-width "，？" to
    /// ", ?" before it looks pieces up, and Microsoft.ML.Tokenizers 2.0.1 does not apply the model's normaliser, so
    /// without this a Chinese comma would become &lt;unk&gt;.
    /// </remarks>
    public int[] EncodeFull(string text) =>
        _spm.EncodeToIds(text.Normalize(System.Text.NormalizationForm.FormKC), addBeginningOfSentence: false, addEndOfSentence: false).Select(ToFairseq).ToArray();

    /// <summary>Text → model ids (pruned when a map is set; pieces pruned away become &lt;unk&gt;).</summary>
    public int[] Encode(string text) =>
        EncodeFull(text).Select(id => Prune is null ? id : Prune.ToNew(id) ?? TranslationVocabulary.UnkId).ToArray();

    /// <summary>Model ids → text; specials, language codes and the mask are skipped.</summary>
    public string Decode(IEnumerable<int> ids)
    {
        var spm = ids.Select(id => Prune is null ? id : Prune.ToOld(id))
            .Where(id => id > TranslationVocabulary.UnkId && id < _pieces + FairseqOffset)
            .Select(id => id - FairseqOffset);
        return _spm.Decode(spm) ?? "";
    }

    // SentencePiece's own <unk> (id 0) is fairseq's 3; every other piece moves up by the offset.
    private static int ToFairseq(int spmId) => spmId == 0 ? TranslationVocabulary.UnkId : spmId + FairseqOffset;
}
