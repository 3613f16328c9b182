using System.IO.Compression;
using SignNotebooks.Util;

namespace SignNotebooks.Corpora;

/// <summary>
/// Where SLRT's loader finds a clip's frames: <c>&lt;ds&gt;-videos.zip</c> or a folder holding the same inner paths
/// (spec §9: P14T <c>images/{name}/images{i:04d}.png</c> from 1, P14 <c>{name}.avi_pid0_fn{i:06d}-0.png</c> from 0, CSL
/// <c>sentence_frames-512x512/{name}/{i:06d}.jpg</c> from 0). SLRT's own zip scripts junk these paths, so a folder
/// is the dependable form; a zip is read when it has them.
/// </summary>
public sealed class SlrtFrameSource : IDisposable
{
    private readonly ZipArchive? _zip;
    private readonly string _path;

    public SlrtFrameSource(string path)
    {
        _path = path;
        if (File.Exists(path))
        {
            try { _zip = ZipFile.OpenRead(path); }
            catch (InvalidDataException e) { throw new UserFacingException($"{path}: not a zip archive ({e.Message}). Fix: pass <dataset>-videos.zip or the folder of frames.", e); }
        }
        else if (!Directory.Exists(path))
            throw new UserFacingException($"{path}: neither a frame folder nor a zip archive. Fix: pass data/<dataset>/<dataset>-videos.zip or the folder it unpacks to.");
    }

    /// <summary>Inner path of frame <paramref name="i"/> (0-based) of clip <paramref name="name"/> (spec §9).</summary>
    public static string InnerPath(string dataset, string name, int i) => dataset switch
    {
        "phoenix-2014t" => $"images/{name}/images{i + 1:D4}.png",
        "phoenix-2014" => $"{name}.avi_pid0_fn{i:D6}-0.png",
        "csl-daily" => $"sentence_frames-512x512/{name}/{i:D6}.jpg",
        _ => throw new UserFacingException($"unknown dataset '{dataset}'. Fix: use one of {string.Join(", ", CorpusLayout.Names)}."),
    };

    /// <summary>Whether the archive or folder holds <paramref name="inner"/>.</summary>
    public bool Exists(string inner) => _zip is null ? File.Exists(Path.Combine(_path, inner)) : _zip.GetEntry(inner) is not null;

    /// <summary>True when this is a zip whose entries have no folders (made with <c>zip -r -j</c>, spec §9).</summary>
    public bool IsJunkedZip => _zip is not null && _zip.Entries.Count > 0 && _zip.Entries.All(e => !e.FullName.Contains('/'));

    /// <summary>The bytes of one frame file, or a message naming what is missing.</summary>
    public byte[] Read(string inner)
    {
        if (_zip is null)
        {
            var file = Path.Combine(_path, inner);
            return File.Exists(file) ? File.ReadAllBytes(file)
                : throw new UserFacingException($"{file}: frame not found. Fix: the folder must hold SLRT's inner paths (spec §9), e.g. {inner}.");
        }
        var entry = _zip.GetEntry(inner)
                    ?? throw new UserFacingException($"{_path}@{inner}: not in the archive. Fix: SLRT's zip scripts junk the paths (zip -r -j); unpack the frames to a folder with these paths and pass the folder.");
        using var s = entry.Open();
        var bytes = new byte[entry.Length];
        s.ReadExactly(bytes);
        return bytes;
    }

    public void Dispose() => _zip?.Dispose();
}
