using System.Collections;
using SignNotebooks.Util;

namespace SignNotebooks.Corpora;

/// <summary>
/// SLRT's <c>data/&lt;ds&gt;/&lt;ds&gt;.{train,dev,test}</c>: a gzip-compressed pickle of a list of dicts (spec §9). Fields read:
/// <c>name, signer, gloss, text, num_frames</c>; the empty <c>sign</c> tensor and the Phoenix-2014T alignments are ignored.
/// </summary>
public static class SlrtAnnotationFile
{
    public static List<SlrtAnnotation> Read(string path)
    {
        if (SafeUnpickler.Load(path) is not IList list)
            throw new UserFacingException($"{path}: not an SLRT annotation file: the pickle is not a list of records. Fix: pass data/<dataset>/<dataset>.<split>.");
        var result = new List<SlrtAnnotation>(list.Count);
        for (int i = 0; i < list.Count; i++)
        {
            if (list[i] is not IDictionary d)
                throw new UserFacingException($"{path}: record {i} is not a dict. Fix: pass SLRT's annotation file, not another list.");
            string Field(string key) => d.Contains(key) && d[key] is { } v ? Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture)!
                : throw new UserFacingException($"{path}: record {i} ({d["name"] ?? "no name"}) has no '{key}' field. Fix: use the annotation files SLRT publishes (spec §9).");
            string name = Field("name"), gloss = Field("gloss");
            if (!int.TryParse(Field("num_frames"), out int frames) || frames <= 0)
                throw new UserFacingException($"{path}: record {i} ({name}) has num_frames '{d["num_frames"]}'. Fix: it must be the clip's positive frame count.");
            if (gloss.Trim().Length == 0)
                throw new UserFacingException($"{path}: record {i} ({name}) has an empty gloss. Fix: restore it from the original annotation or drop the record.");
            result.Add(new SlrtAnnotation(name, d.Contains("signer") ? Field("signer") : "", gloss.Split(' ', StringSplitOptions.RemoveEmptyEntries),
                d.Contains("text") ? d["text"] as string : null, frames));
        }
        return result;
    }
}
