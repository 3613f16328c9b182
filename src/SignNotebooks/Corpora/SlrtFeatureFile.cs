using System.Collections;
using SignNotebooks.Util;
using TorchSharp;

namespace SignNotebooks.Corpora;

/// <summary>
/// The sign features SLRT's <c>extract_feature.py</c> writes for TwoStream-SLT's Sign2Text (spec §10.3):
/// <c>&lt;dir&gt;/head_rgb_input/&lt;split&gt;.pkl</c> and <c>&lt;dir&gt;/head_keypoint_input/&lt;split&gt;.pkl</c>, each a gzip-pickled
/// list of <c>{'name', 'gloss', 'text', 'num_frames', 'sign'}</c> where <c>sign</c> is the pooled C4 feature (T', C) of one
/// clip as a pickled CPU torch tensor (possibly a strided view into its batch). Read through the allow-listed
/// <see cref="SafeUnpickler"/>; the tensors returned are new contiguous float32 CPU tensors owned by the caller.
/// </summary>
public static class SlrtFeatureFile
{
    /// <summary>The sub-folders of a feature directory, one per stream (the names of the model's head inputs).</summary>
    public const string VideoFolder = "head_rgb_input", KeypointFolder = "head_keypoint_input";

    /// <summary>Reads one feature file: clip name → (T', C) float32 tensor.</summary>
    public static IReadOnlyDictionary<string, torch.Tensor> Read(string path)
    {
        if (SafeUnpickler.Load(path) is not IList list)
            throw new UserFacingException($"{path}: not an SLRT feature file: the pickle is not a list of records. " +
                                          $"Fix: pass <feature dir>/{VideoFolder}/<split>.pkl or {KeypointFolder}/<split>.pkl written by extract_feature.py.");
        if (list.Count == 0)
            throw new UserFacingException($"{path}: the feature file holds no records. Fix: extract the features for this split again; the run producing it probably stopped early.");

        // Check every record before building any tensor, so a refusal leaves nothing to dispose.
        var records = new List<(string Name, TorchTensorPlaceholder Sign)>(list.Count);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < list.Count; i++)
        {
            if (list[i] is not IDictionary d)
                throw new UserFacingException($"{path}: record {i} is not a dict but {list[i]?.GetType().Name ?? "None"}. Fix: pass the feature file extract_feature.py wrote, not another list.");
            if (!d.Contains("name") || d["name"] is not string { Length: > 0 } name)
                throw new UserFacingException($"{path}: record {i} has no 'name'. Fix: features must carry the clip name of the annotation list; extract them again with extract_feature.py.");
            if (!d.Contains("sign"))
                throw new UserFacingException($"{path}: record {i} ({name}) has no 'sign' feature. Fix: extract the features again with extract_feature.py.");
            if (d["sign"] is not TorchTensorPlaceholder { Storage: not null } sign)
                throw new UserFacingException($"{path}: record {i} ({name}) has a 'sign' that is {(d["sign"] is TorchTensorPlaceholder ? "a tensor without storage" : d["sign"]?.GetType().Name ?? "None")}, not a torch tensor with data. " +
                                              "Fix: pickle the (T', C) feature as a CPU torch tensor, as extract_feature.py does.");
            if (sign.Shape.Length != 2)
                throw new UserFacingException($"{path}: record {i} ({name}) has a {sign.Shape.Length}-D 'sign' ({string.Join("x", sign.Shape)}); a feature is (T', C). " +
                                              "Fix: store one clip per record (batch_output[i], not the whole batch) and the pooled features, not the frames.");
            if (sign.Shape[0] == 0)
                throw new UserFacingException($"{path}: record {i} ({name}) has no feature steps (0x{sign.Shape[1]}). Fix: the clip is empty; extract it again or drop it from the split.");
            if (seen.TryGetValue(name, out int first))
                throw new UserFacingException($"{path}: records {first} and {i} are both named '{name}'. Fix: extract each clip once (was the split listed twice?).");
            if (records.Count > 0 && sign.Shape[1] != records[0].Sign.Shape[1])
                throw new UserFacingException($"{path}: record {i} ({name}) has {sign.Shape[1]} channels but record 0 ({records[0].Name}) has {records[0].Sign.Shape[1]}. " +
                                              "Fix: all clips of a file come from one model; extract them again with a single checkpoint.");
            seen[name] = i;
            records.Add((name, sign));
        }

        var result = new Dictionary<string, torch.Tensor>(records.Count, StringComparer.Ordinal);
        try
        {
            for (int i = 0; i < records.Count; i++)
            {
                var (name, sign) = records[i];
                result[name] = torch.tensor(sign.ReadFloat32($"{path}: record {i} ({name})"), sign.Shape); // (T', C)
            }
        }
        catch
        {
            foreach (var t in result.Values) t.Dispose();
            throw;
        }
        return result;
    }

    /// <summary>
    /// Reads both streams of a split: clip name → (video feature, keypoint feature), each (T', C), checking that the two
    /// files hold the same clips with the same lengths and widths.
    /// </summary>
    public static IReadOnlyDictionary<string, (torch.Tensor Video, torch.Tensor Keypoint)> ReadSplit(string featureDir, string split)
    {
        string videoPath = Path.Combine(featureDir, VideoFolder, split + ".pkl"), keypointPath = Path.Combine(featureDir, KeypointFolder, split + ".pkl");
        var missing = new[] { videoPath, keypointPath }.Where(p => !File.Exists(p)).ToList();
        if (missing.Count > 0)
            throw new UserFacingException($"{featureDir}: the {split} features are incomplete: {string.Join(" and ", missing)} " +
                                          $"{(missing.Count == 1 ? "is" : "are")} missing (Sign2Text needs both {VideoFolder}/{split}.pkl and {KeypointFolder}/{split}.pkl). " +
                                          $"Fix: run SLRT's extract_feature.py for the {split} split, or pass --recognition S2G.ckpt to extract them with the recognition checkpoint.");
        var video = Read(videoPath);
        IReadOnlyDictionary<string, torch.Tensor>? keypoint = null;
        try
        {
            keypoint = Read(keypointPath);
            Compare(videoPath, video, keypointPath, keypoint);
            return video.ToDictionary(kv => kv.Key, kv => (kv.Value, keypoint[kv.Key]), StringComparer.Ordinal);
        }
        catch
        {
            foreach (var t in video.Values.Concat(keypoint?.Values ?? [])) t.Dispose();
            throw;
        }
    }

    private static void Compare(string videoPath, IReadOnlyDictionary<string, torch.Tensor> video, string keypointPath, IReadOnlyDictionary<string, torch.Tensor> keypoint)
    {
        const string fix = "Fix: extract both streams in one run of extract_feature.py with one checkpoint.";
        var onlyVideo = video.Keys.Where(n => !keypoint.ContainsKey(n)).Order(StringComparer.Ordinal).ToList();
        var onlyKeypoint = keypoint.Keys.Where(n => !video.ContainsKey(n)).Order(StringComparer.Ordinal).ToList();
        if (onlyVideo.Count + onlyKeypoint.Count > 0)
        {
            static string First(List<string> names) => names.Count == 0 ? "none" : string.Join(", ", names.Take(5)) + (names.Count > 5 ? $" and {names.Count - 5} more" : "");
            throw new UserFacingException($"{videoPath} and {keypointPath} hold different clips: {onlyVideo.Count} only in the first ({First(onlyVideo)}), " +
                                          $"{onlyKeypoint.Count} only in the second ({First(onlyKeypoint)}). {fix}");
        }
        long videoChannels = video.Values.First().shape[1], keypointChannels = keypoint.Values.First().shape[1];
        if (videoChannels != keypointChannels)
            throw new UserFacingException($"{videoPath} has {videoChannels} channels but {keypointPath} has {keypointChannels}. " +
                                          "Fix: both streams come from one TwoStream model of one width; extract them again with the same checkpoint.");
        foreach (var (name, v) in video.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            if (v.shape[0] != keypoint[name].shape[0])
                throw new UserFacingException($"clip '{name}' has {v.shape[0]} feature steps in {videoPath} but {keypoint[name].shape[0]} in {keypointPath}. {fix}");
    }
}
