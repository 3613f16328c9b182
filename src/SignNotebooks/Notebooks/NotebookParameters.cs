namespace SignNotebooks.Notebooks;

/// <summary>
/// The values a notebook's parameters cell reads. The runner (and a user in a terminal) sets them as
/// environment variables `SIGNNB_&lt;NAME&gt;`, so the same notebook runs unchanged in VS Code, under
/// `signnb workbook` and in the tests (papermill's parameters-cell idea without rewriting the notebook).
/// </summary>
public static class NotebookParameters
{
    /// <summary>Profiles every notebook accepts, smallest first.</summary>
    public static readonly IReadOnlyList<string> Profiles = ["tiny", "standard", "paper"];

    /// <summary>Environment variable that carries parameter <paramref name="name"/>.</summary>
    public static string VariableName(string name) => "SIGNNB_" + name.ToUpperInvariant();

    /// <summary>The parameter's value, or <paramref name="fallback"/> when it is not set.</summary>
    public static string Get(string name, string fallback)
    {
        var v = Environment.GetEnvironmentVariable(VariableName(name));
        return string.IsNullOrWhiteSpace(v) ? fallback : v.Trim();
    }

    /// <summary>The profile (SIGNNB_PROFILE), validated; notebooks default to the tiny profile.</summary>
    public static string Profile(string fallback = "tiny")
    {
        var p = Get("profile", fallback);
        if (!Profiles.Contains(p))
            throw new Util.UserFacingException($"unknown profile '{p}' in {VariableName("profile")}. Fix: use one of {string.Join(", ", Profiles)}.");
        return p;
    }
}
