using System.Text.RegularExpressions;

namespace SignNotebooks.Util;

/// <summary>
/// An error caused by the user's input (a file, a record, an option), whose message names what was wrong and
/// how to fix it. The CLI prints it without a stack trace; anything else is a bug and keeps its trace.
/// </summary>
public class UserFacingException(string message, Exception? inner = null) : Exception(Tidy(message), inner)
{
    // Exactly two periods ending a sentence; an ellipsis ("...") or a relative path ("../") is left alone.
    private static readonly Regex DoublePeriod = new(@"(?<!\.)\.\.(?=\s|$)", RegexOptions.Compiled);

    /// <summary>
    /// A message that ends an inner exception's sentence with its own period ("… is denied.. Fix: …") keeps one.
    /// </summary>
    public static string Tidy(string message) => DoublePeriod.Replace(message, ".");
}
