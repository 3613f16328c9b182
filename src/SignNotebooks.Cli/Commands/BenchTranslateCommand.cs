using System.Diagnostics;
using SignNotebooks.Translation;
using SignNotebooks.Util;
using static TorchSharp.torch;

namespace SignNotebooks.Cli.Commands;

public sealed class BenchTranslateCommand : ICommand
{
    public string Name => "bench translate";
    public string Summary => "Time beam-search decoding of an mBART (mbart-large-cc25 shapes by default) on the CPU, per sentence.";
    public string Usage =>
        "signnb bench translate [--size large|small|tiny] [--vocab 3000] [--frames 50] [--length 20] [--beam 5] [--networks 1] [--sentences 2] [--threads N] [--no-cache]\n" +
        "  Random weights and random encoder input of --frames positions; every sentence is decoded to exactly --length words\n" +
        "  (</s> is withheld) so runs are comparable. --networks 3 decodes the multi-source ensemble of three copies.\n" +
        "  --no-cache recomputes the whole prefix at every step (the key/value cache off), for comparison.\n" +
        "  Prints seconds per sentence and the estimate for the Phoenix-2014T test split (642 sentences).";

    public int Run(CliArgs args)
    {
        var size = args.GetOr("size", "large");
        int vocab = args.GetInt("vocab", 3000, min: 1), frames = args.GetInt("frames", 50, min: 1), length = args.GetInt("length", 20, min: 1);
        int beam = args.GetInt("beam", 5, min: 1), networks = args.GetInt("networks", 1, min: 1), sentences = args.GetInt("sentences", 2, min: 1);
        int? threads = args.GetIntOrNull("threads", min: 1);
        bool cache = !args.Flag("no-cache");
        args.EnsureAllUsed();
        if (vocab < 8 || frames < 1 || length < 1 || beam < 1 || networks < 1 || sentences < 1)
            throw new UsageException("--vocab ≥ 8; --frames, --length, --beam, --networks, --sentences ≥ 1");
        if (threads is { } n) set_num_threads(n);
        var config = size switch
        {
            "large" => new MBartConfig { VocabularySize = vocab },
            "small" => MBartConfig.Small(vocab),
            "tiny" => MBartConfig.Tiny(vocab),
            _ => throw new UsageException("--size is large (mbart-large-cc25 shapes), small or tiny"),
        };
        manual_seed(0);
        var sw = Stopwatch.StartNew();
        var model = new MBartForConditionalGeneration(config);
        model.eval();
        Console.WriteLine($"mBART {size}: d_model {config.DModel}, {config.EncoderLayers}+{config.DecoderLayers} layers, vocabulary {vocab}, " +
                          $"{TensorStorage.UniqueParameters(model).Sum(p => p.numel()):N0} parameters, built in {sw.Elapsed.TotalSeconds:F1} s; {get_num_threads()} threads");
        // </s> is withheld so every sentence runs exactly --length steps: timings do not depend on where random weights stop.
        var options = new DecodeOptions(beam, 1.0, length);
        int[] forbidden = [0, 1, 2];
        double total = 0;
        for (int s = 0; s <= sentences; s++)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var clock = Stopwatch.StartNew();
            var encoder = model.Model.Encoder.Run(randn(1, frames, config.DModel), null); // (1, T, d)
            var cached = Enumerable.Range(0, cache ? networks : 0).Select(_ => new CachedStep(model, encoder, ones(1, frames, dtype: ScalarType.Bool))).ToArray();
            var steps = cache ? cached.Select(c => (Func<Tensor, Tensor>)c.Next).ToArray()
                : Enumerable.Range(0, networks).Select(_ => (Func<Tensor, Tensor>)(prefixes => model.NextLogProbs(encoder.expand(prefixes.shape[0], -1, -1), null, prefixes))).ToArray();
            var hypothesis = BeamSearch.Search(Translator.Combine(steps), 3, 2, options, forbidden);
            foreach (var c in cached) c.Dispose();
            if (s == 0) continue; // the first sentence warms up TorchSharp and the JIT
            total += clock.Elapsed.TotalSeconds;
            Console.WriteLine($"sentence {s}: {clock.Elapsed.TotalSeconds:F2} s ({hypothesis.Ids.Length} words, beam {beam}, {networks} network{(networks == 1 ? "" : "s")}, cache {(cache ? "on" : "off")})");
        }
        double per = total / sentences;
        Console.WriteLine($"mean {per:F2} s per sentence; a split of 642 sentences (Phoenix-2014T test) ≈ {per * 642 / 3600:F1} h; peak RSS {Environment.WorkingSet / 1e9:F2} GB (now)");
        return 0;
    }
}
