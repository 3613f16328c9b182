using SignNotebooks.Importance;
using SignNotebooks.Synthetic;

namespace SignNotebooks.Cli.Commands;

public sealed class DictionaryWriteCommand : ICommand
{
    public string Name => "dictionary write";
    public string Summary => "Write SynthSign's sign dictionary (gloss → articulators) as CSV, the format a real corpus' dictionary uses.";
    public string Usage => """
        signnb dictionary write --out FILE.csv
          One row `gloss,part,weight` per articulator a SynthSign gloss uses (parts: right_hand, left_hand, mouth,
          face, body); taken from the generator's lexicon, so the weights are facts of the corpus.
        """;

    public int Run(CliArgs args)
    {
        string output = args.Require("out");
        args.EnsureAllUsed();
        var d = SignDictionary.FromLexicon(Lexicon.Default);
        d.Save(output);
        Console.WriteLine($"wrote {output}: {d.Glosses.Count} glosses");
        return 0;
    }
}
