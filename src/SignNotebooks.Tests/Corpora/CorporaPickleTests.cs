using System.Collections;
using SignNotebooks.Corpora;
using SignNotebooks.Util;

namespace SignNotebooks.Tests.Corpora;

/// <summary>The allow-listed pickle reader against files written by Debian's Python with numpy (and torch).</summary>
public sealed class CorporaPickleTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("signnb-pickle-").FullName;
    public void Dispose() => Directory.Delete(_dir, true);

    private const string Write = """
        import gzip, pickle, sys
        import numpy as np
        out = sys.argv[1]
        kp = {'train/clipA': {'keypoints': np.arange(2 * 133 * 3, dtype=np.float32).reshape(2, 133, 3) / 7},
              'dev/clipB': {'keypoints': np.full((3, 133, 3), 0.5, dtype=np.float32)}}
        for proto in (2, 3, 4, 5):
            with open(f'{out}/kp{proto}.pkl', 'wb') as f:
                pickle.dump(kp, f, protocol=proto)
        mixed = {'f8': np.array([[1.5, 2.5]]), 'i4': np.array([1, -2, 3], dtype=np.int32), 'u1': np.array([255], dtype=np.uint8),
                 'f2': np.array([0.5], dtype=np.float16), 'scalar': np.float32(0.25), 'count': np.int64(7), 'text': 'Straße'}
        with open(f'{out}/mixed.pkl', 'wb') as f:
            pickle.dump(mixed, f)
        ann = [{'name': 'train/01April_2010_Thursday_heute-6694', 'signer': 'Signer04', 'gloss': 'REGEN WIND',
                'text': 'es regnet .', 'num_frames': np.int64(2)},
               {'name': 'train/02April', 'signer': 'Signer01', 'gloss': 'SONNE', 'text': 'sonne .', 'num_frames': 176}]
        with gzip.open(f'{out}/phoenix-2014t.train', 'wb') as f:
            pickle.dump(ann, f)
        with open(f'{out}/gloss2ids.pkl', 'wb') as f:
            pickle.dump({'<s>': 0, '<pad>': 1, '</s>': 2, '<unk>': 3, '<mask>': 4, 'REGEN': 4, 'WIND': 5}, f)
        class Evil:
            def __reduce__(self):
                import os
                return (os.system, ('touch ' + out + '/pwned',))
        with open(f'{out}/evil.pkl', 'wb') as f:
            pickle.dump({'keypoints': Evil()}, f)
        with open(f'{out}/objects.pkl', 'wb') as f:
            pickle.dump({'a': np.array(['x', None], dtype=object)}, f)
        with open(f'{out}/fortran.pkl', 'wb') as f:
            pickle.dump(np.asfortranarray(np.ones((2, 3), dtype=np.float32)), f)
        """;

    private string Python() { DebianPython.RunScript(Write, _dir); return _dir; }

    [NumpyFact]
    public void Keypoint_arrays_read_equal_to_numpy_under_every_protocol()
    {
        Python();
        var expected = Enumerable.Range(0, 2 * 133 * 3).Select(i => (float)i / 7).ToArray();
        foreach (var proto in new[] { 2, 3, 4, 5 })
        {
            var file = KeypointFile.Read(Path.Combine(_dir, $"kp{proto}.pkl"));
            Assert.Equal(["dev/clipB", "train/clipA"], file.Names.Order(StringComparer.Ordinal));
            Assert.Equal((2, (string?)null), file.Shape("train/clipA"));
            var a = file.Load("train/clipA");
            // numpy divides in float32 as well, so the values agree to the last bit
            Assert.Equal(expected.Select(x => BitConverter.SingleToInt32Bits(x)), a.Select(x => BitConverter.SingleToInt32Bits(x)));
            Assert.All(file.Load("dev/clipB"), v => Assert.Equal(0.5f, v));
            Assert.Equal("train/clipA", file.Find(["clipA", "train/clipA"]));
        }
    }

    [NumpyFact]
    public void Dtypes_scalars_and_text_convert_like_python()
    {
        Python();
        var d = (IDictionary)SafeUnpickler.Load(Path.Combine(_dir, "mixed.pkl"))!;
        var f8 = (NumpyArray)d["f8"]!;
        Assert.Equal([1L, 2L], f8.Shape);
        Assert.Equal([1.5f, 2.5f], f8.ToFloat32());
        Assert.Equal([1f, -2f, 3f], ((NumpyArray)d["i4"]!).ToFloat32());
        Assert.Equal([255f], ((NumpyArray)d["u1"]!).ToFloat32());
        Assert.Equal([0.5f], ((NumpyArray)d["f2"]!).ToFloat32());
        Assert.Equal(0.25, d["scalar"]);
        Assert.Equal(7L, d["count"]);
        Assert.Equal("Straße", d["text"]);
    }

    [NumpyFact]
    public void Gzip_annotation_lists_and_gloss2ids_read()
    {
        Python();
        var list = (IList)SafeUnpickler.Load(Path.Combine(_dir, "phoenix-2014t.train"))!;
        Assert.Equal(2, list.Count);
        var first = (IDictionary)list[0]!;
        Assert.Equal("train/01April_2010_Thursday_heute-6694", first["name"]);
        Assert.Equal("REGEN WIND", first["gloss"]);
        Assert.Equal(2L, Convert.ToInt64(first["num_frames"]));
        Assert.Equal(176L, Convert.ToInt64(((IDictionary)list[1]!)["num_frames"]));
        var g2i = (IDictionary)SafeUnpickler.Load(Path.Combine(_dir, "gloss2ids.pkl"))!;
        Assert.Equal(7, g2i.Count);
        Assert.Equal(4, Convert.ToInt32(g2i["REGEN"]));
    }

    [NumpyFact]
    public void Slrt_annotation_records_are_typed_and_checked()
    {
        Python();
        var path = Path.Combine(_dir, "phoenix-2014t.train");
        var records = SlrtAnnotationFile.Read(path);
        Assert.Equal(("train/01April_2010_Thursday_heute-6694", "Signer04", "es regnet .", 2), (records[0].Name, records[0].Signer, records[0].Text, records[0].FrameCount));
        Assert.Equal(["REGEN", "WIND"], records[0].Glosses);
        Assert.Equal(176, records[1].FrameCount);
        DebianPython.RunScript("""
            import gzip, pickle, sys
            pickle.dump([{'name': 'dev/a', 'gloss': 'X', 'num_frames': 3}, {'name': 'dev/b', 'gloss': '', 'num_frames': 3}], gzip.open(sys.argv[1], 'wb'))
            """, Path.Combine(_dir, "bad.dev"));
        var e = Assert.Throws<UserFacingException>(() => SlrtAnnotationFile.Read(Path.Combine(_dir, "bad.dev")));
        Assert.Equal($"{Path.Combine(_dir, "bad.dev")}: record 1 (dev/b) has an empty gloss. Fix: restore it from the original annotation or drop the record.", e.Message);
    }

    [NumpyFact]
    public void A_pickle_naming_another_callable_is_refused_before_anything_runs()
    {
        Python();
        var path = Path.Combine(_dir, "evil.pkl");
        var e = Assert.Throws<UserFacingException>(() => SafeUnpickler.Load(path));
        Assert.StartsWith($"{path}: refused to unpickle: it refers to posix.system, which is not on the allow-list (", e.Message);
        Assert.Contains("Fix:", e.Message);
        Assert.False(File.Exists(Path.Combine(_dir, "pwned")));
        var k = Assert.Throws<UserFacingException>(() => KeypointFile.Read(path));
        Assert.Contains("posix.system", k.Message);
    }

    [NumpyFact]
    public void Object_and_fortran_arrays_are_refused_with_the_fix()
    {
        Python();
        var o = Assert.Throws<UserFacingException>(() => SafeUnpickler.Load(Path.Combine(_dir, "objects.pkl")));
        Assert.Contains("objects.pkl: numpy dtype 'O8' is not a plain number type", o.Message);
        var f = Assert.Throws<UserFacingException>(() => SafeUnpickler.Load(Path.Combine(_dir, "fortran.pkl")));
        Assert.True(f.Message.Contains("fortran.pkl: numpy array: Fortran", StringComparison.Ordinal), f.Message);
        Assert.Contains("fortran.pkl: numpy array: Fortran-ordered arrays are not read. Fix: save numpy.ascontiguousarray(a).", f.Message);
    }

    [NumpyFact]
    public void Truncated_and_empty_files_name_the_file_and_the_fix()
    {
        Python();
        var src = File.ReadAllBytes(Path.Combine(_dir, "kp4.pkl"));
        var cut = Path.Combine(_dir, "cut.pkl");
        File.WriteAllBytes(cut, src[..(src.Length / 2)]);
        var e = Assert.Throws<UserFacingException>(() => KeypointFile.Read(cut));
        Assert.StartsWith($"{cut}: refused to unpickle: the file contains a length beyond the end of the file (truncated?)", e.Message);
        var empty = Path.Combine(_dir, "empty.pkl");
        File.WriteAllBytes(empty, []);
        Assert.Equal($"{empty}: the file is empty. Fix: download or copy it again.", Assert.Throws<UserFacingException>(() => SafeUnpickler.Load(empty)).Message);
        var list = Path.Combine(_dir, "phoenix-2014t.train");
        Assert.StartsWith($"{list}: not a keypoint file", Assert.Throws<UserFacingException>(() => KeypointFile.Read(list)).Message);
    }

    [TorchPickleFact]
    public void The_empty_sign_tensor_of_slrt_annotations_becomes_a_placeholder()
    {
        DebianPython.RunScript("""
            import gzip, pickle, sys, torch
            ann = [{'name': 'S000000_P0000_T00', 'signer': 3, 'gloss': '我 APP', 'text': '我。', 'num_frames': 40, 'sign': torch.zeros(0)},
                   {'name': 'S000001_P0000_T00', 'signer': 3, 'gloss': '你', 'text': '你。', 'num_frames': 41, 'sign': torch.zeros(1, 1)}]
            with gzip.open(sys.argv[1] + '/csl-daily.dev', 'wb') as f:
                pickle.dump(ann, f)
            """, _dir);
        var list = (IList)SafeUnpickler.Load(Path.Combine(_dir, "csl-daily.dev"))!;
        var a = (IDictionary)list[0]!;
        Assert.Equal("我 APP", a["gloss"]);
        Assert.Equal(new long[] { 0 }, ((TorchTensorPlaceholder)a["sign"]!).Shape);
        Assert.Equal(new long[] { 1, 1 }, ((TorchTensorPlaceholder)((IDictionary)list[1]!)["sign"]!).Shape);
    }

    [TorchPickleFact]
    public void Corpus_pickles_and_torch_checkpoints_read_in_turn_in_one_process()
    {
        // Razorvine's constructor registry is process-wide and PyBridge registers torch names too: neither may break the other.
        DebianPython.RunScript("""
            import gzip, pickle, sys, torch
            torch.save({'w': torch.arange(3.0)}, sys.argv[1] + '/ckpt.pt')
            pickle.dump([{'name': 'a', 'sign': torch.zeros(0)}], gzip.open(sys.argv[1] + '/ann.dev', 'wb'))
            """, _dir);
        for (int round = 0; round < 2; round++)
        {
            var ann = (IDictionary)((IList)SafeUnpickler.Load(Path.Combine(_dir, "ann.dev"))!)[0]!;
            Assert.IsType<TorchTensorPlaceholder>(ann["sign"]);
            var ckpt = SignNotebooks.Checkpoints.StateDictFile.Read(Path.Combine(_dir, "ckpt.pt"));
            Assert.Equal([0f, 1f, 2f], ckpt.Tensors["w"].data<float>().ToArray());
        }
    }
}
