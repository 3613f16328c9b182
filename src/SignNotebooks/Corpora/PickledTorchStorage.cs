using System.Buffers.Binary;
using System.Collections;
using System.Numerics;
using Razorvine.Pickle;
using SignNotebooks.Util;

namespace SignNotebooks.Corpora;

/// <summary>
/// The argument of <c>torch.storage._load_from_bytes</c> in a pickled tensor: a legacy (non-zip) <c>torch.save</c> of
/// one storage. It is five pickles in a row (magic number, protocol version 1001, sys_info, the storage as a persistent
/// id <c>('storage', torch.FloatStorage, key, location, numel, view_metadata)</c>, the list of keys), then per key an
/// int64 element count and the raw little-endian elements. Kept as bytes until <see cref="ReadFloat32"/>, so annotation
/// files (whose empty <c>sign</c> no one reads) never open it. Reading scans every pickle against an allow-list of storage
/// classes first and never calls torch's loader.
/// </summary>
public sealed class PickledTorchStorage(byte[] archive)
{
    // torch/serialization.py's MAGIC_NUMBER and PROTOCOL_VERSION of the legacy format.
    private static readonly BigInteger Magic = BigInteger.Parse("119547037146038801333356");
    private const int LegacyProtocol = 1001;

    private static readonly Dictionary<string, (int Size, Func<ReadOnlyMemory<byte>, long, string, float[]> Convert)> Types = new()
    {
        ["torch.FloatStorage"] = (4, (b, n, _) => Floats(b, n, 4, x => BinaryPrimitives.ReadSingleLittleEndian(x))),
        ["torch.DoubleStorage"] = (8, (b, n, _) => Floats(b, n, 8, x => (float)BinaryPrimitives.ReadDoubleLittleEndian(x))),
        ["torch.HalfStorage"] = (2, (b, n, _) => Floats(b, n, 2, x => (float)BinaryPrimitives.ReadHalfLittleEndian(x))),
        // bfloat16 is the upper half of a float32, so widening is exact.
        ["torch.BFloat16Storage"] = (2, (b, n, _) => Floats(b, n, 2, x => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(x) << 16))),
        ["torch.LongStorage"] = (8, (b, n, src) => Integers(b, n, 8, x => BinaryPrimitives.ReadInt64LittleEndian(x), src)),
        ["torch.IntStorage"] = (4, (b, n, src) => Integers(b, n, 4, x => BinaryPrimitives.ReadInt32LittleEndian(x), src)),
    };

    /// <summary>The storage classes an archive may name, sorted (for messages and the README).</summary>
    public static IReadOnlyList<string> AllowedStorageTypes { get; } = Types.Keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>Size of the nested archive in bytes.</summary>
    public int ArchiveLength => archive.Length;

    /// <summary>
    /// Parses the archive and returns its storage type and every element as float32 (double rounded; half, bfloat16 and
    /// integers up to 2^24 exact; larger integers refused). <paramref name="source"/> names the tensor in messages.
    /// </summary>
    public (string Type, float[] Values) ReadFloat32(string source)
    {
        source += " (torch storage bytes)";
        int pos = 0;
        object? Next(bool storagePickle)
        {
            if (pos >= archive.Length) throw Damaged(source, "it ends before its five pickles");
            var scan = new MemoryStream(archive, pos, archive.Length - pos, writable: false);
            var globals = PickleAllowList.Scan(scan, source, allowPersistentIds: storagePickle);
            var refused = globals.Where(g => !storagePickle || !Types.ContainsKey(g)).Distinct().ToList();
            if (refused.Count > 0)
                throw new UserFacingException($"{source}: refused to unpickle: it refers to {string.Join(", ", refused)}, which " +
                                              $"{(refused.Count == 1 ? "is" : "are")} not on the allow-list of torch storages ({string.Join(", ", AllowedStorageTypes)}). " +
                                              "Fix: save the features as float tensors (tensor.float()) with pickle.dump, as SLRT's extract_feature.py does.");
            if (storagePickle && globals.Distinct().Count() != 1)
                throw Damaged(source, $"its storage pickle names {globals.Distinct().Count()} storage classes, not one");
            int length = (int)scan.Position;
            var unpickler = new StorageUnpickler(globals.FirstOrDefault());
            try { return unpickler.load(new MemoryStream(archive, pos, length, writable: false)); }
            catch (PickleException e) { throw Damaged(source, $"a pickle in it cannot be read ({e.Message})"); }
            finally { pos += length; unpickler.Dispose(); }
        }

        if (archive.Length >= 2 && archive[0] == 'P' && archive[1] == 'K')
            throw new UserFacingException($"{source}: the storage is a zip torch.save archive, not the legacy one pickle writes. " +
                                          "Fix: write the features with pickle.dump of CPU tensors (torch's own pickling), as SLRT does.");
        if (Next(false) is not BigInteger magic || magic != Magic) throw Damaged(source, "it does not start with torch's legacy magic number");
        if (Convert.ToInt64(Next(false)) != LegacyProtocol) throw Damaged(source, $"its protocol version is not {LegacyProtocol}");
        if (Next(false) is not IDictionary sysInfo || sysInfo["little_endian"] is not true)
            throw new UserFacingException($"{source}: the storage was written on a big-endian machine. Fix: extract the features on a little-endian (x86/ARM) machine.");
        if (Next(true) is not StorageRef storage)
            throw Damaged(source, "its object is not a single storage");
        if (Next(false) is not IList keys || keys.Count != 1 || keys[0] is not string key || key != storage.Key)
            throw Damaged(source, "its key list does not name exactly the one storage");
        if (storage.ViewMetadata is not null)
            throw new UserFacingException($"{source}: the storage is a storage view (pre-1.0 torch). Fix: re-save the features with torch ≥ 1.0.");

        var (size, convert) = Types[storage.Type];
        if (archive.Length - pos < 8) throw Damaged(source, "its data ends before the element count");
        long count = BinaryPrimitives.ReadInt64LittleEndian(archive.AsSpan(pos, 8));
        pos += 8;
        if (count < 0 || count != storage.Numel && storage.Numel >= 0)
            throw Damaged(source, $"its data holds {count} elements but the storage says {storage.Numel}");
        if ((archive.Length - pos) / size < count)
            throw Damaged(source, $"its data ends after {(archive.Length - pos) / size} of {count} elements");
        return (storage.Type, convert(archive.AsMemory(pos, checked((int)(count * size))), count, source));
    }

    private static float[] Floats(ReadOnlyMemory<byte> data, long count, int size, Func<ReadOnlySpan<byte>, float> read)
    {
        var span = data.Span;
        var values = new float[count];
        if (size == 4 && BitConverter.IsLittleEndian) { span.CopyTo(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan())); return values; }
        for (int i = 0; i < values.Length; i++) values[i] = read(span.Slice(i * size, size));
        return values;
    }

    private static float[] Integers(ReadOnlyMemory<byte> data, long count, int size, Func<ReadOnlySpan<byte>, long> read, string source)
    {
        var span = data.Span;
        var values = new float[count];
        for (int i = 0; i < values.Length; i++)
        {
            long v = read(span.Slice(i * size, size));
            if (v > 1 << 24 || v < -(1 << 24))
                throw new UserFacingException($"{source}: integer element {i} is {v}, which float32 cannot hold exactly. Fix: features are floats; save them with tensor.float().");
            values[i] = v;
        }
        return values;
    }

    private static UserFacingException Damaged(string source, string what) =>
        new($"{source}: not a torch storage archive: {what}. Fix: the file is damaged or was not written by torch's pickling; extract the features again.");

    private sealed record StorageRef(string Type, string Key, long Numel, object? ViewMetadata);

    /// <summary>Resolves the storage pickle's persistent id to a <see cref="StorageRef"/>; nothing else is ever constructed.</summary>
    private sealed class StorageUnpickler(string? storageType) : Unpickler
    {
        protected override object persistentLoad(object pid)
        {
            // ('storage', storage class, key, location, numel, view_metadata); the class was checked by the scan.
            if (pid is not object[] { Length: 6 } t || t[0] is not "storage" || t[2] is not string key || storageType is null)
                throw new PickleException("the persistent id is not torch's ('storage', type, key, location, numel, view)");
            return new StorageRef(storageType, key, Convert.ToInt64(t[4]), t[5]);
        }
    }
}
