using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace SignNotebooks.Models.Backbones;

/// <summary>
/// S3D blocks 1–4 (`base.0` … `base.12`, spec §1.1): the stem SepConv, pools, conv 1×1, SepConv, and the
/// inception blocks Mixed_3b … Mixed_4f. Mixed_5x and the classifier are never built (`use_block: 4`).
/// At width 1.0 the keys and shapes are kylemin/SLRT's; other widths scale every channel count.
/// </summary>
public sealed class S3DBackbone : nn.Module<Tensor, Tensor>
{
    /// <summary>Indices in `base` whose outputs are C1..C4 (spec §1.1).</summary>
    public static readonly int[] BlockEnds = { 0, 3, 6, 12 };

    // spec §1.1 table, rows 5, 6, 8–12.
    private static readonly MixedWidths[] OfficialMixed =
    {
        new(64, 96, 128, 16, 32, 32),     // 5  Mixed_3b -> 256
        new(128, 128, 192, 32, 96, 64),   // 6  Mixed_3c -> 480 (C3)
        new(192, 96, 208, 16, 48, 64),    // 8  Mixed_4b -> 512
        new(160, 112, 224, 24, 64, 64),   // 9  Mixed_4c -> 512
        new(128, 128, 256, 24, 64, 64),   // 10 Mixed_4d -> 512
        new(112, 144, 288, 32, 64, 64),   // 11 Mixed_4e -> 528
        new(256, 160, 320, 32, 128, 128), // 12 Mixed_4f -> 832 (C4)
    };

    [ComponentName(Name = "base")]
    private readonly ModuleList<nn.Module<Tensor, Tensor>> layers;

    /// <summary>Channels of C1..C4 (64, 192, 480, 832 at width 1.0).</summary>
    public IReadOnlyList<int> Channels { get; }

    public S3DBackbone(int inChannels, ModelConfig c) : base(nameof(S3DBackbone))
    {
        int c1 = c.Ch(64), c2a = c.Ch(64), c2 = c.Ch(192);
        var m = OfficialMixed.Select(w => w.Scale(c)).ToArray();
        var pool2d = nn.MaxPool3d((1L, 3L, 3L), (1L, 2L, 2L), (0L, 1L, 1L));
        layers = new ModuleList<nn.Module<Tensor, Tensor>>(
            new SepConv3d(inChannels, c1, 7, 2, 3),                                        // 0 C1, T/2, /2
            pool2d,                                                                        // 1
            new BasicConv3d(c1, c2a, (1, 1, 1), (1, 1, 1), (0, 0, 0)),                     // 2
            new SepConv3d(c2a, c2, 3, 1, 1),                                               // 3 C2
            nn.MaxPool3d((1L, 3L, 3L), (1L, 2L, 2L), (0L, 1L, 1L)),                        // 4
            new MixedBlock(c2, m[0]),                                                      // 5
            new MixedBlock(m[0].Out, m[1]),                                                // 6 C3
            nn.MaxPool3d((3L, 3L, 3L), (2L, 2L, 2L), (1L, 1L, 1L)),                        // 7 T/4
            new MixedBlock(m[1].Out, m[2]),                                                // 8
            new MixedBlock(m[2].Out, m[3]),                                                // 9
            new MixedBlock(m[3].Out, m[4]),                                                // 10
            new MixedBlock(m[4].Out, m[5]),                                                // 11
            new MixedBlock(m[5].Out, m[6]));                                               // 12 C4
        Channels = new[] { c1, c2, m[1].Out, m[6].Out };
        RegisterComponents();
    }

    /// <summary>Number of layers in `base` (13).</summary>
    public int Count => layers.Count;

    /// <summary>Runs layer <paramref name="index"/> of `base` alone; the two-stream backbone interleaves laterals.</summary>
    public Tensor Layer(int index, Tensor x) => layers[index].call(x);

    /// <summary>The stem (`base.0`), for freezing.</summary>
    public nn.Module Stem => layers[0];

    /// <summary>Runs all 13 layers and returns the last output (C4).</summary>
    public override Tensor forward(Tensor input)
    {
        var x = input;
        for (int i = 0; i < layers.Count; i++)
        {
            var y = layers[i].call(x);
            Layers.Scoped.Drop(x, input); // intermediates go as soon as the next layer has run
            x = y;
        }
        return x;
    }

    /// <summary>Runs all layers and returns C1..C4 (spec §1.1).</summary>
    public Tensor[] ForwardLevels(Tensor x)
    {
        var levels = new List<Tensor>(4);
        var input = x;
        for (int i = 0; i < layers.Count; i++)
        {
            var y = layers[i].call(x);
            if (!levels.Any(t => ReferenceEquals(t, x))) Layers.Scoped.Drop(x, input);
            x = y;
            if (BlockEnds.Contains(i)) levels.Add(x);
        }
        return levels.ToArray();
    }

    /// <summary>spec §1.1: valid length of a level = floor(len · T_level / T_in).</summary>
    public static Tensor LevelLengths(Tensor lengths, long tLevel, long tIn) =>
        torch.div(lengths.to(int64) * tLevel, tIn, rounding_mode: RoundingMode.floor).to(int64);
}
