using SignNotebooks.Util;
using TorchSharp;
using static TorchSharp.torch;

namespace SignNotebooks.Checkpoints;

/// <summary>
/// Loads a name → tensor map into any module by name, with a <see cref="LoadReport"/>: the generic counterpart of
/// <see cref="CheckpointLoader"/> for the translation models (Hugging Face mBART names, spec §10, §12). A model key
/// that is missing from the file but is the same tensor as a loaded key (tied weights such as <c>lm_head.weight</c>
/// and <c>model.shared.weight</c>) counts as loaded.
/// </summary>
public static class ModuleLoader
{
    /// <param name="prefix">File keys must start with it and lose it (e.g. <c>translation_network.</c>); others are ignored.</param>
    public static LoadReport Load(nn.Module model, StateDictFile file, string prefix = "", bool strict = false, string format = "state dict")
    {
        var report = new LoadReport { Source = file.Path, DetectedFormat = format };
        var target = model.state_dict();
        var plan = new List<(Tensor dst, Tensor src)>();
        var covered = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, src) in file.Tensors.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (!key.StartsWith(prefix, StringComparison.Ordinal)) { report.Ignored.Add(key); continue; }
            var k = key[prefix.Length..];
            if (!target.TryGetValue(k, out var dst)) { report.Unexpected.Add(key); continue; }
            if (!CheckpointLoader.SameShape(src, dst)) { report.ShapeMismatched.Add(new ShapeMismatch(key, src.shape, dst.shape, k)); continue; }
            plan.Add((dst, src));
            covered.Add(k);
            report.Loaded.Add(k);
        }
        var loadedStorage = target.Where(kv => covered.Contains(kv.Key)).Select(kv => TensorStorage.DataPointer(kv.Value)).ToHashSet();
        foreach (var (k, t) in target)
        {
            if (covered.Contains(k)) continue;
            if (loadedStorage.Contains(TensorStorage.DataPointer(t))) report.Loaded.Add(k);
            else report.Missing.Add(k);
        }
        if (strict && !report.IsComplete)
            throw new UserFacingException($"strict load refused, the model was not changed.\n{report}\nFix: build the model with the file's sizes (vocabulary, d_model, layers), or load non-strict.");
        if (plan.Count == 0)
            throw new UserFacingException($"nothing in the file fits this model, the model was not changed.\n{report}\nFix: check the file and the key prefix ('{prefix}').");
        using (torch.no_grad())
            foreach (var (dst, src) in plan) dst.copy_(src.to(dst.dtype).reshape(dst.shape));
        return report;
    }
}
