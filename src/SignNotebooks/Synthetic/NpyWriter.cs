using System.Text;

namespace SignNotebooks.Synthetic;

/// <summary>Writes float32 arrays as NumPy .npy (format 1.0), so exported keypoints open with numpy.load.</summary>
public static class NpyWriter
{
    public static void Write(string path, float[] data, params int[] shape)
    {
        long n = 1; foreach (var d in shape) n *= d;
        if (n != data.Length) throw new ArgumentException($"shape ({string.Join(", ", shape)}) does not match {data.Length} values");
        string dims = shape.Length == 1 ? $"{shape[0]}," : string.Join(", ", shape);
        string header = $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({dims}), }}";
        int total = 10 + header.Length + 1;
        header += new string(' ', (64 - total % 64) % 64) + "\n";
        using var fs = File.Create(path);
        fs.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0]);
        fs.Write(BitConverter.GetBytes((ushort)header.Length));
        fs.Write(Encoding.ASCII.GetBytes(header));
        var bytes = new byte[data.Length * 4];
        Buffer.BlockCopy(data, 0, bytes, 0, bytes.Length);   // little-endian on every supported platform
        fs.Write(bytes);
    }
}
