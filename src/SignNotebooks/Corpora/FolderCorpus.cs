using SignNotebooks.Data;
using SignNotebooks.Util;

namespace SignNotebooks.Corpora;

/// <summary>
/// An original corpus release on disk as an <see cref="ISignDataset"/>: annotations are read once, frames are
/// listed and decoded only when a clip is loaded, keypoints come from SLRT's keypoint file when one is given
/// (otherwise <see cref="SignClip.Keypoints"/> is empty and only the video stream can train).
/// </summary>
public sealed class FolderCorpus : ISignDataset
{
    private readonly Dictionary<string, List<CorpusRecord>> _records = new(StringComparer.Ordinal);
    private readonly Dictionary<(string, string), CorpusRecord> _byName = new();

    public CorpusLayout Layout { get; }
    public string Root { get; }
    public KeypointFile? Keypoints { get; }
    public string Name => Layout.Name;
    public IReadOnlyList<string> Splits => Layout.Splits;
    /// <summary>Distinct training glosses in order of first appearance.</summary>
    public IReadOnlyList<string> Glosses { get; }
    /// <summary>The corpus vocabulary per spec §6.</summary>
    public Vocabulary Vocabulary { get; }

    /// <summary>
    /// Opens <paramref name="root"/> as <paramref name="dataset"/> (phoenix-2014, phoenix-2014t, csl-daily). Annotation problems
    /// raise a <see cref="UserFacingException"/> naming the first one; `signnb data check` lists them all.
    /// </summary>
    public FolderCorpus(string dataset, string root, string? keypointFile = null)
    {
        Layout = CorpusLayout.Get(dataset);
        Root = root;
        if (!Directory.Exists(root)) throw new UserFacingException($"{root}: corpus folder not found. Fix: pass the folder that holds annotations/ and features/.");
        var problems = new List<CheckProblem>();
        foreach (var split in Layout.Splits)
        {
            var list = Layout.ReadSplit(root, split, problems);
            _records[split] = list;
            foreach (var r in list) _byName.TryAdd((split, r.Name), r);
        }
        var errors = problems.Where(p => p.IsError).ToList();
        if (errors.Count > 0)
            throw new UserFacingException($"{Layout.Title} at {root}: {errors[0]}{(errors.Count > 1 ? $" ({errors.Count - 1} more problems)" : "")} " +
                                          $"Run `signnb data check --dataset {Layout.Name} --root {root}` for the full list.");
        Glosses = _records["train"].SelectMany(r => r.Glosses).Distinct(StringComparer.Ordinal).ToList();
        Vocabulary = Layout.BuildVocabulary(Glosses);
        Keypoints = keypointFile is null ? null : KeypointFile.Read(keypointFile);
    }

    public IReadOnlyList<string> ClipNames(string split) =>
        _records.TryGetValue(split, out var list) ? list.Select(r => r.Name).ToList()
            : throw new UserFacingException($"{Layout.Title} has no split '{split}'. Fix: use one of {string.Join(", ", Splits)}.");

    /// <summary>The annotation row of a clip.</summary>
    public CorpusRecord Record(string split, string name) =>
        _byName.TryGetValue((split, name), out var r) ? r
            : throw new UserFacingException($"{Layout.Title} {split}: no clip '{name}'. Fix: take names from ClipNames(\"{split}\").");

    public SignClip Load(string split, string name, bool withFrames = true)
    {
        var r = Record(split, name);
        var where = $"{r.Source}:{r.Line} ({r.Name})";
        var files = FrameFolder.List(Path.Combine(Root, r.FrameDir), Layout.FrameExtension);
        if (files.Length == 0)
            throw new UserFacingException($"{where}: no {Layout.FrameExtension} frames in {r.FrameDir}. Fix: unpack the frames there, then run `signnb data check`.");
        int width, height;
        try { (width, height) = FrameFolder.Size(files[0]); }
        catch (InvalidDataException e) { throw new UserFacingException($"{where}: {e.Message}. Fix: extract the frame again.", e); }

        byte[]? frames = null;
        if (withFrames)
        {
            frames = new byte[(long)files.Length * width * height * 3 > int.MaxValue
                ? throw new UserFacingException($"{where}: {files.Length} frames of {width}x{height} do not fit in one array. Fix: resize the frames.")
                : files.Length * width * height * 3];
            for (int t = 0; t < files.Length; t++)
            {
                try { FrameFolder.DecodeInto(files[t], frames, t * width * height * 3, width, height); }
                catch (InvalidDataException e) { throw new UserFacingException($"{where}: {e.Message}. Fix: extract the frame again.", e); }
            }
        }

        float[] keypoints = [];
        if (Keypoints is not null)
        {
            var key = Keypoints.Find(r.KeypointKeys)
                      ?? throw new UserFacingException($"{Keypoints.Path}: no keypoints for {where} (looked for {string.Join(", ", r.KeypointKeys)}). " +
                                                       "Fix: use the keypoint file of this corpus, or run `signnb data check --keypoints`.");
            var (t, error) = Keypoints.Shape(key);
            if (error is null && t != files.Length)
                throw new UserFacingException($"{Keypoints.Path}: '{key}' has {t} frames of keypoints but {r.FrameDir} has {files.Length} frames. " +
                                              "Fix: extract keypoints and frames from the same video.");
            keypoints = Keypoints.Load(key);
        }
        return new SignClip(r.Name, split, r.Signer, files.Length, width, height, frames, keypoints, r.Glosses, r.Translation);
    }
}
