using System.Diagnostics;
using SignNotebooks.Decoding;

namespace SignNotebooks.Cli.Commands;

public sealed class BenchDecodeCommand : ICommand
{
    public string Name => "bench decode";
    public string Summary => "Time CTC decoding per utterance (greedy and beam search) on random frame scores.";
    public string Usage =>
        "signnb bench decode [--beam 5] [--vocab 1124] [--frames 100] [--utterances 50] [--seed 0]\n" +
        "  Random logits (peaked like a trained head) through CtcDecoder; prints ms per utterance.";

    public int Run(CliArgs args)
    {
        int beam = args.GetInt("beam", 5, min: 1), vocab = args.GetInt("vocab", 1124, min: 1), frames = args.GetInt("frames", 100, min: 1);
        int utterances = args.GetInt("utterances", 50, min: 1), seed = args.GetInt("seed", 0);
        args.EnsureAllUsed();
        if (beam < 1 || vocab < 2 || frames < 1 || utterances < 1) throw new UsageException("--beam, --utterances, --frames must be ≥ 1 and --vocab ≥ 2");
        var rng = new Random(seed);
        var clips = Enumerable.Range(0, utterances).Select(_ => RandomScores(rng, frames, vocab)).ToList();
        Console.WriteLine($"{utterances} utterances, {frames} frames, vocabulary {vocab}, blank 0");
        var greedy = new CtcDecodeOptions { Method = CtcDecodeMethod.Greedy };
        var search = new CtcDecodeOptions { Method = CtcDecodeMethod.BeamSearch, BeamWidth = beam };
        foreach (var (label, options) in new[] { ("greedy", greedy), ($"beam {beam}", search) })
        {
            CtcDecoder.Decode(clips[0], vocab, frames, options); // warm-up (JIT)
            var sw = Stopwatch.StartNew();
            int glosses = 0;
            foreach (var c in clips) glosses += CtcDecoder.Decode(c, vocab, frames, options)[0].Glosses.Length;
            sw.Stop();
            Console.WriteLine($"{label,-8} {sw.Elapsed.TotalMilliseconds / utterances,8:F3} ms/utterance  (mean {(double)glosses / utterances:F1} glosses)");
        }
        return 0;
    }

    // Logits where blank often dominates and one gloss stands out, as in a trained CTC head.
    private static float[] RandomScores(Random rng, int frames, int vocab)
    {
        var a = new float[frames * vocab];
        for (int t = 0; t < frames; t++)
        {
            for (int v = 0; v < vocab; v++) a[t * vocab + v] = (float)(rng.NextDouble() * 2);
            a[t * vocab] += 4;                                       // blank
            a[t * vocab + 1 + rng.Next(vocab - 1)] += (float)(rng.NextDouble() * 8);
        }
        return a;
    }
}
