using System.Text.RegularExpressions;
using SignNotebooks.Util;

namespace SignNotebooks.Evaluation;

/// <summary>Which gloss clean-up to apply to hypothesis and reference before WER (spec §8.3).</summary>
public enum GlossCleanup
{
    /// <summary>Text scored as given.</summary>
    None,
    /// <summary>spec §8.3 Phoenix-2014: port of the official sed script (upper-case glosses).</summary>
    Phoenix2014,
    /// <summary>spec §8.3 Phoenix-2014T: upper-case first, then the 2014T rules (with their quirks).</summary>
    Phoenix2014T,
    /// <summary>spec §8.3 CSL-Daily: no cleaning, only the upper-casing SLRT applies before WER.</summary>
    CslDaily,
}

/// <summary>The clean-up rules of spec §8.3, applied in the spec's order.</summary>
public static class GlossCleaner
{
    private const RegexOptions Opts = RegexOptions.CultureInvariant;
    private static Regex R(string pattern) => new(pattern, Opts);

    // spec §8.3 step 5 (shared by 2014 and 2014T): join spelled single letters with '+'.
    private static readonly (Regex re, string by, int times)[] LetterJoins =
    [
        (R(@"^([A-Z]) ([A-Z][+ ])"), "$1+$2", 1),
        (R(@"[ +]([A-Z]) ([A-Z]) "), " $1+$2 ", 1),
        (R(@"([ +][A-Z]) ([A-Z][ +])"), "$1+$2", 3),
        (R(@"([ +]SCH) ([A-Z][ +])"), "$1+$2", 1),
        (R(@"([ +]NN) ([A-Z][ +])"), "$1+$2", 1),
        (R(@"([ +][A-Z]) (NN[ +])"), "$1+$2", 1),
        (R(@"([ +][A-Z]) ([A-Z])$"), "$1+$2", 1),
    ];

    private static readonly Regex Spaces = R(" +");
    // spec §8.3 step 7: an all-caps word repeated right after itself, when neither copy is part of a compound.
    private static readonly Regex RepeatedWord = R(@"(?<![\w-])(\b[A-Z]+(?![\w-])) \1(?![\w-])");

    private static readonly Regex P14Prefixes = R("loc-|cl-|qu-|poss-|lh-");
    private static readonly Regex P14Markers = R("__EMOTION__|__PU__|__LEFTHAND__");
    private static readonly Regex P14Raum = R("([A-Z][A-Z])RAUM");

    private static readonly Regex P14TMarkers = R("__LEFTHAND__|__EPENTHESIS__|__EMOTION__");
    private static readonly Regex P14TAnyMarker = R(@"\b__[^_ ]*__\b");
    private static readonly Regex P14TLoc = R(@"\bloc-([^ ]*)\b");
    private static readonly Regex P14TCl = R(@"\bcl-([^ ]*)\b");
    private static readonly Regex P14TPlusPlus = R(@"\b([^ ]*)-PLUSPLUS\b");
    private static readonly Regex P14TRaum = R(@"\b([A-Z][A-Z]*)RAUM\b");

    public static string Clean(string text, GlossCleanup cleanup) => cleanup switch
    {
        GlossCleanup.None => text,
        GlossCleanup.Phoenix2014 => CleanPhoenix2014(text),
        GlossCleanup.Phoenix2014T => CleanPhoenix2014T(text),
        GlossCleanup.CslDaily => PythonUpper(text),
        _ => throw new ArgumentOutOfRangeException(nameof(cleanup)),
    };

    /// <summary>spec §8.3 Phoenix-2014, steps 1–9.</summary>
    public static string CleanPhoenix2014(string s)
    {
        s = s.Trim();
        s = P14Prefixes.Replace(s, "");
        s = s.Replace("S0NNE", "SONNE").Replace("HABEN2", "HABEN");
        s = P14Markers.Replace(s, "");
        s = s.Replace("WIE AUSSEHEN", "WIE-AUSSEHEN").Replace("ZEIGEN ", "ZEIGEN-BILDSCHIRM ");
        if (s.EndsWith("ZEIGEN", StringComparison.Ordinal)) s += "-BILDSCHIRM";
        s = JoinLetters(s);
        s = P14Raum.Replace(s, "$1");
        s = s.Replace("-PLUSPLUS", "");
        s = RemoveRepeatedWords(s);
        foreach (var marker in new[] { "__LEFTHAND__", "__EPENTHESIS__", "__EMOTION__" })
            if (s.Contains(marker, StringComparison.Ordinal))
                throw new UserFacingException($"Phoenix-2014 clean-up left '{marker}' in \"{s}\" (SLRT asserts it never remains); remove that token or score with --cleanup none.");
        return GroupBy(s);
    }

    /// <summary>spec §8.3 Phoenix-2014T: upper-cased first, so the lower-case loc-/cl- rules never fire (a kept quirk).</summary>
    public static string CleanPhoenix2014T(string s)
    {
        s = PythonUpper(s).Trim();
        s = P14TMarkers.Replace(s, "");
        s = P14TAnyMarker.Replace(s, "");
        s = P14TLoc.Replace(s, "$1");
        s = P14TCl.Replace(s, "$1");
        s = P14TPlusPlus.Replace(s, "$1");
        s = P14TRaum.Replace(s, "$1");
        s = s.Replace("WIE AUSSEHEN", "WIE-AUSSEHEN");
        s = JoinLetters(s);
        s = RemoveRepeatedWords(s);
        return GroupBy(s);
    }

    private static string JoinLetters(string s)
    {
        foreach (var (re, by, times) in LetterJoins)
            for (int k = 0; k < times; k++) s = re.Replace(s, by);
        return s;
    }

    private static string RemoveRepeatedWords(string s)
    {
        s = Spaces.Replace(s, " ");
        for (int k = 0; k < 4; k++) s = RepeatedWord.Replace(s, "$1");
        return Spaces.Replace(s, " ");
    }

    /// <summary>spec §8.3 step 9: merge consecutive identical tokens and strip.</summary>
    private static string GroupBy(string s)
    {
        var tokens = WordErrorRate.Tokenize(s);
        return string.Join(' ', tokens.Where((t, i) => i == 0 || t != tokens[i - 1]));
    }

    /// <summary>Python's <c>str.upper()</c> for the letters that occur in glosses: like invariant upper-casing, but ß becomes SS.</summary>
    public static string PythonUpper(string s) => s.ToUpperInvariant().Replace("ß", "SS");

    public static string Name(GlossCleanup c) => c switch
    {
        GlossCleanup.None => "none",
        GlossCleanup.Phoenix2014 => "phoenix-2014",
        GlossCleanup.Phoenix2014T => "phoenix-2014t",
        GlossCleanup.CslDaily => "csl-daily",
        _ => c.ToString(),
    };

    /// <summary>Parses a CLI name; null when unknown.</summary>
    public static GlossCleanup? Parse(string name) => name.ToLowerInvariant() switch
    {
        "none" => GlossCleanup.None,
        "phoenix-2014" or "phoenix2014" => GlossCleanup.Phoenix2014,
        "phoenix-2014t" or "phoenix2014t" or "phoenix-2014-t" => GlossCleanup.Phoenix2014T,
        "csl-daily" or "csldaily" => GlossCleanup.CslDaily,
        _ => null,
    };
}
