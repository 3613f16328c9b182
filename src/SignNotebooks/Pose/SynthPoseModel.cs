using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using SignNotebooks.Util;

namespace SignNotebooks.Pose;

/// <summary>
/// The default pose model of the SynthSign pipeline: trained on demand by <see cref="SynthPoseTrainer"/>, written by
/// <see cref="SynthPoseExport"/> and cached at <c>artifacts/pose/synthsign-&lt;profile&gt;.onnx</c>. A cached file is
/// reused only when the training config stored in its metadata equals the requested one, so changing the
/// architecture or schedule retrains instead of silently using a stale model.
/// </summary>
public static class SynthPoseModel
{
    /// <summary>Where the cached model of a profile lives.</summary>
    public static string CachePath(string profile) => Path.Combine(RepoPaths.Artifacts, "pose", $"synthsign-{profile}.onnx");

    /// <summary>The cached model for <paramref name="config"/> (default: the profile's settings), training and writing it first if needed.</summary>
    public static string GetOrTrain(string profile = "tiny", SynthPoseConfig? config = null, TextWriter? log = null, string? path = null)
    {
        config ??= SynthPoseConfig.For(profile);
        path ??= CachePath(profile);
        if (File.Exists(path) && StoredConfig(path) == JsonSerializer.Serialize(config)) return path;
        log?.WriteLine($"pose: training the SynthSign {profile} pose model (cached at {path} afterwards)");
        var trained = SynthPoseTrainer.Train(config, log);
        SynthPoseExport.Write(trained.Net, path);
        trained.Net.Dispose();
        return path;
    }

    /// <summary>The training config JSON stored in a model written by <see cref="SynthPoseExport"/>, or null.</summary>
    public static string? StoredConfig(string path)
    {
        try
        {
            using var options = new SessionOptions();
            using var s = new InferenceSession(path, options);
            return s.ModelMetadata.CustomMetadataMap.TryGetValue(SynthPoseExport.MetaConfig, out var v) ? v : null;
        }
        catch (OnnxRuntimeException) { return null; }
    }
}
