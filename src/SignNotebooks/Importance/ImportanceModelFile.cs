using System.Text.Json;
using SignNotebooks.Keypoints;
using SignNotebooks.Util;

namespace SignNotebooks.Importance;

/// <summary>
/// A trained estimator on disk: `estimator.pt` (TorchSharp weights) and `estimator.json` (its keypoint selection,
/// width, train base rates, losses and target source). Written into a temporary folder that is renamed into place,
/// so an interrupted save never leaves a half estimator that a gated run would then read.
/// </summary>
public static class ImportanceModelFile
{
    private const string Weights = "estimator.pt", Meta = "estimator.json";

    private sealed record MetaJson(IReadOnlyList<string> KeypointParts, int Hidden, double[] TrainPositiveRate,
        IReadOnlyList<double> EpochLosses, TargetSource Source);

    public static bool Exists(string dir) => File.Exists(Path.Combine(dir, Meta)) && File.Exists(Path.Combine(dir, Weights));

    public static void Save(ImportanceModel model, string dir)
    {
        var full = Path.GetFullPath(dir);
        var tmp = $"{full}.tmp-{Environment.ProcessId}";
        if (Directory.Exists(tmp)) Directory.Delete(tmp, true);
        Directory.CreateDirectory(tmp);
        model.Estimator.save(Path.Combine(tmp, Weights));
        var meta = new MetaJson(model.Selection.Parts, model.Estimator.Hidden, model.TrainPositiveRate, model.EpochLosses, model.Source);
        File.WriteAllText(Path.Combine(tmp, Meta), JsonSerializer.Serialize(meta, Training.ConfigJson.Options));
        if (Directory.Exists(full)) Directory.Delete(full, true);
        Directory.Move(tmp, full);
    }

    public static ImportanceModel Load(string dir)
    {
        var meta = Path.Combine(dir, Meta);
        if (!Exists(dir))
            throw new UserFacingException($"no importance estimator in {dir} (it needs {Meta} and {Weights}). " +
                "Fix: train one first (notebook 08, or ImportanceTrainer.Train followed by ImportanceModelFile.Save), or point ImportanceGate.Estimator at its folder.");
        MetaJson m;
        try { m = JsonSerializer.Deserialize<MetaJson>(File.ReadAllText(meta), Training.ConfigJson.Options)!; }
        catch (JsonException e)
        {
            throw new UserFacingException($"{meta} is unreadable ({e.Message}). Fix: retrain the estimator into that folder.");
        }
        if (m.TrainPositiveRate.Length != ArticulatorParts.Count)
            throw new UserFacingException($"{meta}: {m.TrainPositiveRate.Length} parts, this build has {ArticulatorParts.Count} ({string.Join(", ", ArticulatorParts.Names)}). Fix: retrain the estimator.");
        var selection = KeypointSelection.FromParts(m.KeypointParts);
        var estimator = new ImportanceEstimator(selection.Count, m.Hidden);
        estimator.load(Path.Combine(dir, Weights));
        estimator.eval();
        return new ImportanceModel(estimator, selection, m.TrainPositiveRate, m.EpochLosses, m.Source);
    }

    /// <summary>The estimator in <paramref name="dir"/>, trained and saved there first when it is not yet.</summary>
    public static ImportanceModel Ensure(string dir, Func<ImportanceModel> train)
    {
        if (Exists(dir)) return Load(dir);
        var model = train();
        Save(model, dir);
        return model;
    }
}
