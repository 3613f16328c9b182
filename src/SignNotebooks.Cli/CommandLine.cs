using System.Reflection;

namespace SignNotebooks.Cli;

/// <summary>A `signnb` command. Implementations live in Commands/, one file per area.</summary>
public interface ICommand
{
    /// <summary>Words that select the command, e.g. "score wer".</summary>
    string Name { get; }
    /// <summary>One line for the command list.</summary>
    string Summary { get; }
    /// <summary>Full usage text, printed by --help and on a usage error.</summary>
    string Usage { get; }
    /// <summary>Runs the command; returns the process exit code.</summary>
    int Run(CliArgs args);
}

/// <summary>Thrown for a usage mistake; the message says what was wrong and the usage is printed after it.</summary>
public sealed class UsageException(string message) : Exception(SignNotebooks.Util.UserFacingException.Tidy(message));

/// <summary>Parsed options of one invocation. Every option must be consumed, so typos are errors, not silently ignored.</summary>
public sealed class CliArgs
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);
    public IReadOnlyList<string> Positionals { get; }

    public CliArgs(IEnumerable<string> args)
    {
        var pos = new List<string>();
        var list = args.ToList();
        for (int i = 0; i < list.Count; i++)
        {
            var a = list[i];
            if (a.StartsWith("--", StringComparison.Ordinal))
            {
                var key = a[2..];
                string? value = null;
                int eq = key.IndexOf('=');
                if (eq >= 0) { value = key[(eq + 1)..]; key = key[..eq]; }
                else if (i + 1 < list.Count && !list[i + 1].StartsWith("--", StringComparison.Ordinal)) value = list[++i];
                if (_options.ContainsKey(key)) throw new UsageException($"option --{key} given twice");
                _options[key] = value;
            }
            else pos.Add(a);
        }
        Positionals = pos;
    }

    public bool Has(string key) { _used.Add(key); return _options.ContainsKey(key); }

    public bool Flag(string key)
    {
        _used.Add(key);
        if (!_options.TryGetValue(key, out var v)) return false;
        if (v is null) return true;
        return v.ToLowerInvariant() switch
        {
            "true" or "1" or "yes" => true,
            "false" or "0" or "no" => false,
            _ => throw new UsageException($"--{key} is a flag; it takes no value (got '{v}')"),
        };
    }

    public string? Get(string key)
    {
        _used.Add(key);
        if (!_options.TryGetValue(key, out var v)) return null;
        return v ?? throw new UsageException($"--{key} needs a value");
    }

    public string Require(string key) => Get(key) ?? throw new UsageException($"--{key} is required");

    public string GetOr(string key, string fallback) => Get(key) ?? fallback;

    /// <summary>A whole number in [<paramref name="min"/>, <paramref name="max"/>]; anything else is a usage error (exit 2).</summary>
    public int GetInt(string key, int fallback, int min = int.MinValue, int max = int.MaxValue) => GetIntOrNull(key, min, max) ?? fallback;

    /// <summary>Like <see cref="GetInt"/>, null when the option is absent.</summary>
    public int? GetIntOrNull(string key, int min = int.MinValue, int max = int.MaxValue)
    {
        var v = Get(key);
        if (v is null) return null;
        if (!int.TryParse(v, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n))
            throw new UsageException($"--{key} takes a whole number (got '{v}')");
        if (n < min || n > max) throw new UsageException($"--{key} must be {Range(min, max, false)} (got {n})");
        return n;
    }

    /// <summary>A finite number ≥ <paramref name="min"/> (&gt; when <paramref name="exclusiveMin"/>) and ≤ <paramref name="max"/>.</summary>
    public double GetDouble(string key, double fallback, double min = double.MinValue, double max = double.MaxValue, bool exclusiveMin = false) =>
        GetDoubleOrNull(key, min, max, exclusiveMin) ?? fallback;

    /// <summary>Like <see cref="GetDouble"/>, null when the option is absent.</summary>
    public double? GetDoubleOrNull(string key, double min = double.MinValue, double max = double.MaxValue, bool exclusiveMin = false)
    {
        var v = Get(key);
        if (v is null) return null;
        if (!double.TryParse(v, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var n) || !double.IsFinite(n))
            throw new UsageException($"--{key} takes a number (got '{v}')");
        if (n < min || n > max || (exclusiveMin && n == min))
            throw new UsageException($"--{key} must be {Range(min, max, exclusiveMin)} (got {n.ToString(System.Globalization.CultureInfo.InvariantCulture)})");
        return n;
    }

    private static string Range<T>(T min, T max, bool exclusiveMin) where T : System.Numerics.INumber<T>, System.Numerics.IMinMaxValue<T>
    {
        string lo = exclusiveMin ? (min == T.Zero ? "positive" : $"greater than {min}") : (min == T.Zero ? "0 or more" : $"at least {min}");
        if (max == T.MaxValue) return lo;
        return exclusiveMin ? $"greater than {min} and at most {max}" : $"between {min} and {max}";
    }

    /// <summary>A <c>--shard i/N</c> option (null when absent); a malformed one is a usage error.</summary>
    public SignNotebooks.Data.Shard? GetShard(string key = "shard")
    {
        var v = Get(key);
        if (v is null) return null;
        try { return SignNotebooks.Data.Shard.Parse(v); }
        catch (SignNotebooks.Util.UserFacingException e) { throw new UsageException(e.Message); }
    }

    /// <summary>Throws when an option was given that the command never asked for (a typo, usually).</summary>
    public void EnsureAllUsed()
    {
        var unknown = _options.Keys.Where(k => !_used.Contains(k)).ToList();
        if (unknown.Count > 0) throw new UsageException($"unknown option{(unknown.Count > 1 ? "s" : "")}: {string.Join(", ", unknown.Select(k => "--" + k))}");
    }
}

/// <summary>Dispatch: finds the command whose name is the longest prefix of the arguments.</summary>
public static class CommandLine
{
    public static IReadOnlyList<ICommand> All { get; } = typeof(CommandLine).Assembly.GetTypes()
        .Where(t => typeof(ICommand).IsAssignableFrom(t) && !t.IsAbstract && !t.IsInterface)
        .Select(t => (ICommand)Activator.CreateInstance(t)!)
        .OrderBy(c => c.Name, StringComparer.Ordinal).ToList();

    public static int Run(string[] args)
    {
        if (args is ["--version"])
        {
            foreach (var line in SignNotebooks.Util.VersionInfo.Lines()) Console.WriteLine(line);
            return 0;
        }
        if (args.Length == 0 || args[0] is "--help" or "-h" or "help")
        {
            PrintList(Console.Out);
            return args.Length == 0 ? 2 : 0;
        }
        var match = All
            .Select(c => (cmd: c, words: c.Name.Split(' ')))
            .Where(x => x.words.Length <= args.Length && x.words.SequenceEqual(args.Take(x.words.Length)))
            .OrderByDescending(x => x.words.Length).FirstOrDefault();
        if (match.cmd is null)
        {
            Console.Error.WriteLine($"signnb: unknown command '{string.Join(' ', args.TakeWhile(a => !a.StartsWith("--")))}'.");
            PrintList(Console.Error);
            return 2;
        }
        var rest = args.Skip(match.words.Length).ToArray();
        if (rest.Contains("--help") || rest.Contains("-h")) { Console.WriteLine(match.cmd.Usage); return 0; }
        try
        {
            return match.cmd.Run(new CliArgs(rest));
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"signnb {match.cmd.Name}: {e.Message}");
            Console.Error.WriteLine(match.cmd.Usage);
            return 2;
        }
        catch (SignNotebooks.Util.UserFacingException e)
        {
            Console.Error.WriteLine($"signnb {match.cmd.Name}: error: {e.Message}");
            return 1;
        }
    }

    private static void PrintList(TextWriter w)
    {
        w.WriteLine("signnb — the SignNotebooks command line (TwoStream-SLR/SLT in C#).");
        w.WriteLine("Commands:");
        foreach (var c in All) w.WriteLine($"  {c.Name,-26} {c.Summary}");
        w.WriteLine("Run `signnb <command> --help` for its options, `signnb --version` for the versions in use.");
    }
}
