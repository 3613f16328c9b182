using System.Text;

namespace SignNotebooks.Keypoints;

/// <summary>One component of a pose-format header: a named group of points with limbs and colours.</summary>
/// <param name="Format">Point format, one letter per value, the last being the confidence ("XYC", "XYZC").</param>
public sealed record PoseComponent(string Name, string Format, string[] Points, (int From, int To)[] Limbs, (int R, int G, int B)[] Colors);

/// <summary>
/// The contents of a pose-format <c>.pose</c> file. <see cref="Data"/> is float32 (frames, people, points, dims)
/// and <see cref="Confidence"/> float32 (frames, people, points); points run over the components in header order.
/// </summary>
public sealed record PoseData(float Version, int Width, int Height, int Depth, IReadOnlyList<PoseComponent> Components,
    float Fps, int Frames, int People, float[] Data, float[] Confidence)
{
    /// <summary>Points per person: the sum over components.</summary>
    public int Points => Components.Sum(c => c.Points.Length);
    /// <summary>Spatial values per point: the longest component format minus its confidence letter.</summary>
    public int Dims => Components.Count == 0 ? 0 : Components.Max(c => c.Format.Length) - 1;
}

/// <summary>
/// Reads and writes the binary <c>.pose</c> format of sign-language-processing/pose (MIT), written here from its
/// documented layout (docs/specs/v0.1.md, v0.2.md), all little-endian:
/// <list type="bullet">
/// <item>Header: float version; ushort width, height, depth; ushort component count; per component: string name,
/// string format, ushort points/limbs/colors counts, point names (strings), limbs (ushort from, to), colours
/// (ushort r, g, b). A string is a ushort byte length followed by UTF-8 bytes.</item>
/// <item>Body v0.1: ushort fps, ushort frames (unreliable: the frame count comes from the bytes left), ushort people.
/// Body v0.2: float fps, uint frames, ushort people. Then float32 data (frames, people, points, dims) followed by
/// float32 confidence (frames, people, points).</item>
/// </list>
/// Versions 0.1 and 0.2 are read; files are written as 0.2.
/// </summary>
public static partial class PoseFile
{
    /// <summary>The version this writer produces.</summary>
    public const float WriteVersion = 0.2f;

    public static PoseData Read(string path)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw Bad(path, $"cannot be read ({e.Message})", "check the path"); }
        var r = new Reader(bytes, path);
        float version = r.Float("version");
        int v = (int)Math.Round(version * 1000);
        if (v != 100 && v != 200)
            throw Bad(path, $"has pose-format version {version.ToString(System.Globalization.CultureInfo.InvariantCulture)}; this reader knows 0.1 and 0.2",
                "re-save it with a current pose-format (pip install -U pose-format; Pose.read(...).write(...)) or check that it is a .pose file");
        int width = r.UShort("width"), height = r.UShort("height"), depth = r.UShort("depth");
        int nComp = r.UShort("component count");
        var comps = new List<PoseComponent>(nComp);
        for (int c = 0; c < nComp; c++)
        {
            string where = $"component {c}";
            string name = r.Str($"{where} name"), format = r.Str($"{where} format");
            if (format.Length < 2) throw Bad(path, $"{where} '{name}' has point format '{format}' (needs at least one coordinate and the confidence, e.g. XYC)", "re-export the file");
            int np = r.UShort($"{where} point count"), nl = r.UShort($"{where} limb count"), nc = r.UShort($"{where} colour count");
            var names = new string[np];
            for (int i = 0; i < np; i++) names[i] = r.Str($"{where} point {i} name");
            var limbs = new (int, int)[nl];
            for (int i = 0; i < nl; i++) limbs[i] = (r.UShort($"{where} limb {i}"), r.UShort($"{where} limb {i}"));
            var colors = new (int, int, int)[nc];
            for (int i = 0; i < nc; i++) colors[i] = (r.UShort($"{where} colour {i}"), r.UShort($"{where} colour {i}"), r.UShort($"{where} colour {i}"));
            comps.Add(new PoseComponent(name, format, names, limbs, colors));
        }
        float fps; int frames;
        if (v == 100) { fps = r.UShort("fps"); r.UShort("frame count"); frames = -1; }
        else { fps = r.Float("fps"); frames = checked((int)r.UInt("frame count")); }
        int people = r.UShort("people count");
        int points = comps.Sum(c => c.Points.Length), dims = comps.Count == 0 ? 0 : comps.Max(c => c.Format.Length) - 1;
        long perFrame = (long)people * points * (dims + 1) * 4;
        if (frames < 0) frames = perFrame == 0 ? 0 : (int)(r.Left / perFrame);
        long need = frames * perFrame;
        if (r.Left < need)
            throw Bad(path, $"is truncated: the body needs {need} bytes for {frames} frames x {people} people x {points} points x ({dims} values + confidence) but {r.Left} remain",
                "re-copy or re-export the file; a partial download or an interrupted write leaves this");
        var data = r.Floats(frames * people * points * dims);
        var conf = r.Floats(frames * people * points);
        return new PoseData(version, width, height, depth, comps, fps, frames, people, data, conf);
    }

    public static void Write(string path, PoseData pose)
    {
        int points = pose.Points, dims = pose.Dims;
        if (pose.Data.Length != (long)pose.Frames * pose.People * points * dims || pose.Confidence.Length != (long)pose.Frames * pose.People * points)
            throw new ArgumentException($"pose data for {path}: {pose.Data.Length} values and {pose.Confidence.Length} confidences do not fit ({pose.Frames}, {pose.People}, {points}, {dims})");
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        var tmp = path + ".tmp";
        using (var w = new BinaryWriter(File.Create(tmp)))
        {
            w.Write(WriteVersion);
            w.Write(U16(pose.Width, "width")); w.Write(U16(pose.Height, "height")); w.Write(U16(pose.Depth, "depth"));
            w.Write(U16(pose.Components.Count, "component count"));
            foreach (var c in pose.Components)
            {
                WriteStr(w, c.Name); WriteStr(w, c.Format);
                w.Write(U16(c.Points.Length, "points")); w.Write(U16(c.Limbs.Length, "limbs")); w.Write(U16(c.Colors.Length, "colours"));
                foreach (var p in c.Points) WriteStr(w, p);
                foreach (var (a, b) in c.Limbs) { w.Write(U16(a, "limb")); w.Write(U16(b, "limb")); }
                foreach (var (r, g, b) in c.Colors) { w.Write(U16(r, "red")); w.Write(U16(g, "green")); w.Write(U16(b, "blue")); }
            }
            w.Write(pose.Fps);
            w.Write((uint)pose.Frames);
            w.Write(U16(pose.People, "people"));
            foreach (var f in pose.Data) w.Write(f);
            foreach (var f in pose.Confidence) w.Write(f);
        }
        File.Move(tmp, path, overwrite: true);
    }

    static ushort U16(int v, string what) =>
        v is >= 0 and <= ushort.MaxValue ? (ushort)v : throw new ArgumentOutOfRangeException(what, $"{what} {v} does not fit the .pose format's unsigned short");

    static void WriteStr(BinaryWriter w, string s)
    {
        var b = Encoding.UTF8.GetBytes(s);
        w.Write(U16(b.Length, "string length"));
        w.Write(b);
    }

    static InvalidDataException Bad(string path, string what, string fix) => new($"{path}: {what}. Fix: {fix}.");

    sealed class Reader(byte[] b, string path)
    {
        int _at;
        public long Left => b.Length - _at;
        byte[] Take(int n, string what)
        {
            if (b.Length - _at < n)
                throw Bad(path, $"is truncated: it ends at byte {b.Length} while reading the {what} (needs {n} more bytes from byte {_at})",
                    "re-copy or re-export the file; a partial download or an interrupted write leaves this");
            var s = b.AsSpan(_at, n).ToArray(); _at += n; return s;
        }
        public float Float(string what) => BitConverter.ToSingle(Take(4, what));
        public int UShort(string what) => BitConverter.ToUInt16(Take(2, what));
        public uint UInt(string what) => BitConverter.ToUInt32(Take(4, what));
        public string Str(string what) => Encoding.UTF8.GetString(Take(UShort(what + " length"), what));
        public float[] Floats(long n)
        {
            var f = new float[n];
            Buffer.BlockCopy(b, _at, f, 0, checked((int)(n * 4)));
            _at += (int)(n * 4);
            return f;
        }
    }
}
