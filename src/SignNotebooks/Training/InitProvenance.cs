using System.Text.Json.Nodes;
using SignNotebooks.Models;
using SignNotebooks.Util;

namespace SignNotebooks.Training;

/// <summary>
/// What an <see cref="TrainingConfig.Init"/> file was trained on, when it says so: a run's checkpoint has its
/// <c>config.json</c> beside <c>model.pt</c>, and a committed pretraining file (<c>data/pretrained/*.pt</c>) its
/// <c>.meta.json</c>. A Kinetics-400 S3D file has neither, and nothing is checked.
/// </summary>
public sealed record InitProvenance(string Corpus, TrainingStage Stage, string DescribedBy)
{
    /// <summary>The provenance of <paramref name="file"/>, or null when no config or metadata file describes it.</summary>
    public static InitProvenance? Of(string file)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(file))!;
        var beside = Path.Combine(dir, "config.json");
        if (File.Exists(beside) && Read(beside, n => n) is { } fromRun) return fromRun;
        var meta = MetaPath(file);
        if (File.Exists(meta) && Read(meta, n => n["runs"]?.AsArray().FirstOrDefault()?["config"]) is { } fromMeta) return fromMeta;
        return null;
    }

    /// <summary>The <c>.meta.json</c> that describes a pretraining file: <c>dir/name.pt</c> → <c>dir/name.meta.json</c>.</summary>
    public static string MetaPath(string file) => Path.ChangeExtension(Path.GetFullPath(file), null) + ".meta.json";

    private static InitProvenance? Read(string path, Func<JsonNode, JsonNode?> config)
    {
        try
        {
            var node = JsonNode.Parse(File.ReadAllText(path)) is { } root ? config(root) : null;
            if (node?["Stage"]?.GetValue<string>() is not { } stageText || !Enum.TryParse<TrainingStage>(stageText, out var stage)) return null;
            var corpus = node["Corpus"]?.GetValue<string>();
            return new InitProvenance(corpus is null or "" ? "synthsign" : corpus, stage, path);
        }
        catch (Exception e) when (e is IOException or System.Text.Json.JsonException or InvalidOperationException or UnauthorizedAccessException)
        {
            return null; // not a description this reader knows: nothing to check
        }
    }

    /// <summary>
    /// Throws when <paramref name="config"/>'s Init file was trained on another corpus or for another stream than the run
    /// it starts, naming the file, what describes it and the run's corpus or stage. <paramref name="initSource"/> and
    /// <paramref name="corpusSource"/> say where the values came from (e.g. "--init", "--dataset").
    /// </summary>
    public static void Check(TrainingConfig config, string initSource = "--init", string corpusSource = "--dataset")
    {
        if (config.Init is not { } init || Trainer.InitFile(init) is not { } file || Of(file) is not { } from) return;
        var corpus = config.Corpus is null or "" ? "synthsign" : config.Corpus;
        var named = initSource.StartsWith("--", StringComparison.Ordinal) ? $"{initSource} {init}" : $"{initSource} ({init})";
        if (from.Corpus != corpus)
        {
            var fix = from.Corpus == "synthsign"
                ? "SynthSign's stage-0 weights are a stand-in for Kinetics-400 on SynthSign only. Fix: for a real corpus pass a Kinetics-400 S3D file (kylemin or torchvision) as --init, or drop --init."
                : $"Fix: start from a checkpoint trained on {corpus}, a Kinetics-400 S3D file, or drop --init.";
            throw new UserFacingException($"{named} was trained on {from.Corpus} ({from.DescribedBy}), but this run trains on {corpus} ({corpusSource}). {fix}");
        }
        var stream = StreamOf(from.Stage);
        if (stream != StreamKind.TwoStream && config.StreamKind != StreamKind.TwoStream && stream != config.StreamKind)
            throw new UserFacingException($"{named} holds {stream.ToString().ToLowerInvariant()}-stream weights (Stage {from.Stage} in {from.DescribedBy}), " +
                $"but --stage {Kebab(config.Stage)} trains the {config.StreamKind.ToString().ToLowerInvariant()} stream. " +
                $"Fix: pass the {config.StreamKind.ToString().ToLowerInvariant()} stream's file, or change --stage.");
    }

    private static string Kebab(TrainingStage stage) =>
        System.Text.RegularExpressions.Regex.Replace(stage.ToString(), "(?<=[a-z])(?=[A-Z])", "-").ToLowerInvariant();

    private static StreamKind StreamOf(TrainingStage stage) => new TrainingConfig { Stage = stage }.StreamKind;
}
