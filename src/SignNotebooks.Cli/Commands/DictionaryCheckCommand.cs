using SignNotebooks.Importance;
using SignNotebooks.Synthetic;

namespace SignNotebooks.Cli.Commands;

public sealed class DictionaryCheckCommand : ICommand
{
    public string Name => "dictionary check";
    public string Summary => "Check a sign dictionary CSV against a vocabulary: unknown glosses or parts, glosses with no entry.";
    public string Usage => """
        signnb dictionary check --file FILE.csv [--glosses GLOSSES.txt]
          --glosses  the vocabulary, one gloss per line (default: SynthSign's lexicon)
          Exit 0 and a summary when every gloss has an entry and every row is valid; otherwise exit 1 with one line
          per problem.
        """;

    public int Run(CliArgs args)
    {
        string file = args.Require("file");
        string? glossFile = args.Get("glosses");
        args.EnsureAllUsed();
        IEnumerable<string> vocab = Lexicon.Default.Glosses;
        if (glossFile is not null)
        {
            try { vocab = Util.StrictText.ReadAllLines(glossFile).Select(l => l.Trim()).Where(l => l.Length > 0).ToList(); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new Util.UserFacingException($"cannot read the gloss list {glossFile}: {e.Message}");
            }
        }
        var d = SignDictionary.Load(file, vocab);
        var counts = ArticulatorParts.Names.Select((p, i) => $"{p} {d.Glosses.Count(g => d.Weights(g)[i] > 0)}");
        Console.WriteLine($"{file}: {d.Glosses.Count} glosses, all valid; glosses using each part: {string.Join(", ", counts)}");
        return 0;
    }
}
