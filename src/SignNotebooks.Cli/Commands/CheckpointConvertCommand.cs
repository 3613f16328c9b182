using SignNotebooks.Checkpoints;
using SignNotebooks.Models;

namespace SignNotebooks.Cli.Commands;

/// <summary>`signnb checkpoint convert`: load a foreign checkpoint into a variant (or merge two streams) and write official names.</summary>
public sealed class CheckpointConvertCommand : ICommand
{
    public string Name => "checkpoint convert";
    public string Summary => "Convert/merge checkpoints into a variant's official state dict (PyTorch zip), with a load report.";
    public string Usage => """
        signnb checkpoint convert --in FILE --variant NAME --out OUT.pt [--strict] [--vocab N] [--backbone rgb|keypoint|both] [--slrt-dict]
        signnb checkpoint convert --video VIDEO.pt --keypoint KEYPOINT.pt --out OUT.pt [--variant twostream-paper] [--vocab N]
          First form: load FILE (SLRT checkpoint, plain state dict, kylemin or torchvision S3D) into a fresh model of
          the variant and write its full state dict. Keys missing from FILE keep their fresh initialisation.
          Second form: stage-2 initialisation (spec §7.1) from the best video-only and keypoint-only checkpoints.
          OUT is a torch.save zip state dict with official `recognition_network.*` names (torch.load reads it).
          --vocab     classifier size; default: the file's, else 1124.
          --strict    refuse unless every key matches exactly.
          --backbone  which stream an S3D-only file initialises in a two-stream model (default both).
          --slrt-dict write `{epoch: 0, global_step: 0, model_state: …}` (the official checkpoint layout) instead of a plain state dict.
        """;

    public int Run(CliArgs args)
    {
        string? input = args.Get("in"), video = args.Get("video"), keypoint = args.Get("keypoint");
        var output = args.Require("out");
        var variantName = args.Get("variant");
        bool strict = args.Flag("strict");
        int? vocab = args.GetIntOrNull("vocab", min: 1);
        var backbone = args.GetOr("backbone", "both");
        bool slrtDict = args.Flag("slrt-dict");
        args.EnsureAllUsed();
        if (args.Positionals.Count > 0) throw new UsageException($"unexpected argument '{args.Positionals[0]}'");
        var target = backbone.ToLowerInvariant() switch
        {
            "rgb" => BackboneTarget.Rgb, "keypoint" => BackboneTarget.Keypoint, "both" => BackboneTarget.Both,
            _ => throw new UsageException("--backbone is rgb, keypoint or both"),
        };

        LoadReport report;
        RecognitionModel model;
        if (video is not null || keypoint is not null)
        {
            if (video is null || keypoint is null || input is not null) throw new UsageException("merging needs both --video and --keypoint, and no --in");
            var vf = StateDictFile.Read(video);
            var kf = StateDictFile.Read(keypoint);
            int vv = vocab ?? CheckpointInspector.VocabularySize(vf.Tensors) ?? new ModelConfig().VocabularySize;
            model = ModelRegistry.Build(variantName ?? "twostream-paper", c => c with { VocabularySize = vv });
            report = StreamMerge.LoadInto(model, vf, kf);
        }
        else
        {
            if (input is null) throw new UsageException("give --in FILE (or --video and --keypoint)");
            if (variantName is null) throw new UsageException("--variant is required with --in (see `signnb checkpoint inspect` for the match)");
            var file = StateDictFile.Read(input);
            int vv = vocab ?? CheckpointInspector.VocabularySize(file.Tensors) ?? new ModelConfig().VocabularySize;
            model = ModelRegistry.Build(variantName, c => c with { VocabularySize = vv });
            report = CheckpointLoader.Load(model, file, new LoadOptions { Strict = strict, Backbone = target });
        }
        Console.WriteLine(report);
        if (slrtDict) CheckpointExporter.SaveSlrtCheckpoint(model, output);
        else CheckpointExporter.Save(model, output);
        Console.WriteLine($"wrote {output}: {model.state_dict().Count} tensors with official names ({KeyMaps.RecognitionPrefix}*)" +
                          (slrtDict ? " inside model_state." : "."));
        return 0;
    }
}
