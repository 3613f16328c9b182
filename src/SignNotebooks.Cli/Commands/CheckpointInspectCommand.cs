using SignNotebooks.Checkpoints;

namespace SignNotebooks.Cli.Commands;

/// <summary>`signnb checkpoint inspect FILE`: format, counts, vocabulary, matching variant, optionally every key.</summary>
public sealed class CheckpointInspectCommand : ICommand
{
    public string Name => "checkpoint inspect";
    public string Summary => "Show a PyTorch checkpoint's format, key groups, shapes and the model variant it matches.";
    public string Usage => """
        signnb checkpoint inspect FILE [--keys]
          FILE    a torch.save zip file: SLRT checkpoint (model_state inside), plain state dict,
                  kylemin S3D (module.base.*) or torchvision S3D (features.*).
          --keys  list every tensor with its shape.
        """;

    public int Run(CliArgs args)
    {
        bool keys = args.Flag("keys");
        args.EnsureAllUsed();
        if (args.Positionals.Count != 1) throw new UsageException("give exactly one FILE");
        var file = StateDictFile.Read(args.Positionals[0]);
        var format = CheckpointInspector.Detect(file.Tensors.Keys);
        Console.WriteLine($"file       : {file.Path}");
        Console.WriteLine($"format     : {CheckpointInspector.Describe(format)}");
        Console.WriteLine($"container  : {file.Container ?? "plain state dict"}" +
                          (file.OtherEntries.Count > 0 ? $" (other entries: {string.Join(", ", file.OtherEntries)})" : ""));
        Console.WriteLine($"tensors    : {file.Tensors.Count}, {file.Tensors.Values.Sum(t => t.numel()):N0} elements");
        var vocab = CheckpointInspector.VocabularySize(file.Tensors);
        Console.WriteLine($"vocabulary : {(vocab is null ? "no gloss classifier" : $"V = {vocab}")}");
        Console.WriteLine($"variant    : {CheckpointInspector.MatchVariant(file.Tensors) ?? "no exact match with a paper-width registered variant"}");
        Console.WriteLine("groups     :");
        foreach (var g in file.Tensors.GroupBy(kv => Group(kv.Key)).OrderBy(g => g.Key, StringComparer.Ordinal))
            Console.WriteLine($"  {g.Key,-70} {g.Count(),5} tensors {g.Sum(kv => kv.Value.numel()),14:N0} elements");
        if (keys)
            foreach (var (k, t) in file.Tensors.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                Console.WriteLine($"  {k}\t({string.Join(", ", t.shape)})");
        return 0;
    }

    // Two name parts after the SLRT prefix, e.g. `visual_backbone_twostream.rgb_stream`.
    private static string Group(string key)
    {
        var k = key.StartsWith(KeyMaps.RecognitionPrefix, StringComparison.Ordinal) ? key[KeyMaps.RecognitionPrefix.Length..] : key;
        var parts = k.Split('.');
        var head = string.Join('.', parts.Take(parts.Length > 2 && !int.TryParse(parts[1], out _) ? 2 : Math.Min(3, parts.Length - 1)));
        return (key.Length != k.Length ? KeyMaps.RecognitionPrefix : "") + head;
    }
}
