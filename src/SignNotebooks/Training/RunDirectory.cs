using System.Text.Json;
using SignNotebooks.Checkpoints;
using SignNotebooks.Util;

namespace SignNotebooks.Training;

/// <summary>Where a run keeps its state when a checkpoint is written (epoch just finished, counters, best score).</summary>
public sealed record RunState(int Epoch, long Step, double BestScore, int BestEpoch, string SelectionHead)
{
    /// <summary>SHA-256 of each file of the checkpoint, by file name, checked when it is read back (<see cref="CheckpointDigest"/>).</summary>
    public SortedDictionary<string, string>? Sha256 { get; init; }
}

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

    /// <summary>Where the best checkpoint's evaluation at a beam width is cached (every head; see <see cref="Analysis.Workbench"/>).</summary>
    public string BestEvaluationDir(int beam) => Path.Combine(EvalDir, $"best-b{beam}");

    /// <summary>
    /// Deletes the cached evaluations of the best checkpoint (`eval/best-b*`, which the workbook reuses without looking
    /// at the weights): called before a new best is saved, since they score the weights it replaces. What `signnb
    /// evaluate` wrote (`eval/best`) is the user's output, not a cache, and stays.
    /// </summary>
    public void ForgetBestEvaluations()
    {
        if (!Directory.Exists(EvalDir)) return;
        foreach (var dir in Directory.GetDirectories(EvalDir, "best-b*"))
            Directory.Delete(dir, recursive: true);
        Reached("best: forget the previous best's evaluations");
    }
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
    /// Test hook: called with the name of each file-system step of a checkpoint save right after it is done. A test
    /// throws from it to stand for a kill at that instant; null in normal use.
    /// </summary>
    public Action<string>? AfterStep { get; set; }

    /// <summary>Reports a finished save step to <see cref="AfterStep"/> (the trainer reports each file it writes).</summary>
    internal void Reached(string step) => AfterStep?.Invoke(step);

    /// <summary>
    /// Writes checkpoint `name` through <paramref name="write"/> (which fills a folder), then swaps it in. Order:
    /// files → config.json → state.json (with the SHA-256 of every file) → fsync of the files and the folder →
    /// rename name → name.old → rename tmp → name → fsync of checkpoints/ → delete name.old. A folder without
    /// state.json is incomplete; at every instant `name` or `name.old` is complete (see <see cref="Recover"/>).
    /// </summary>
    public void SaveCheckpoint(string name, RunState state, string configJson, Action<string> write)
    {
        var dir = Checkpoint(name);
        var parent = Path.GetDirectoryName(dir)!;
        var tmp = $"{dir}.tmp-{Environment.ProcessId}";
        if (Directory.Exists(tmp)) Directory.Delete(tmp, true);
        Directory.CreateDirectory(tmp);
        write(tmp);
        File.WriteAllText(Path.Combine(tmp, "config.json"), configJson);
        Reached($"{name}: write config.json");
        File.WriteAllText(Path.Combine(tmp, CheckpointDigest.StateFile),
            JsonSerializer.Serialize(state with { Sha256 = CheckpointDigest.OfFolder(tmp) }, ConfigJson.Options));
        Reached($"{name}: write state.json");
        foreach (var f in Directory.GetFiles(tmp)) Durable.SyncFile(f);
        Reached($"{name}: fsync files");
        Durable.SyncDirectory(tmp);
        Reached($"{name}: fsync {Path.GetFileName(tmp)}");
        var old = dir + ".old";
        RecoverOne(dir);   // leaves `name` complete or absent, and no name.old
        if (Directory.Exists(dir))
        {
            Directory.Move(dir, old);
            Reached($"{name}: rename {name} -> {name}.old");
        }
        Directory.Move(tmp, dir);
        Reached($"{name}: rename tmp -> {name}");
        Durable.SyncDirectory(parent);
        Reached($"{name}: fsync checkpoints");
        if (Directory.Exists(old))
        {
            Directory.Delete(old, true);
            Reached($"{name}: delete {name}.old");
        }
    }

    /// <summary>
    /// Repairs what an interrupted save leaves: removes `*.tmp-*` checkpoint folders and `*.tmp` files, and for each
    /// checkpoint keeps the complete one of `name` and `name.old`. Returns what it did, one line each (for the log).
    /// </summary>
    public IReadOnlyList<string> Recover()
    {
        var done = new List<string>();
        var checkpoints = Path.Combine(Root, "checkpoints");
        if (!Directory.Exists(checkpoints)) return done;
        foreach (var tmp in Directory.GetDirectories(checkpoints, "*.tmp-*"))
        {
            Directory.Delete(tmp, true);
            done.Add($"removed the unfinished checkpoint {tmp}");
        }
        foreach (var tmp in Directory.GetFiles(Root, "*.tmp"))
        {
            File.Delete(tmp);
            done.Add($"removed the unfinished file {tmp}");
        }
        var names = Directory.GetDirectories(checkpoints).Select(d => Path.GetFileName(d))
            .Select(n => n.EndsWith(".old", StringComparison.Ordinal) ? n[..^4] : n).Distinct().ToList();
        foreach (var n in names)
            if (RecoverOne(Checkpoint(n)) is { } what) done.Add(what);
        return done;
    }

    /// <summary>After this, `dir` is complete or absent, and `dir.old` is gone. Null when there was nothing to do.</summary>
    private static string? RecoverOne(string dir)
    {
        var old = dir + ".old";
        if (!Directory.Exists(old))
        {
            if (!Directory.Exists(dir) || IsComplete(dir)) return null;
            Directory.Delete(dir, true);
            return $"removed the incomplete checkpoint {dir}";
        }
        if (IsComplete(dir))
        {
            Directory.Delete(old, true);
            return $"removed the replaced checkpoint {old}";
        }
        if (Directory.Exists(dir)) Directory.Delete(dir, true);
        if (!IsComplete(old))
        {
            Directory.Delete(old, true);
            return $"removed the incomplete checkpoint {old}";
        }
        Directory.Move(old, dir);
        return $"restored {dir} from {old}, the last complete copy";
    }

    private static bool IsComplete(string dir) => File.Exists(Path.Combine(dir, CheckpointDigest.StateFile));

    /// <summary>
    /// Removes the metric logs and checkpoints of an earlier start that never completed a `last` checkpoint, so a
    /// new start does not append to them. Returns the paths removed.
    /// </summary>
    public IReadOnlyList<string> ClearUnfinishedStart()
    {
        if (HasCheckpoint("last")) throw new InvalidOperationException($"{Root} holds a complete run; it is never cleared.");
        var removed = new List<string>();
        foreach (var f in new[] { StepsCsv, StepsJsonl, EpochsCsv }.Where(File.Exists)) { File.Delete(f); removed.Add(f); }
        var checkpoints = Path.Combine(Root, "checkpoints");
        if (Directory.Exists(checkpoints))
            foreach (var d in Directory.GetDirectories(checkpoints)) { Directory.Delete(d, true); removed.Add(d); }
        return removed;
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

    /// <summary>Writes a text file beside its target, flushes it to the disk and renames it into place.</summary>
    public static void WriteAtomic(string path, string text)
    {
        var tmp = path + ".tmp";
        File.WriteAllText(tmp, text);
        Durable.SyncFile(tmp);
        File.Move(tmp, path, overwrite: true);
    }
}
