namespace SignNotebooks.Util;

/// <summary>Finds the repository root (the folder holding SignNotebooks.sln) from the running binaries or the working directory.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> _root = new(Find);

    /// <summary>Repository root; SIGNNB_ROOT overrides the search.</summary>
    public static string Root => _root.Value;

    public static string Notebooks => Path.Combine(Root, "notebooks");
    public static string Artifacts => Path.Combine(Root, "artifacts");
    public static string Figures => Path.Combine(Root, "figures");
    public static string Data => Path.Combine(Root, "data");

    private static string Find()
    {
        var env = Environment.GetEnvironmentVariable("SIGNNB_ROOT");
        if (!string.IsNullOrEmpty(env)) return Path.GetFullPath(env);
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
                if (File.Exists(Path.Combine(d.FullName, "SignNotebooks.sln"))) return d.FullName;
        }
        throw new UserFacingException("cannot find the SignNotebooks repository (no SignNotebooks.sln above the program or the working directory). " +
                                      "Fix: run from inside the clone, or set SIGNNB_ROOT to its folder.");
    }
}
