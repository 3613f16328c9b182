namespace SignNotebooks.Util;

/// <summary>
/// An error caused by the user's input (a file, a record, an option), whose message names what was wrong and
/// how to fix it. The CLI prints it without a stack trace; anything else is a bug and keeps its trace.
/// </summary>
public class UserFacingException(string message, Exception? inner = null) : Exception(message, inner);
