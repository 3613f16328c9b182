using System.Collections;
using SignNotebooks.Data;
using SignNotebooks.Util;

namespace SignNotebooks.Corpora;

/// <summary>
/// SLRT's <c>&lt;ds&gt;-keypoints.pkl</c>: a dict from SLRT annotation name to <c>{'keypoints': float32 (T, 133, 3)}</c>
/// (HRNet COCO-WholeBody x, y, score in frame pixels; spec §1.2, §9). Arrays stay as raw bytes until a clip asks.
/// Keys are SLRT's names: <c>train/&lt;name&gt;</c> for Phoenix-2014T, <c>fullFrame-210x260px/&lt;split&gt;/&lt;folder&gt;/&lt;stem&gt;</c>
/// for Phoenix-2014, the bare name for CSL-Daily; <see cref="Find"/> tries the candidates a corpus gives.
/// </summary>
public sealed class KeypointFile
{
    private readonly Dictionary<string, NumpyArray> _arrays;
    // Phoenix-2014 keys end in the video stem, which the original annotations do not contain: index by folder too.
    private readonly Dictionary<string, string> _byFolder = new(StringComparer.Ordinal);

    public string Path { get; }
    public IReadOnlyCollection<string> Names => _arrays.Keys;

    private KeypointFile(string path, Dictionary<string, NumpyArray> arrays)
    {
        Path = path;
        _arrays = arrays;
        foreach (var k in arrays.Keys.Where(k => k.Count(c => c == '/') >= 3))
            _byFolder.TryAdd(k[..k.LastIndexOf('/')], k);
    }

    public static KeypointFile Read(string path)
    {
        if (SafeUnpickler.Load(path) is not IDictionary top)
            throw new UserFacingException($"{path}: not a keypoint file: the pickle is not a dict of name → {{'keypoints': array}}. Fix: pass SLRT's <dataset>-keypoints.pkl.");
        var arrays = new Dictionary<string, NumpyArray>(StringComparer.Ordinal);
        foreach (DictionaryEntry e in top)
        {
            var name = e.Key as string ?? throw new UserFacingException($"{path}: key {e.Key} is not a clip name. Fix: keys must be SLRT annotation names.");
            var array = e.Value switch
            {
                IDictionary d when d.Contains("keypoints") => d["keypoints"] as NumpyArray,
                NumpyArray a => a,   // some re-exports store the array directly
                _ => null,
            } ?? throw new UserFacingException($"{path}: entry '{name}' has no 'keypoints' array. Fix: each value must be {{'keypoints': float32 (T, 133, 3)}}.");
            arrays[name] = array;
        }
        return new KeypointFile(path, arrays);
    }

    /// <summary>The key that the first matching candidate names, or null.</summary>
    public string? Find(IEnumerable<string> candidates)
    {
        foreach (var c in candidates)
        {
            if (_arrays.ContainsKey(c)) return c;
            if (_byFolder.TryGetValue(c, out var k)) return k;
        }
        return null;
    }

    /// <summary>Frame count T of an entry, or an error text when its shape is not (T, 133, 3).</summary>
    public (int Frames, string? Error) Shape(string key)
    {
        var a = _arrays[key];
        if (a.Shape.Length != 3 || a.Shape[1] != SignClip.WholeBodyKeypoints || a.Shape[2] != 3)
            return (-1, $"shape {a.ShapeText}, expected (T, 133, 3) COCO-WholeBody (x, y, score)");
        return ((int)a.Shape[0], null);
    }

    /// <summary>(T, 133, 3) values, row-major, as float32.</summary>
    public float[] Load(string key)
    {
        var (_, error) = Shape(key);
        if (error is not null) throw new UserFacingException($"{Path}: entry '{key}' has {error}. Fix: use the whole-body keypoint file SLRT publishes.");
        return _arrays[key].ToFloat32();
    }
}
