using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace SignNotebooks.Checkpoints;

/// <summary>
/// Writes a model as a PyTorch zip state dict with the official names (`recognition_network.` + our keys, spec §12),
/// readable by `torch.load`, so training can continue in the official code and come back.
/// </summary>
public static class CheckpointExporter
{
    /// <summary>The model's state dict renamed to the official keys (prefix optional).</summary>
    public static Dictionary<string, Tensor> OfficialStateDict(nn.Module model, bool withPrefix = true) =>
        model.state_dict().ToDictionary(kv => (withPrefix ? KeyMaps.RecognitionPrefix : "") + kv.Key, kv => kv.Value.detach().cpu());

    /// <summary>Saves a plain state dict (an OrderedDict of tensors) to <paramref name="path"/>.</summary>
    public static void Save(nn.Module model, string path, bool withPrefix = true)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        using var stream = File.Create(path);
        PyTorchPickler.PickleStateDict(stream, OfficialStateDict(model, withPrefix), false);
    }

    /// <summary>
    /// Saves an SLRT-style training checkpoint dict `{epoch, global_step, model_state}` (spec §12), the layout the
    /// official code reads `model_state` from. Optimizer and scheduler states are not written (start them fresh).
    /// </summary>
    public static void SaveSlrtCheckpoint(nn.Module model, string path, int epoch = 0, int globalStep = 0)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        var dict = new System.Collections.Hashtable
        {
            ["epoch"] = epoch,
            ["global_step"] = globalStep,
            ["model_state"] = OfficialStateDict(model, withPrefix: true),
        };
        using var stream = File.Create(path);
        PyTorchPickler.PickleStateDict(stream, dict, false);
    }

    /// <summary>Saves any name → tensor map (e.g. a merged two-stream init) in the same format.</summary>
    public static void Save(IReadOnlyDictionary<string, Tensor> tensors, string path)
    {
        using var stream = File.Create(path);
        PyTorchPickler.PickleStateDict(stream, tensors.ToDictionary(kv => kv.Key, kv => kv.Value), false);
    }
}
