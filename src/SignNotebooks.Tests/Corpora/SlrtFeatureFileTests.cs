using System.Collections;
using SignNotebooks.Corpora;
using SignNotebooks.Util;
using TorchSharp;

namespace SignNotebooks.Tests.Corpora;

/// <summary>
/// <see cref="SlrtFeatureFile"/> against feature files written by Debian's Python with torch 1.13 the way SLRT's
/// extract_feature.py writes them (gzip.open + pickle.dump of a list of dicts holding CPU tensors).
/// </summary>
public sealed class SlrtFeatureFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("signnb-feat-").FullName;
    public void Dispose() => Directory.Delete(_dir, true);

    // Each clip's expected values go to <name>.<stream>.f32 (contiguous little-endian float32, what .numpy().tobytes() gives).
    private const string Write = """
        import collections, gzip, os, pickle, struct, sys, torch
        import torch.serialization as ser
        out = sys.argv[1]
        torch.manual_seed(0)
        C = 5
        def save(path, records):
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with gzip.open(path, 'wb') as f:
                pickle.dump(records, f)
        def record(name, sign, frames=8):
            return {'name': name, 'gloss': 'A B', 'text': 'a b .', 'num_frames': frames, 'sign': sign}
        def stream(tag):
            plain = torch.randn(3, C)
            batch = torch.randn(2, 4, C)        # a batch output; the clip is a view into it (offset 4*C)
            view = batch[1].detach().cpu()
            wide = torch.randn(C, 2)
            strided = wide.t()                  # (2, C), strides (1, 2): not contiguous
            assert view.storage_offset() == 4 * C and view.storage().size() == 2 * 4 * C and not strided.is_contiguous()
            for name, t in (('plain', plain), ('view', view), ('strided', strided)):
                with open(f'{out}/{name}.{tag}.f32', 'wb') as f:
                    f.write(t.contiguous().numpy().astype('<f4').tobytes())
            return [record('plain', plain), record('view', view), record('strided', strided)]
        save(f'{out}/feat/head_rgb_input/test.pkl', stream('video'))
        save(f'{out}/feat/head_keypoint_input/test.pkl', stream('keypoint'))

        # damage, one file each
        save(f'{out}/bad/three_d.pkl', [record('a', torch.zeros(2, C)), record('b', torch.zeros(1, 2, C))])
        save(f'{out}/bad/duplicate.pkl', [record('a', torch.zeros(2, C)), record('a', torch.zeros(3, C))])
        save(f'{out}/bad/channels.pkl', [record('a', torch.zeros(2, C)), record('b', torch.zeros(2, C + 1))])
        save(f'{out}/bad/no_sign.pkl', [record('a', torch.zeros(2, C)), {'name': 'b', 'gloss': 'A'}])
        save(f'{out}/bad/not_dicts.pkl', [('a', torch.zeros(2, C))])
        save(f'{out}/bad/empty_list.pkl', [])
        data = gzip.compress(pickle.dumps([record(f'c{i}', torch.randn(8, C)) for i in range(20)]))
        with open(f'{out}/bad/truncated.pkl', 'wb') as f:
            f.write(data[:len(data) // 2])
        class Reduce:
            def __init__(self, fn, args): self.fn, self.args = fn, args
            def __reduce__(self): return (self.fn, self.args)
        # a view reaching past its storage: 4 elements, offset 3, shape (2, 2)
        save(f'{out}/bad/past_storage.pkl', [record('a', Reduce(torch._utils._rebuild_tensor_v2,
             (torch.arange(4.0).storage(), 3, (2, 2), (2, 1), False, collections.OrderedDict())))])
        # the storage bytes' object pickle calls os.system instead of naming a storage
        sys_info = dict(protocol_version=ser.PROTOCOL_VERSION, little_endian=True, type_sizes=dict(short=2, int=4, long=4))
        evil = b''.join(pickle.dumps(x, protocol=2) for x in (ser.MAGIC_NUMBER, ser.PROTOCOL_VERSION, sys_info,
                        Reduce(os.system, (f'touch {out}/pwned',)), ['0'])) + struct.pack('<q', 1) + struct.pack('<f', 1.0)
        save(f'{out}/bad/evil.pkl', [record('a', Reduce(torch._utils._rebuild_tensor_v2,
             (Reduce(torch.storage._load_from_bytes, (evil,)), 0, (1, 1), (1, 1), False, collections.OrderedDict())))])

        # a split whose two streams disagree
        save(f'{out}/names/head_rgb_input/dev.pkl', [record('a', torch.zeros(2, C)), record('b', torch.zeros(2, C))])
        save(f'{out}/names/head_keypoint_input/dev.pkl', [record('a', torch.zeros(2, C)), record('c', torch.zeros(2, C))])
        save(f'{out}/steps/head_rgb_input/dev.pkl', [record('a', torch.zeros(2, C))])
        save(f'{out}/steps/head_keypoint_input/dev.pkl', [record('a', torch.zeros(3, C))])
        save(f'{out}/width/head_rgb_input/dev.pkl', [record('a', torch.zeros(2, C))])
        save(f'{out}/width/head_keypoint_input/dev.pkl', [record('a', torch.zeros(2, C + 3))])
        save(f'{out}/half/head_rgb_input/dev.pkl', [record('a', torch.zeros(2, C))])

        # other storage types
        src = torch.randn(2, 3)
        typed = {'f16': src.half(), 'bf16': src.bfloat16(), 'f64': src.double(), 'i64': torch.arange(-3, 3).reshape(2, 3),
                 'i32': torch.arange(6, dtype=torch.int32).reshape(3, 2).t()}
        with open(f'{out}/typed.pkl', 'wb') as f:
            pickle.dump(typed, f)
        for k, t in typed.items():
            with open(f'{out}/{k}.typed.f32', 'wb') as f:
                f.write(t.float().contiguous().numpy().astype('<f4').tobytes())
        with open(f'{out}/bool.pkl', 'wb') as f:
            pickle.dump({'b': torch.ones(2, dtype=torch.bool)}, f)
        """;

    private void Python() => DebianPython.RunScript(Write, _dir);

    private float[] Expected(string name, string tag)
    {
        var bytes = File.ReadAllBytes(Path.Combine(_dir, $"{name}.{tag}.f32"));
        return Enumerable.Range(0, bytes.Length / 4).Select(i => BitConverter.ToSingle(bytes, 4 * i)).ToArray();
    }

    private static int[] Bits(IEnumerable<float> v) => v.Select(BitConverter.SingleToInt32Bits).ToArray();

    private string Refusal(Action read) => Assert.Throws<UserFacingException>(read).Message;

    [TorchPickleFact]
    public void Features_read_bit_exact_including_batch_views_and_transposed_tensors()
    {
        Python();
        // The file really holds what extract_feature.py can write: a view 4·C into its batch's storage and a transposed tensor.
        var raw = ((IList)SafeUnpickler.Load(Path.Combine(_dir, "feat", "head_rgb_input", "test.pkl"))!).Cast<IDictionary>()
            .ToDictionary(d => (string)d["name"]!, d => (TorchTensorPlaceholder)d["sign"]!);
        Assert.Equal((20L, 40), (raw["view"].StorageOffset, raw["view"].Storage!.ReadFloat32("view").Values.Length));
        Assert.Equal(new long[] { 1, 2 }, raw["strided"].Stride);
        var split = SlrtFeatureFile.ReadSplit(Path.Combine(_dir, "feat"), "test");
        try
        {
            Assert.Equal(["plain", "strided", "view"], split.Keys.Order(StringComparer.Ordinal));
            var shapes = new Dictionary<string, long[]> { ["plain"] = [3, 5], ["view"] = [4, 5], ["strided"] = [2, 5] };
            foreach (var (name, (video, keypoint)) in split)
            {
                foreach (var (t, tag) in new[] { (video, "video"), (keypoint, "keypoint") })
                {
                    Assert.Equal(shapes[name], t.shape);
                    Assert.Equal(torch.ScalarType.Float32, t.dtype);
                    Assert.True(t.is_contiguous());
                    Assert.Equal(Bits(Expected(name, tag)), Bits(t.data<float>().ToArray()));
                }
                Assert.NotEqual(Bits(video.data<float>().ToArray()), Bits(keypoint.data<float>().ToArray()));
            }
        }
        finally
        {
            foreach (var (v, k) in split.Values) { v.Dispose(); k.Dispose(); }
        }
    }

    [TorchPickleFact]
    public void Half_bfloat16_double_and_small_integer_storages_become_float32_and_bool_is_refused()
    {
        Python();
        var typed = (IDictionary)SafeUnpickler.Load(Path.Combine(_dir, "typed.pkl"))!;
        foreach (var key in new[] { "f16", "bf16", "f64", "i64", "i32" })
        {
            var t = (TorchTensorPlaceholder)typed[key]!;
            Assert.Equal(Bits(Expected(key, "typed")), Bits(t.ReadFloat32(key)));
        }
        var b = (TorchTensorPlaceholder)((IDictionary)SafeUnpickler.Load(Path.Combine(_dir, "bool.pkl"))!)["b"]!;
        var message = Refusal(() => b.ReadFloat32("bool.pkl"));
        Assert.Contains("torch.BoolStorage, which is not on the allow-list of torch storages", message);
    }

    [TorchPickleFact]
    public void Damaged_feature_files_are_refused_with_the_record_and_the_fix()
    {
        Python();
        string Bad(string file) => Path.Combine(_dir, "bad", file);
        Assert.Equal($"{Bad("three_d.pkl")}: record 1 (b) has a 3-D 'sign' (1x2x5); a feature is (T', C). Fix: store one clip per record " +
                     "(batch_output[i], not the whole batch) and the pooled features, not the frames.", Refusal(() => SlrtFeatureFile.Read(Bad("three_d.pkl"))));
        Assert.StartsWith($"{Bad("duplicate.pkl")}: records 0 and 1 are both named 'a'. Fix:", Refusal(() => SlrtFeatureFile.Read(Bad("duplicate.pkl"))));
        Assert.StartsWith($"{Bad("channels.pkl")}: record 1 (b) has 6 channels but record 0 (a) has 5. Fix:", Refusal(() => SlrtFeatureFile.Read(Bad("channels.pkl"))));
        Assert.StartsWith($"{Bad("no_sign.pkl")}: record 1 (b) has no 'sign' feature. Fix:", Refusal(() => SlrtFeatureFile.Read(Bad("no_sign.pkl"))));
        Assert.StartsWith($"{Bad("not_dicts.pkl")}: record 0 is not a dict but Object[]. Fix:", Refusal(() => SlrtFeatureFile.Read(Bad("not_dicts.pkl"))));
        Assert.StartsWith($"{Bad("empty_list.pkl")}: the feature file holds no records. Fix:", Refusal(() => SlrtFeatureFile.Read(Bad("empty_list.pkl"))));
        var truncated = Refusal(() => SlrtFeatureFile.Read(Bad("truncated.pkl")));
        Assert.StartsWith($"{Bad("truncated.pkl")}: refused to unpickle: the file contains", truncated);
        Assert.Contains("truncated", truncated);
        Assert.Equal($"{Bad("past_storage.pkl")}: record 0 (a): the tensor (shape 2x2, stride (2, 1), offset 3) reaches storage element 6 " +
                     "but its storage holds 4. Fix: the file is damaged; extract the features again.", Refusal(() => SlrtFeatureFile.Read(Bad("past_storage.pkl"))));
        File.WriteAllBytes(Bad("empty.pkl"), []);
        Assert.StartsWith($"{Bad("empty.pkl")}: the file is empty. Fix:", Refusal(() => SlrtFeatureFile.Read(Bad("empty.pkl"))));
    }

    [TorchPickleFact]
    public void A_forbidden_global_inside_the_storage_bytes_is_refused_before_anything_runs()
    {
        Python();
        var message = Refusal(() => SlrtFeatureFile.Read(Path.Combine(_dir, "bad", "evil.pkl")));
        Assert.StartsWith($"{Path.Combine(_dir, "bad", "evil.pkl")}: record 0 (a) (torch storage bytes): refused to unpickle: it refers to posix.system, " +
                          "which is not on the allow-list of torch storages (torch.BFloat16Storage, torch.DoubleStorage, torch.FloatStorage, torch.HalfStorage, torch.IntStorage, torch.LongStorage). Fix:", message);
        Assert.False(File.Exists(Path.Combine(_dir, "pwned")));
    }

    [TorchPickleFact]
    public void Splits_whose_two_streams_disagree_or_miss_a_file_are_refused()
    {
        Python();
        var names = Path.Combine(_dir, "names");
        Assert.Equal($"{names}/head_rgb_input/dev.pkl and {names}/head_keypoint_input/dev.pkl hold different clips: 1 only in the first (b), " +
                     "1 only in the second (c). Fix: extract both streams in one run of extract_feature.py with one checkpoint.",
            Refusal(() => SlrtFeatureFile.ReadSplit(names, "dev")));
        var steps = Path.Combine(_dir, "steps");
        Assert.StartsWith($"clip 'a' has 2 feature steps in {steps}/head_rgb_input/dev.pkl but 3 in {steps}/head_keypoint_input/dev.pkl. Fix:",
            Refusal(() => SlrtFeatureFile.ReadSplit(steps, "dev")));
        var width = Path.Combine(_dir, "width");
        Assert.StartsWith($"{width}/head_rgb_input/dev.pkl has 5 channels but {width}/head_keypoint_input/dev.pkl has 8. Fix:",
            Refusal(() => SlrtFeatureFile.ReadSplit(width, "dev")));
        var half = Path.Combine(_dir, "half");
        Assert.Equal($"{half}: the dev features are incomplete: {half}/head_keypoint_input/dev.pkl is missing (Sign2Text needs both head_rgb_input/dev.pkl " +
                     "and head_keypoint_input/dev.pkl). Fix: run SLRT's extract_feature.py for the dev split, or pass --recognition S2G.ckpt to extract them " +
                     "with the recognition checkpoint.", Refusal(() => SlrtFeatureFile.ReadSplit(half, "dev")));
        Assert.Contains("head_rgb_input/train.pkl and", Refusal(() => SlrtFeatureFile.ReadSplit(half, "train")));
    }
}
