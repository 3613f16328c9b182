using SignNotebooks.Data;
using SignNotebooks.Util;

namespace SignNotebooks.Corpora;

/// <summary>
/// A corpus as SLRT's code reads it (spec §9): gzip-pickled annotation lists <c>&lt;dir&gt;/&lt;ds&gt;.{train,dev,test}</c>,
/// frames from <c>&lt;ds&gt;-videos.zip</c> or a folder at SLRT's inner paths, keypoints from <c>&lt;ds&gt;-keypoints.pkl</c>.
/// Clip names are SLRT's (e.g. <c>train/&lt;name&gt;</c> for Phoenix-2014T); the frame count is the record's num_frames.
/// </summary>
public sealed class SlrtCorpus : ISignDataset, IDisposable
{
    private readonly Dictionary<string, List<SlrtAnnotation>> _records = new(StringComparer.Ordinal);
    private readonly Dictionary<(string, string), SlrtAnnotation> _byName = new();
    private readonly SlrtFrameSource? _frames;
    private readonly string _dataset;

    public string Name => _dataset;
    public IReadOnlyList<string> Splits { get; } = ["train", "dev", "test"];
    public IReadOnlyList<string> Glosses { get; }
    public Vocabulary Vocabulary { get; }
    public KeypointFile? Keypoints { get; }

    /// <param name="dataset">phoenix-2014, phoenix-2014t or csl-daily.</param>
    /// <param name="dataDir">SLRT's data/&lt;dataset&gt; folder with the annotation lists.</param>
    /// <param name="frames">The videos zip or frame folder; null for keypoint-only use.</param>
    /// <param name="keypointFile">SLRT's keypoint pickle, or null.</param>
    public SlrtCorpus(string dataset, string dataDir, string? frames = null, string? keypointFile = null)
    {
        var layout = CorpusLayout.Get(dataset);
        _dataset = dataset;
        foreach (var split in Splits)
        {
            var list = SlrtAnnotationFile.Read(Path.Combine(dataDir, $"{dataset}.{split}"));
            _records[split] = list;
            foreach (var r in list)
                if (!_byName.TryAdd((split, r.Name), r))
                    throw new UserFacingException($"{Path.Combine(dataDir, $"{dataset}.{split}")}: clip '{r.Name}' appears twice. Fix: keep one record per clip.");
        }
        Glosses = _records["train"].SelectMany(r => r.Glosses).Distinct(StringComparer.Ordinal).ToList();
        Vocabulary = layout.BuildVocabulary(Glosses);
        _frames = frames is null ? null : new SlrtFrameSource(frames);
        Keypoints = keypointFile is null ? null : KeypointFile.Read(keypointFile);
    }

    public IReadOnlyList<string> ClipNames(string split) =>
        _records.TryGetValue(split, out var list) ? list.Select(r => r.Name).ToList()
            : throw new UserFacingException($"{_dataset} has no split '{split}'. Fix: use one of {string.Join(", ", Splits)}.");

    public SignClip Load(string split, string name, bool withFrames = true)
    {
        var r = _byName.TryGetValue((split, name), out var found) ? found
            : throw new UserFacingException($"{_dataset} {split}: no clip '{name}'. Fix: take names from ClipNames(\"{split}\").");
        int width = 0, height = 0;
        byte[]? frames = null;
        if (_frames is not null)
        {
            var first = SlrtFrameSource.InnerPath(_dataset, r.Name, 0);
            try { (width, height) = FrameFolder.Size(_frames.Read(first), first); }
            catch (InvalidDataException e) { throw new UserFacingException($"{e.Message}. Fix: extract the frame again.", e); }
            if (withFrames)
            {
                int size = width * height * 3;
                frames = new byte[(long)r.FrameCount * size <= int.MaxValue ? r.FrameCount * size
                    : throw new UserFacingException($"{name}: {r.FrameCount} frames of {width}x{height} do not fit in one array. Fix: resize the frames.")];
                for (int t = 0; t < r.FrameCount; t++)
                {
                    var inner = SlrtFrameSource.InnerPath(_dataset, r.Name, t);
                    try { FrameFolder.DecodeInto(_frames.Read(inner), inner, frames, t * size, width, height); }
                    catch (InvalidDataException e) { throw new UserFacingException($"{e.Message}. Fix: extract the frame again.", e); }
                }
            }
        }
        else if (withFrames)
            throw new UserFacingException($"{_dataset}: frames were asked for but no videos zip or frame folder was given. Fix: pass it, or load with withFrames: false.");

        float[] keypoints = [];
        if (Keypoints is not null)
        {
            var key = Keypoints.Find([r.Name])
                      ?? throw new UserFacingException($"{Keypoints.Path}: no keypoints for '{r.Name}'. Fix: use the keypoint file of this corpus.");
            var (t, error) = Keypoints.Shape(key);
            if (error is null && t != r.FrameCount)
                throw new UserFacingException($"{Keypoints.Path}: '{key}' has {t} frames of keypoints but its record says num_frames {r.FrameCount}. " +
                                              "Fix: use the keypoint file and annotations of the same release.");
            keypoints = Keypoints.Load(key);
        }
        return new SignClip(r.Name, split, r.Signer, r.FrameCount, width, height, frames, keypoints, r.Glosses, r.Text);
    }

    public void Dispose() => _frames?.Dispose();
}
