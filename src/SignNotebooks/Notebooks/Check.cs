namespace SignNotebooks.Notebooks;

/// <summary>Thrown by a notebook's closing checks; the runner reports it as the failing cell.</summary>
public class NotebookCheckFailedException(string message) : Exception(message);

/// <summary>
/// Thrown by <see cref="Check.Outcome"/>: the method's claim is false on this run. The workbook reports it, finishes the
/// notebook's remaining cells and the later notebooks (they show the same runs from other angles, and a reader needs
/// them most when the claim fails), then exits non-zero. A structural check (<see cref="Check.That"/>) still stops it.
/// </summary>
public sealed class NotebookOutcomeFailedException(string message) : NotebookCheckFailedException(OutcomePrefix + message)
{
    /// <summary>How the kernel's error message of such a cell starts; the runner recognises the cell by it.</summary>
    public const string OutcomePrefix = "outcome check failed: ";
}

/// <summary>
/// The explicit checks that close every notebook, so a notebook is its own test (nbval's idea without comparing
/// output text). Each returns a line to display when it holds and throws when it does not.
/// </summary>
public static class Check
{
    public static string That(bool condition, string what)
    {
        if (!condition) throw new NotebookCheckFailedException("check failed: " + what);
        return "✓ " + what;
    }

    public static string InRange(double value, double min, double max, string what)
    {
        if (double.IsNaN(value) || value < min || value > max)
            throw new NotebookCheckFailedException($"check failed: {what} = {value:G4}, expected within [{min:G4}, {max:G4}]");
        return $"✓ {what} = {value:G4} within [{min:G4}, {max:G4}]";
    }

    /// <summary>
    /// A check of the method's outcome (the full model beats both streams, alignments beat chance, dev WER fell):
    /// asserted at the standard and paper profiles, where the notebook's narrative claims it. The tiny profile trains
    /// for seconds to test the plumbing, so there the line only reports the values and says it was not asserted.
    /// </summary>
    public static string Outcome(string profile, bool condition, string what)
    {
        if (profile == "tiny") return $"· {what} (not asserted at the tiny profile: it checks the plumbing, not the outcome; {(condition ? "holds" : "does not hold")} here)";
        if (!condition) throw new NotebookOutcomeFailedException(what);
        return "✓ " + what;
    }
}
