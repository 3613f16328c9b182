using SignNotebooks.Util;
using static TorchSharp.torch;

namespace SignNotebooks.Checkpoints;

/// <summary>
/// Stage-2 initialisation (spec §7.1): the best video-only and keypoint-only checkpoints give the two backbones and
/// the two main heads of the two-stream model; laterals, SPN, aux heads and the joint head stay random.
/// </summary>
public static class StreamMerge
{
    /// <summary>Renames both single-stream state dicts into one two-stream state dict (our names, no SLRT prefix).</summary>
    public static Dictionary<string, Tensor> Merge(StateDictFile video, StateDictFile keypoint)
    {
        var merged = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        Take(video, CheckpointFormat.SlrtVideo, "visual_backbone.", "visual_backbone_twostream.rgb_stream.", "visual_head.", merged);
        Take(keypoint, CheckpointFormat.SlrtKeypoint, "visual_backbone_keypoint.", "visual_backbone_twostream.pose_stream.", "visual_head_keypoint.", merged);
        return merged;
    }

    private static void Take(StateDictFile f, CheckpointFormat expected, string fromBackbone, string toBackbone, string head, Dictionary<string, Tensor> into)
    {
        var format = CheckpointInspector.Detect(f.Tensors.Keys);
        if (format != expected)
            throw new UserFacingException($"checkpoint {f.Path}: expected a {CheckpointInspector.Describe(expected)} checkpoint but found a " +
                                          $"{CheckpointInspector.Describe(format)} one. Fix: pass the video checkpoint as --video and the keypoint one as --keypoint.");
        foreach (var (key, t) in f.Tensors)
        {
            var k = key.StartsWith(KeyMaps.RecognitionPrefix, StringComparison.Ordinal) ? key[KeyMaps.RecognitionPrefix.Length..] : key;
            if (k.StartsWith(fromBackbone, StringComparison.Ordinal)) into[toBackbone + k[fromBackbone.Length..]] = t;
            else if (k.StartsWith(head, StringComparison.Ordinal)) into[k] = t;
        }
    }

    /// <summary>Merges and loads into a two-stream model; the report lists the new (random) modules as missing.</summary>
    public static LoadReport LoadInto(Models.RecognitionModel twoStream, StateDictFile video, StateDictFile keypoint)
    {
        if (twoStream.Config.Streams != Models.StreamKind.TwoStream)
            throw new UserFacingException("stream merge needs a two-stream model (e.g. variant twostream-paper).");
        var merged = Merge(video, keypoint);
        var file = new StateDictFile($"{video.Path} + {keypoint.Path}", merged, null, Array.Empty<string>());
        var report = CheckpointLoader.Load(twoStream, file);
        report.Hints.Add("missing laterals, pyramid, aux heads and joint head are expected: they start random in the joint stage (spec §7.1).");
        return report;
    }
}
