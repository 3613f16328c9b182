using SignNotebooks.Corpora;

namespace SignNotebooks.Tests.Corpora;

/// <summary>The SLRT keypoint pickle we write, read back by our allow-listed reader and by Debian's Python + numpy.</summary>
public sealed class KeypointPickleWriterTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("signnb-pklw-").FullName;
    public void Dispose() => Directory.Delete(_dir, true);

    private static float[] Values(int frames, float scale) => Enumerable.Range(0, frames * 133 * 3).Select(i => i * scale - 3.5f).ToArray();

    private string WriteTwo()
    {
        var path = Path.Combine(_dir, "kp.pkl");
        KeypointPickleWriter.Write(path, [("train/clipA", Values(2, 0.25f), 2), ("dev/Straße", Values(3, -1f / 3), 3)]);
        return path;
    }

    [Fact]
    public void Our_reader_gets_back_every_value_bit_for_bit()
    {
        var file = KeypointFile.Read(WriteTwo());
        Assert.Equal(["dev/Straße", "train/clipA"], file.Names.Order(StringComparer.Ordinal));
        Assert.Equal((3, (string?)null), file.Shape("dev/Straße"));
        Assert.Equal(Values(3, -1f / 3).Select(BitConverter.SingleToInt32Bits), file.Load("dev/Straße").Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(Values(2, 0.25f), file.Load("train/clipA"));
    }

    [NumpyFact]
    public void Python_pickle_load_reads_it_as_numpy_float32()
    {
        var path = WriteTwo();
        var output = DebianPython.RunScript("""
            import pickle, sys
            import numpy as np
            d = pickle.load(open(sys.argv[1], 'rb'))
            for k in sorted(d):
                a = d[k]['keypoints']
                print(k, a.dtype, a.shape, a.flags['C_CONTIGUOUS'], repr(float(a[1, 2, 0])), repr(float(a.sum(dtype=np.float64))))
            """, path);
        var lines = output.Trim().Split('\n');
        Assert.Equal(2, lines.Length);
        var expected = Values(3, -1f / 3);
        double sum = expected.Sum(v => (double)v);
        Assert.StartsWith("dev/Straße float32 (3, 133, 3) True ", lines[0]);
        Assert.Equal(((double)expected[(1 * 133 + 2) * 3]).ToString("R", System.Globalization.CultureInfo.InvariantCulture), lines[0].Split(' ')[6]);
        Assert.Equal(sum, double.Parse(lines[0].Split(' ')[7], System.Globalization.CultureInfo.InvariantCulture), 6);
        Assert.StartsWith("train/clipA float32 (2, 133, 3) True", lines[1]);
    }

    [Fact]
    public void An_unfinished_writer_leaves_no_file_and_bad_entries_are_refused()
    {
        var path = Path.Combine(_dir, "partial.pkl");
        using (var w = new KeypointPickleWriter(path))
        {
            w.Add("a", Values(1, 1), 1);
            Assert.Throws<ArgumentException>(() => w.Add("a", Values(1, 1), 1));
            Assert.Throws<ArgumentException>(() => w.Add("b", Values(1, 1), 2));
        }
        Assert.False(File.Exists(path));
        Assert.Empty(Directory.GetFiles(_dir));
    }
}
