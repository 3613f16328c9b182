using System.Text.Json;
using SignNotebooks.Util;

namespace SignNotebooks.Training;

/// <summary>Where a run keeps its state when a checkpoint is written (epoch just finished, counters, best score).</summary>
public sealed record RunState(int Epoch, long Step, double BestScore, int BestEpoch, string SelectionHead);

/// <summary>
/// The folder of one run: `config.json` (fully resolved), `steps.csv`, `steps.jsonl`, `epochs.csv`,
/// `checkpoints/last` and `checkpoints/best` (each: `model.pt` as a PyTorch state dict with the official names,
/// `optimizer.bin`, `state.json`, `config.json`), and evaluation outputs under `eval/`.
/// Checkpoints are written to a temporary folder and swapped in by renames, so an interruption never leaves a
/// half-written checkpoint: at every instant either the old or the new one is complete.
/// </summary>
public sealed class RunDirectory
{
    public string Root { get; }
    public RunDirectory(string root) { Root = Path.GetFullPath(root); }

    public string ConfigPath => Path.Combine(Root, "config.json");
    public string StepsCsv => Path.Combine(Root, "steps.csv");
    public string StepsJsonl => Path.Combine(Root, "steps.jsonl");
    public string EpochsCsv => Path.Combine(Root, "epochs.csv");
    public string EvalDir => Path.Combine(Root, "eval");
    public string Checkpoint(string name) => Path.Combine(Root, "checkpoints", name);
    public string ModelFile(string name) => Path.Combine(Checkpoint(name), "model.pt");

    /// <summary>Creates the folder, or explains why it cannot.</summary>
    public void Create()
    {
        try
        {
            Directory.CreateDirectory(Path.Combine(Root, "checkpoints"));
            var probe = Path.Combine(Root, ".write-test");
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserFacingException($"cannot write the run folder {Root}: {e.Message}. Fix: pick a writable --out folder.");
        }
    }

    /// <summary>
    /// The run folder of a path that names either a run folder or one of its checkpoint folders (which hold
    /// state.json and sit at &lt;run&gt;/checkpoints/&lt;name&gt;), as a full path.
    /// </summary>
    public static string RootOf(string runOrCheckpoint)
    {
        var full = Path.GetFullPath(runOrCheckpoint);
        return File.Exists(Path.Combine(full, "state.json")) ? Path.GetDirectoryName(Path.GetDirectoryName(full)!)! : full;
    }

    /// <summary>True when a complete checkpoint exists (also after an interrupted swap).</summary>
    public bool HasCheckpoint(string name) => ResolveCheckpoint(name) is not null;

    /// <summary>The folder holding the complete checkpoint `name`, recovering from an interrupted swap.</summary>
    public string? ResolveCheckpoint(string name)
    {
        var dir = Checkpoint(name);
        if (File.Exists(Path.Combine(dir, "state.json"))) return dir;
        var old = dir + ".old";
        return File.Exists(Path.Combine(old, "state.json")) ? old : null;
    }

    /// <summary>
    /// Writes checkpoint `name` through <paramref name="write"/> (which fills a folder), then swaps it in:
    /// name → name.old, tmp → name, delete name.old. state.json is written last, so a folder without it is incomplete.
    /// </summary>
    public void SaveCheckpoint(string name, RunState state, string configJson, Action<string> write)
    {
        var dir = Checkpoint(name);
        var tmp = $"{dir}.tmp-{Environment.ProcessId}";
        if (Directory.Exists(tmp)) Directory.Delete(tmp, true);
        Directory.CreateDirectory(tmp);
        write(tmp);
        File.WriteAllText(Path.Combine(tmp, "config.json"), configJson);
        WriteAtomic(Path.Combine(tmp, "state.json"), JsonSerializer.Serialize(state, ConfigJson.Options));
        var old = dir + ".old";
        if (Directory.Exists(old)) Directory.Delete(old, true);
        if (Directory.Exists(dir)) Directory.Move(dir, old);
        Directory.Move(tmp, dir);
        if (Directory.Exists(old)) Directory.Delete(old, true);
    }

    public RunState ReadState(string checkpointDir)
    {
        var path = Path.Combine(checkpointDir, "state.json");
        try { return JsonSerializer.Deserialize<RunState>(File.ReadAllText(path), ConfigJson.Options)!; }
        catch (Exception e) when (e is JsonException or IOException)
        {
            throw new UserFacingException($"checkpoint state {path} is unreadable ({e.Message}). Fix: resume from the other checkpoint (best/last) or start a new run.");
        }
    }

    /// <summary>Writes a text file beside its target and renames it into place.</summary>
    public static void WriteAtomic(string path, string text)
    {
        var tmp = path + ".tmp";
        File.WriteAllText(tmp, text);
        File.Move(tmp, path, overwrite: true);
    }
}
