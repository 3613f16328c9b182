using System.Text;
using SignNotebooks.Keypoints;

namespace SignNotebooks.Corpora;

/// <summary>
/// Writes SLRT's keypoint pickle layout (spec §1.2, §9): a dict <c>name → {'keypoints': float32 (T, 133, 3)}</c>, as
/// pickle protocol 3 with numpy's own array reduction (<c>numpy.core.multiarray._reconstruct</c> + <c>__setstate__</c>),
/// exactly what <c>pickle.dump</c> of such a dict writes under numpy 1.x. Python's <c>pickle.load</c> (numpy 1 and 2)
/// and <see cref="KeypointFile"/> (whose allow-list admits these names only) read it back. Entries are written as
/// they come, so a corpus never has to be held in memory, into a temporary file that <see cref="Finish"/> moves into
/// place: an interrupted run leaves no truncated pickle behind.
/// </summary>
public sealed class KeypointPickleWriter : IDisposable
{
    private const int FrameValues = WholeBody.Count * WholeBody.Values;
    private readonly BinaryWriter _w;
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly string _path, _tmp;
    private bool _done;

    public KeypointPickleWriter(string path)
    {
        _path = Path.GetFullPath(path);
        _tmp = _path + $".{Environment.ProcessId}.tmp";
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        _w = new BinaryWriter(File.Create(_tmp), Encoding.UTF8);
        _w.Write((byte)0x80); _w.Write((byte)3);   // PROTO 3
        _w.Write((byte)'}');                       // EMPTY_DICT
    }

    /// <summary>Adds one clip: (T·133·3) keypoints in frame pixels.</summary>
    public void Add(string name, float[] keypoints, int frames)
    {
        if (keypoints.Length != frames * FrameValues)
            throw new ArgumentException($"'{name}': {keypoints.Length} values are not ({frames}, {WholeBody.Count}, {WholeBody.Values})");
        if (!_names.Add(name)) throw new ArgumentException($"'{name}' was added twice; SLRT's keys are unique clip names");
        Unicode(name);
        _w.Write((byte)'}');                       // EMPTY_DICT
        Unicode("keypoints");
        Array(keypoints, frames);
        _w.Write((byte)'s');                       // SETITEM (inner)
        _w.Write((byte)'s');                       // SETITEM (outer)
    }

    public int Count => _names.Count;

    // numpy 1.x: ndarray.__reduce__ = (_reconstruct, (ndarray, (0,), b'b'), (1, shape, dtype, is_fortran, raw bytes)).
    private void Array(float[] values, int frames)
    {
        Global("numpy.core.multiarray", "_reconstruct");
        Global("numpy", "ndarray");
        _w.Write((byte)'K'); _w.Write((byte)0); _w.Write((byte)0x85);   // (0,)
        _w.Write((byte)'C'); _w.Write((byte)1); _w.Write((byte)'b');     // b'b'
        _w.Write((byte)0x87);                                            // TUPLE3
        _w.Write((byte)'R');                                             // REDUCE
        _w.Write((byte)'(');                                             // MARK: the state tuple
        _w.Write((byte)'K'); _w.Write((byte)1);
        Int(frames); Int(WholeBody.Count); Int(WholeBody.Values); _w.Write((byte)0x87);
        Dtype();
        _w.Write((byte)0x89);                                            // NEWFALSE: C order
        _w.Write((byte)'B'); _w.Write(values.Length * 4);                // BINBYTES, little-endian float32
        var bytes = new byte[values.Length * 4];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("the pickle stores little-endian float32");
        _w.Write(bytes);
        _w.Write((byte)'t');                                             // TUPLE (to MARK)
        _w.Write((byte)'b');                                             // BUILD
    }

    // numpy.dtype('f4', False, True) with state (3, '<', None, None, None, -1, -1, 0).
    private void Dtype()
    {
        Global("numpy", "dtype");
        Unicode("f4"); _w.Write((byte)0x89); _w.Write((byte)0x88); _w.Write((byte)0x87);
        _w.Write((byte)'R');
        _w.Write((byte)'(');
        _w.Write((byte)'K'); _w.Write((byte)3);
        Unicode("<");
        _w.Write((byte)'N'); _w.Write((byte)'N'); _w.Write((byte)'N');
        Int(-1); Int(-1);
        _w.Write((byte)'K'); _w.Write((byte)0);
        _w.Write((byte)'t');
        _w.Write((byte)'b');
    }

    private void Global(string module, string name) => _w.Write(Encoding.ASCII.GetBytes($"c{module}\n{name}\n"));

    private void Unicode(string s)
    {
        var b = Encoding.UTF8.GetBytes(s);
        _w.Write((byte)'X'); _w.Write(b.Length); _w.Write(b);   // BINUNICODE
    }

    private void Int(int v) { _w.Write((byte)'J'); _w.Write(v); }   // BININT (signed 4-byte)

    /// <summary>Ends the pickle and moves it to its path.</summary>
    public void Finish()
    {
        _w.Write((byte)'.');   // STOP
        _w.Dispose();
        File.Move(_tmp, _path, overwrite: true);
        _done = true;
    }

    /// <summary>Without <see cref="Finish"/>, drops the temporary file.</summary>
    public void Dispose()
    {
        if (_done) return;
        _w.Dispose();
        File.Delete(_tmp);
    }

    /// <summary>Writes a whole pickle at once.</summary>
    public static void Write(string path, IEnumerable<(string Name, float[] Keypoints, int Frames)> clips)
    {
        using var w = new KeypointPickleWriter(path);
        foreach (var (name, kp, t) in clips) w.Add(name, kp, t);
        w.Finish();
    }
}
