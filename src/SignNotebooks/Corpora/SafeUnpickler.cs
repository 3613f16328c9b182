using System.Collections;
using System.IO.Compression;
using System.Text;
using Razorvine.Pickle;
using SignNotebooks.Util;

namespace SignNotebooks.Corpora;

/// <summary>
/// Reads the pickles of SLRT's data folder (gzip-pickled annotation lists, <c>gloss2ids.pkl</c>,
/// <c>&lt;ds&gt;-keypoints.pkl</c>) with Razorvine.Pickle, after <see cref="PickleAllowList.Scan"/> has proved that
/// the file only names the classes below: numpy array and scalar reconstruction, <c>_codecs.encode</c> (how
/// protocol 2 stores bytes), <c>collections.OrderedDict</c> and the torch tensor placeholder of spec §9.
/// Anything else is refused before a single opcode runs. Results use Razorvine's types: dict → IDictionary,
/// list → IList, tuple → object[], str → string, bytes → byte[], numpy array → <see cref="NumpyArray"/>.
/// </summary>
public static class SafeUnpickler
{
    private static readonly Dictionary<string, AllowedConstructor> Allowed = BuildAllowList();

    /// <summary>The names a pickle may refer to, sorted (for messages and the README).</summary>
    public static IReadOnlyList<string> AllowedNames { get; } = Allowed.Keys.Order(StringComparer.Ordinal).ToList();

    private static readonly object Gate = new();

    /// <summary>Razorvine's process-wide registry (protected internal, hence the subclass).</summary>
    private sealed class Registry : Unpickler
    {
        public static IDictionary<string, IObjectConstructor> Constructors => objectConstructors;
    }

    /// <summary>
    /// Puts our stand-ins into the registry, keeping whatever was registered before as their fallback. Done before
    /// every read, because a library initialised later (PyBridge) may have registered its own over ours.
    /// </summary>
    private static void Install()
    {
        lock (Gate)
        {
            foreach (var c in Allowed.Values)
            {
                if (Registry.Constructors.TryGetValue(c.Name, out var current) && ReferenceEquals(current, c)) continue;
                if (current is not null and not AllowedConstructor) c.Fallback = current;
                int dot = c.Name.LastIndexOf('.');
                Unpickler.registerConstructor(c.Name[..dot], c.Name[(dot + 1)..], c);
            }
        }
    }

    /// <summary>Reads a pickle file, gzip-compressed or not (told apart by the gzip magic bytes).</summary>
    public static object? Load(string path)
    {
        if (!File.Exists(path)) throw new UserFacingException($"{path}: file not found. Fix: check the path.");
        return Load(() => File.OpenRead(path), path);
    }

    /// <summary>Reads a pickle from bytes (gzip or plain); <paramref name="source"/> names it in messages.</summary>
    public static object? Load(byte[] bytes, string source) => Load(() => new MemoryStream(bytes, writable: false), source);

    private static object? Load(Func<Stream> open, string source)
    {
        List<string> globals;
        using (var s = Open(open(), source)) globals = PickleAllowList.Scan(s, source);
        var refused = globals.Where(g => !Allowed.ContainsKey(g)).Distinct().ToList();
        if (refused.Count > 0)
            throw new UserFacingException($"{source}: refused to unpickle: it refers to {string.Join(", ", refused)}, which " +
                                          $"{(refused.Count == 1 ? "is" : "are")} not on the allow-list ({string.Join(", ", AllowedNames)}). " +
                                          "Fix: use the files SLRT publishes, or re-save yours with plain Python values and numpy arrays.");
        try
        {
            using var s = Open(open(), source);
            using var u = new Unpickler();
            Install();
            AllowedConstructor.Active = true;
            try { return u.load(s); }
            finally { AllowedConstructor.Active = false; }
        }
        catch (Exception e) when (e is PickleException or InvalidDataException or EndOfStreamException or InvalidCastException
                                      or System.Reflection.TargetInvocationException)
        {
            // A refusal from NumpyArray.__setstate__ arrives wrapped in reflection and pickle exceptions.
            for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
                if (inner is UserFacingException uf) throw new UserFacingException($"{source}: {uf.Message}", e);
            throw new UserFacingException($"{source}: cannot be unpickled ({e.GetType().Name}: {e.Message}). " +
                                          "Fix: the file is probably truncated; download or copy it again and compare its size.", e);
        }
        catch (UserFacingException e) when (!e.Message.StartsWith(source, StringComparison.Ordinal))
        {
            throw new UserFacingException($"{source}: {e.Message}", e);
        }
    }

    private static Stream Open(Stream raw, string source)
    {
        var buffered = new BufferedStream(raw, 1 << 16);
        Span<byte> magic = stackalloc byte[2];
        int n = buffered.Read(magic);
        buffered.Seek(0, SeekOrigin.Begin);
        if (n == 2 && magic[0] == 0x1f && magic[1] == 0x8b) return new BufferedStream(new GZipStream(buffered, CompressionMode.Decompress), 1 << 16);
        if (n == 0) { buffered.Dispose(); throw new UserFacingException($"{source}: the file is empty. Fix: download or copy it again."); }
        return buffered;
    }

    private static Dictionary<string, AllowedConstructor> BuildAllowList()
    {
        var list = new List<AllowedConstructor>();
        // numpy 1.x pickles name numpy.core, numpy 2.x numpy._core; both stand for the same functions.
        foreach (var core in new[] { "numpy.core", "numpy._core" })
        {
            // ndarray.__reduce__: _reconstruct(ndarray, (0,), b'b'), then BUILD with the real state.
            list.Add(new($"{core}.multiarray._reconstruct", _ => new NumpyArray()));
            // numpy scalars (e.g. numpy.int64 frame counts): scalar(dtype, raw bytes).
            list.Add(new($"{core}.multiarray.scalar", a => new NumpyArray([], (NumpyDtype)a[0], Bytes(a[1]), false).ToScalar()));
            // protocol 5 in-band buffers: _frombuffer(buffer, dtype, shape, order).
            list.Add(new($"{core}.numeric._frombuffer", a => new NumpyArray(((object[])a[2]).Select(Convert.ToInt64).ToArray(),
                (NumpyDtype)a[1], Bytes(a[0]), (string)a[3] == "F")));
        }
        list.Add(new("numpy.ndarray", _ => throw new UserFacingException("numpy.ndarray called directly. Fix: save arrays with numpy's own pickling.")));
        list.Add(new("numpy.dtype", a => new NumpyDtype((string)a[0])));
        // Python 3 writes bytes as _codecs.encode(latin-1 text, 'latin1') under protocol 2.
        list.Add(new("_codecs.encode", a => (string)a[1] is "latin1" or "latin-1"
            ? ((string)a[0]).Select(c => (byte)c).ToArray()
            : throw new UserFacingException($"_codecs.encode with encoding '{a[1]}'. Fix: only latin1 (how pickle stores bytes) is read.")));
        list.Add(new("collections.OrderedDict", _ => new Hashtable()));
        // A pickled CPU tensor: _rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks[, metadata]). The storage
        // (a nested legacy torch.save archive) stays bytes until someone reads the values: the empty `sign` of the
        // annotation lists (spec §9) never is, SLRT's extracted features are (PickledTorchStorage scans it first).
        list.Add(new("torch._utils._rebuild_tensor_v2", a => new TorchTensorPlaceholder(Longs(a[2]))
        {
            Storage = a[0] as PickledTorchStorage, StorageOffset = Convert.ToInt64(a[1]), Stride = Longs(a[3]),
        }));
        list.Add(new("torch.storage._load_from_bytes", a => new PickledTorchStorage(Bytes(a[0]))));
        return list.ToDictionary(c => c.Name, StringComparer.Ordinal);
    }

    private static long[] Longs(object o) => ((object[])o).Select(Convert.ToInt64).ToArray();

    private static byte[] Bytes(object o) => o switch
    {
        byte[] b => b,
        string s => Encoding.Latin1.GetBytes(s),
        _ => throw new InvalidCastException($"expected bytes, got {o.GetType().Name}"),
    };
}
