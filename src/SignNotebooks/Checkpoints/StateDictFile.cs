using System.Collections;
using System.IO.Compression;
using SignNotebooks.Util;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace SignNotebooks.Checkpoints;

/// <summary>The tensors of a PyTorch file, flattened to one name → tensor map, plus what else the file held.</summary>
/// <param name="Path">The file read.</param>
/// <param name="Tensors">State-dict entries, with names as stored (prefixes untouched).</param>
/// <param name="Container">"model_state" when the tensors came from an SLRT training checkpoint dict, else null.</param>
/// <param name="OtherEntries">Top-level non-tensor entries (epoch, optimizer_state, …), by name.</param>
public sealed record StateDictFile(string Path, IReadOnlyDictionary<string, Tensor> Tensors, string? Container, IReadOnlyList<string> OtherEntries)
{
    /// <summary>
    /// Reads a `torch.save` zip file (.pt/.pth): a plain state dict, or an SLRT checkpoint dict with `model_state`
    /// inside (spec §12). Legacy (non-zip) files, truncated files and files without tensors raise a
    /// <see cref="UserFacingException"/> that names the file and the fix.
    /// </summary>
    public static StateDictFile Read(string path)
    {
        if (!File.Exists(path)) throw new UserFacingException($"checkpoint {path}: file not found. Fix: check the path.");
        switch (ZipIntegrity.Sniff(path, out var head))
        {
            case ZipIntegrity.Kind.Empty:
                throw new UserFacingException($"checkpoint {path}: the file is empty (0 bytes), probably an interrupted copy or save. Fix: copy or download it again.");
            case ZipIntegrity.Kind.Other:
                throw new UserFacingException($"checkpoint {path}: not a torch.save file: it starts with the bytes {Convert.ToHexString(head).ToLowerInvariant()}, " +
                                              "neither a zip archive (50 4b 03 04) nor a pickle (80 02..05). Fix: pass the .pt/.pth file torch.save wrote.");
            case ZipIntegrity.Kind.Zip:
                ZipIntegrity.Verify(path);
                CheckpointDigest.Verify(path);
                CheckpointPickleAllowList.Check(path);
                break;
        }
        Hashtable table;
        try
        {
            using var stream = File.OpenRead(path);
            table = PyTorchUnpickler.UnpickleStateDict(stream, false, false);
        }
        catch (NotImplementedException e)
        {
            throw new UserFacingException($"checkpoint {path}: {e.Message} Fix: in Python, `torch.save(torch.load(f), f2)` rewrites it in the zip format.", e);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException or InvalidCastException
                                      or InvalidOperationException or ArgumentException or Razorvine.Pickle.PickleException)
        {
            throw new UserFacingException($"checkpoint {path}: cannot be read as a PyTorch zip file ({e.GetType().Name}: {e.Message}). " +
                                          "It is probably truncated or not a torch.save file. Fix: download or copy it again and compare its size.", e);
        }

        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var others = new List<string>();
        string? container = null;
        if (table["model_state"] is IDictionary inner)
        {
            container = "model_state";
            foreach (DictionaryEntry e in inner) if (e.Value is Tensor t) tensors[(string)e.Key] = t;
            foreach (DictionaryEntry e in table) if ((string)e.Key != "model_state") others.Add((string)e.Key);
        }
        else
        {
            foreach (DictionaryEntry e in table)
            {
                if (e.Value is Tensor t) tensors[e.Key.ToString()!] = t;
                else others.Add(e.Key.ToString()!);
            }
        }
        if (tensors.Count == 0)
            throw new UserFacingException($"checkpoint {path}: holds no tensors (top-level entries: {string.Join(", ", others.Take(10))}). " +
                                          "Fix: pass a state dict or an SLRT checkpoint with `model_state`.");
        return new StateDictFile(path, tensors, container, others);
    }
}
