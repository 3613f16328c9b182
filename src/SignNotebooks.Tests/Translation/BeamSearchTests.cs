using SignNotebooks.Translation;
using TorchSharp;
using static TorchSharp.torch;

namespace SignNotebooks.Tests.Translation;

/// <summary>Beam search on a hand-made next-word table where greedy decoding picks the worse sentence.</summary>
public class BeamSearchTests
{
    // Vocabulary: 0 <s>, 1 <pad>, 2 </s>, 3 lang, 4 "a", 5 "b". After lang: a 0.6, b 0.4. After "a": a 0.5, </s> 0.5
    // (then </s> only); after "b": </s> 1.0. Greedy: "a </s>" p = 0.3; beam: "b </s>" p = 0.4.
    private static Tensor Step(Tensor prefixes)
    {
        var rows = new List<float[]>();
        for (long i = 0; i < prefixes.shape[0]; i++)
        {
            var last = prefixes[i, -1].item<long>();
            long len = prefixes.shape[1];
            var p = new float[6];
            if (last == 3) { p[4] = 0.6f; p[5] = 0.4f; }
            else if (last == 4 && len == 2) { p[4] = 0.5f; p[2] = 0.5f; }
            else p[2] = 1f;
            rows.Add(p.Select(x => x == 0 ? -1e9f : MathF.Log(x)).ToArray());
        }
        return torch.tensor(rows.SelectMany(r => r).ToArray()).view(rows.Count, 6);
    }

    private static readonly int[] Forbidden = [0, 1, 3];

    [Fact]
    public void Beam_finds_the_more_probable_sentence_that_greedy_misses()
    {
        var greedy = BeamSearch.Search(Step, 3, 2, new DecodeOptions(1, 0.0, 10), Forbidden);
        Assert.Equal(new[] { 4 }, greedy.Ids);
        Assert.Equal(Math.Log(0.3), greedy.Score, 4);
        var beam = BeamSearch.Search(Step, 3, 2, new DecodeOptions(2, 0.0, 10), Forbidden);
        Assert.Equal(new[] { 5 }, beam.Ids);
        Assert.Equal(Math.Log(0.4), beam.Score, 4);
    }

    [Fact]
    public void Length_penalty_divides_by_the_length_and_max_length_stops_decoding()
    {
        // Per-token scores: "a a </s>" log(0.3)/3 beats "b </s>" log(0.4)/2, so α = 1 prefers the longer sentence.
        var beam = BeamSearch.Search(Step, 3, 2, new DecodeOptions(2, 1.0, 10), Forbidden);
        Assert.Equal(new[] { 4, 4 }, beam.Ids);
        Assert.Equal(Math.Log(0.3) / 3, beam.Score, 4);
        var cut = BeamSearch.Search(p => torch.zeros(p.shape[0], 6).index_fill(1, torch.tensor(new long[] { 2 }), -1e9f),
                                    3, 2, new DecodeOptions(2, 1.0, 4), Forbidden);
        Assert.Equal(4, cut.Ids.Length);
    }
}
