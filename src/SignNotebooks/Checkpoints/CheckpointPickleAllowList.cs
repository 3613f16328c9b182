using System.IO.Compression;
using SignNotebooks.Corpora;
using SignNotebooks.Util;

namespace SignNotebooks.Checkpoints;

/// <summary>
/// The allow-list of a torch.save archive's <c>data.pkl</c>, checked by <see cref="PickleAllowList.Scan"/> before a
/// single opcode runs (as <see cref="SafeUnpickler"/> does for SLRT's corpus pickles): tensor and parameter rebuilds,
/// the typed storage classes, <c>OrderedDict</c>, and the numpy scalars and <c>_codecs.encode</c> that training scripts
/// leave in a checkpoint's counters. Plain dicts, lists, tuples, numbers and strings are opcodes, not globals.
/// </summary>
public static class CheckpointPickleAllowList
{
    private static readonly string[] StorageTypes =
        ["Float", "Double", "Half", "BFloat16", "Long", "Int", "Short", "Char", "Byte", "Bool", "ComplexFloat", "ComplexDouble"];

    /// <summary>The globals a checkpoint pickle may name, sorted.</summary>
    public static IReadOnlySet<string> Allowed { get; } = new SortedSet<string>(
        new[]
        {
            "torch._utils._rebuild_tensor", "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_parameter",
            "torch._utils._rebuild_parameter_with_state", "torch.storage.UntypedStorage", "collections.OrderedDict",
            "numpy.core.multiarray.scalar", "numpy._core.multiarray.scalar", "numpy.dtype", "_codecs.encode",
        }.Concat(StorageTypes.Select(t => $"torch.{t}Storage")), StringComparer.Ordinal);

    /// <summary>Refuses, by name, a zip checkpoint whose pickle names anything outside <see cref="Allowed"/>.</summary>
    public static void Check(string path)
    {
        using var zip = ZipFile.OpenRead(path);
        foreach (var entry in zip.Entries.Where(e => e.FullName.EndsWith("data.pkl", StringComparison.Ordinal)))
        {
            List<string> globals;
            using (var s = entry.Open()) globals = PickleAllowList.Scan(s, $"checkpoint {path} ({entry.FullName})", allowPersistentIds: true);
            var refused = globals.Where(g => !Allowed.Contains(g)).Distinct().ToList();
            if (refused.Count > 0)
                throw new UserFacingException($"checkpoint {path}: refused to load: its pickle refers to {string.Join(", ", refused)}, which " +
                    $"{(refused.Count == 1 ? "is" : "are")} not on the checkpoint allow-list (tensor rebuilds, storages, OrderedDict, plain " +
                    "containers and numbers); loading would run that code. Fix: in Python, re-save only the weights: " +
                    "`torch.save({k: v for k, v in sd.items() if torch.is_tensor(v)}, f)`.");
        }
    }
}
