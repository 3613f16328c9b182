using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using SignNotebooks.Util;

namespace SignNotebooks.Pose.Holistic;

/// <summary>
/// MediaPipe Holistic's pretrained models, from the npm package <c>@mediapipe/holistic</c> (Apache-2.0), pinned by
/// version and by the SHA-256 of its archive. <c>npm pack</c> fetches the archive without installing anything; the
/// pose landmark models are plain files in it, the others sit in <c>holistic_solution_packed_assets.data</c> at the
/// byte ranges its Emscripten loader script lists.
/// </summary>
public static partial class HolisticAssets
{
    public const string Package = "@mediapipe/holistic";
    public const string Version = "0.5.1675471629";
    /// <summary>SHA-256 of <c>npm pack @mediapipe/holistic@0.5.1675471629</c>'s archive (52,558,610 bytes).</summary>
    public const string ArchiveSha256 = "8a3c0632e40e761e637d020738e96dc54d9bbbd4330ce2b206469fe467fd708b";
    public static string ArchiveName => $"mediapipe-holistic-{Version}.tgz";

    /// <summary>The models the pipeline runs (palm detection is not: hands are found from the pose, as Holistic does).</summary>
    public static readonly string[] Models =
    [
        "pose_detection", "pose_landmark_lite", "pose_landmark_full", "pose_landmark_heavy",
        "hand_recrop", "hand_landmark_full", "face_detection_short_range", "face_landmark",
    ];

    /// <summary>The cache: <c>SIGNNB_MEDIAPIPE_CACHE</c>, else <c>~/.cache/signnotebooks/mediapipe</c>.</summary>
    public static string CacheRoot
    {
        get
        {
            var env = Environment.GetEnvironmentVariable("SIGNNB_MEDIAPIPE_CACHE");
            if (!string.IsNullOrEmpty(env)) return Path.GetFullPath(env);
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "signnotebooks", "mediapipe");
        }
    }

    public static string ArchivePath => Path.Combine(CacheRoot, ArchiveName);
    /// <summary>Folder of the unpacked .tflite files.</summary>
    public static string ModelDir => Path.Combine(CacheRoot, Version);
    public static string TflitePath(string model) => Path.Combine(ModelDir, model + ".tflite");

    /// <summary>The converted model (<see cref="Tflite.TfliteToOnnx"/>), in a folder per converter version.</summary>
    public static string OnnxPath(string model) => Path.Combine(ModelDir, $"onnx-v{Tflite.TfliteToOnnx.ConverterVersion}", model + ".onnx");

    /// <summary>Fetch, unpack and convert every model the pipeline runs; each step is skipped when its result is there.</summary>
    public static void Prepare(Action<string>? log = null)
    {
        log ??= _ => { };
        Fetch(log);
        foreach (var m in Models)
        {
            var onnx = OnnxPath(m);
            if (File.Exists(onnx)) continue;
            Directory.CreateDirectory(Path.GetDirectoryName(onnx)!);
            var sw = System.Diagnostics.Stopwatch.StartNew();
            Tflite.TfliteToOnnx.ConvertFile(TflitePath(m), onnx);
            log($"mediapipe: converted {m}.tflite → {onnx} in {sw.Elapsed.TotalSeconds:F1} s");
        }
    }

    /// <summary>The ONNX file of <paramref name="model"/>, or a <see cref="UserFacingException"/> saying how to make it.</summary>
    public static string RequireOnnx(string model)
    {
        var p = OnnxPath(model);
        if (!File.Exists(p))
            throw new UserFacingException($"{p}: MediaPipe model '{model}' not converted yet. Fix: `signnb mediapipe fetch` (environment/setup.sh runs it; needs npm).");
        return p;
    }

    /// <summary>One line for `signnb doctor`: which models are unpacked and converted.</summary>
    public static (bool Ok, string Detail) Status()
    {
        var missing = Models.Where(m => !File.Exists(OnnxPath(m))).ToList();
        return missing.Count == 0
            ? (true, $"{Package}@{Version}: {Models.Length} models converted to ONNX in {Path.GetDirectoryName(OnnxPath(Models[0]))}")
            : (false, $"{Package}@{Version}: {missing.Count} of {Models.Length} models not converted ({string.Join(", ", missing)}) under {ModelDir}");
    }

    /// <summary>Fetches the archive (when missing) with <c>npm pack</c>, checks its SHA-256 and unpacks every .tflite file.</summary>
    public static void Fetch(Action<string>? log = null)
    {
        log ??= _ => { };
        Directory.CreateDirectory(CacheRoot);
        if (!File.Exists(ArchivePath))
        {
            log($"mediapipe: npm pack {Package}@{Version} into {CacheRoot}");
            var (ok, output) = Doctor.Exec("npm", $"pack {Package}@{Version} --pack-destination \"{CacheRoot}\" --silent", timeoutMs: 600_000);
            if (!ok || !File.Exists(ArchivePath))
                throw new UserFacingException($"could not fetch {Package}@{Version} with npm ({output.Trim()}). " +
                                              "Fix: install npm (apt-get install -y npm) and make sure the npm registry is reachable, then run `signnb mediapipe fetch`.");
        }
        var sha = Sha256(ArchivePath);
        if (sha != ArchiveSha256)
            throw new UserFacingException($"{ArchivePath}: SHA-256 {sha}, expected {ArchiveSha256} (pinned in HolisticAssets). " +
                                          "Fix: delete the file and run `signnb mediapipe fetch` again; if it still differs, the registry served another archive.");
        if (Models.All(m => File.Exists(TflitePath(m)))) return;
        Unpack(ArchivePath, ModelDir);
        log($"mediapipe: unpacked {Directory.GetFiles(ModelDir, "*.tflite").Length} .tflite files into {ModelDir}");
    }

    /// <summary>Writes every .tflite file of the archive, loose or packed, into <paramref name="dir"/>.</summary>
    public static void Unpack(string archive, string dir)
    {
        Directory.CreateDirectory(dir);
        var files = ReadArchive(archive, n => n.EndsWith(".tflite", StringComparison.Ordinal) || n.EndsWith("_packed_assets.data", StringComparison.Ordinal)
                                              || n.EndsWith("_packed_assets_loader.js", StringComparison.Ordinal));
        foreach (var (name, bytes) in files.Where(f => f.Key.EndsWith(".tflite", StringComparison.Ordinal)))
            WriteAtomic(Path.Combine(dir, Path.GetFileName(name)), bytes);
        var loader = files.SingleOrDefault(f => f.Key.EndsWith("_packed_assets_loader.js", StringComparison.Ordinal));
        var data = files.SingleOrDefault(f => f.Key.EndsWith("_packed_assets.data", StringComparison.Ordinal));
        if (loader.Value is null || data.Value is null)
            throw new UserFacingException($"{archive}: no packed assets or loader script in the archive; is it {Package}@{Version}?");
        foreach (var (name, start, end) in PackedRanges(System.Text.Encoding.UTF8.GetString(loader.Value)))
        {
            if (!name.EndsWith(".tflite", StringComparison.Ordinal)) continue;
            if (start < 0 || end > data.Value.Length || end <= start)
                throw new UserFacingException($"{archive}: the loader gives {name} bytes [{start}, {end}) but the data file has {data.Value.Length}");
            WriteAtomic(Path.Combine(dir, Path.GetFileName(name)), data.Value[start..end]);
        }
    }

    /// <summary>The (file name, start, end) entries of an Emscripten file-packager loader's metadata.</summary>
    public static IReadOnlyList<(string Name, int Start, int End)> PackedRanges(string loaderJs) =>
        RangeEntry().Matches(loaderJs).Select(m => (m.Groups[1].Value, int.Parse(m.Groups[2].Value), int.Parse(m.Groups[3].Value))).ToList();

    [GeneratedRegex("\"filename\":\\s*\"([^\"]+)\",\\s*\"start\":\\s*(\\d+),\\s*\"end\":\\s*(\\d+)")]
    private static partial Regex RangeEntry();

    private static Dictionary<string, byte[]> ReadArchive(string archive, Func<string, bool> want)
    {
        var result = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        using var gz = new GZipStream(File.OpenRead(archive), CompressionMode.Decompress);
        using var tar = new TarReader(gz);
        while (tar.GetNextEntry() is { } e)
        {
            if (e.DataStream is null || !want(e.Name)) continue;
            using var ms = new MemoryStream();
            e.DataStream.CopyTo(ms);
            result[e.Name] = ms.ToArray();
        }
        return result;
    }

    internal static string Sha256(string path)
    {
        using var f = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(f)).ToLowerInvariant();
    }

    internal static void WriteAtomic(string path, byte[] bytes)
    {
        var tmp = path + ".tmp";
        File.WriteAllBytes(tmp, bytes);
        File.Move(tmp, path, overwrite: true);
    }
}
