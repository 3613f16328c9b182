using SignNotebooks.Decoding;
using SignNotebooks.Importance;
using SignNotebooks.Keypoints;
using SignNotebooks.Synthetic;
using SignNotebooks.Util;

namespace SignNotebooks.Tests.Importance;

[Collection("Console")]
public sealed class SignDictionaryTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("signnb-dict-").FullName;
    public void Dispose() => Directory.Delete(_dir, true);
    private string Write(string content) { var p = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".csv"); File.WriteAllText(p, content); return p; }

    [Fact]
    public void Lexicon_dictionary_follows_the_generators_parameters()
    {
        var lex = Lexicon.Default;
        var d = SignDictionary.FromLexicon(lex);
        Assert.Equal(lex.Glosses.Order(), d.Glosses.Order());
        foreach (var e in lex.Entries)
        {
            var w = d.Weights(e.Gloss);
            Assert.Equal(1, w[ArticulatorParts.RightHand]);
            Assert.Equal(e.Hands != HandUse.OneHanded, w[ArticulatorParts.LeftHand] > 0);
            Assert.Equal(e.Mouth != MouthShape.Neutral, w[ArticulatorParts.Mouth] > 0);
            Assert.Equal(e.Brows != BrowShape.Neutral, w[ArticulatorParts.Face] > 0);
        }
        // Signs that differ only in the face: the dictionary must say the face matters for at least one of them (it
        // names articulators, not shapes, so MAYBE/SURE with two different mouth shapes weigh the same); signs that
        // differ only in handshape use the same articulators.
        var facePairs = lex.FacePairs().ToList();
        Assert.NotEmpty(facePairs);
        Assert.All(facePairs, p => Assert.True(
            new[] { p.A, p.B }.Any(g => d.Weights(g)[ArticulatorParts.Mouth] + d.Weights(g)[ArticulatorParts.Face] > 0), $"{p.A}/{p.B}"));
        var handshapePairs = lex.HandshapePairs().ToList();
        Assert.NotEmpty(handshapePairs);
        Assert.All(handshapePairs, p => Assert.Equal(d.Weights(p.A), d.Weights(p.B)));
    }

    [Fact]
    public void Csv_round_trip_keeps_every_weight()
    {
        var d = SignDictionary.FromLexicon(Lexicon.Default);
        var path = Path.Combine(_dir, "dict.csv");
        d.Save(path);
        var back = SignDictionary.Load(path, Lexicon.Default.Glosses);
        Assert.All(d.Glosses, g => Assert.Equal(d.Weights(g), back.Weights(g)));
    }

    [Fact]
    public void Bad_rows_and_missing_glosses_are_listed_in_one_error()
    {
        var path = Write("gloss,part,weight\nA,right_hand,1\nA,elbow,1\nZZZ,mouth,1\nB,mouth,1.5\nB,face\n");
        var e = Assert.Throws<UserFacingException>(() => SignDictionary.Load(path, ["A", "B", "C"]));
        Assert.Contains(path, e.Message);
        Assert.Contains("line 3: unknown part 'elbow'", e.Message);
        Assert.Contains("known parts: right_hand, left_hand, mouth, face, body", e.Message);
        Assert.Contains("line 4: gloss 'ZZZ' is not in the vocabulary", e.Message);
        Assert.Contains("line 5: weight '1.5' must be a number in [0, 1]", e.Message);
        Assert.Contains("line 6: expected 3 fields", e.Message);
        Assert.Contains("glosses of the vocabulary with no entry: B, C", e.Message);
    }

    [Fact]
    public void A_file_without_the_header_is_refused_with_the_fix()
    {
        var e = Assert.Throws<UserFacingException>(() => SignDictionary.Load(Write("A,right_hand,1\n"), ["A"]));
        Assert.Contains("header `gloss,part,weight`", e.Message);
    }

    [Fact]
    public void Ground_truth_targets_carry_the_gloss_weights_inside_glosses_and_zero_between()
    {
        var d = new SignDictionary(new Dictionary<string, double[]> { ["A"] = [1, 0, 1, 0, 0.25], ["B"] = [1, 1, 0, 0, 0.25] });
        var t = ImportanceTargets.FromFrameGloss([-1, 0, 0, -1, 1, 1, -1], ["A", "B"], d);
        Assert.Equal(TargetSource.GroundTruthBoundaries, t.Source);
        Assert.Equal(7, t.Frames);
        Assert.Equal(0f, t.Values[0, ArticulatorParts.RightHand]);
        Assert.Equal(1f, t.Values[1, ArticulatorParts.Mouth]);
        Assert.Equal(0f, t.Values[1, ArticulatorParts.LeftHand]);
        Assert.Equal(1f, t.Values[4, ArticulatorParts.LeftHand]);
        Assert.Equal(0f, t.Values[6, ArticulatorParts.Body]);
    }

    [Fact]
    public void Ctc_spans_map_back_to_input_frames_by_the_head_stride()
    {
        var d = new SignDictionary(new Dictionary<string, double[]> { ["A"] = [1, 0, 1, 0, 0], ["B"] = [1, 1, 0, 0, 0] });
        string[] vocab = ["<blank>", "A", "B"];
        var t = ImportanceTargets.FromSpans([new GlossSpan(1, 1, 3), new GlossSpan(2, 4, 5)], id => vocab[id], length: 5, stride: 4, d);
        Assert.Equal(TargetSource.CtcPseudoAlignment, t.Source);
        Assert.Equal(20, t.Frames);
        var mouth = Enumerable.Range(0, 20).Where(f => t.Values[f, ArticulatorParts.Mouth] > 0).ToArray();
        Assert.Equal(Enumerable.Range(4, 8), mouth);
        var left = Enumerable.Range(0, 20).Where(f => t.Values[f, ArticulatorParts.LeftHand] > 0).ToArray();
        Assert.Equal(Enumerable.Range(16, 4), left);
        Assert.Throws<ArgumentException>(() => ImportanceTargets.FromSpans([new GlossSpan(1, 4, 6)], id => vocab[id], 5, 4, d));
    }

    [Fact]
    public void Per_channel_targets_follow_the_79_point_channel_order()
    {
        var sel = KeypointSelection.Paper79;
        var part = ArticulatorParts.PartOfChannels(sel);
        Assert.Equal(79, part.Length);
        Assert.Equal(21, part.Count(p => p == ArticulatorParts.RightHand));
        Assert.Equal(21, part.Count(p => p == ArticulatorParts.LeftHand));
        Assert.Equal(10, part.Count(p => p == ArticulatorParts.Mouth));
        Assert.Equal(16, part.Count(p => p == ArticulatorParts.Face));
        Assert.Equal(11, part.Count(p => p == ArticulatorParts.Body));
        var d = new SignDictionary(new Dictionary<string, double[]> { ["A"] = [1, 0, 0.5, 0, 0] });
        var c = ImportanceTargets.FromFrameGloss([0], ["A"], d).PerChannel(sel);
        var (hs, he) = sel.ChannelRange("hand");
        Assert.All(Enumerable.Range(hs, 21), k => Assert.Equal(0f, c[0, k]));          // left hand first (COCO 91–111)
        Assert.All(Enumerable.Range(hs + 21, 21), k => Assert.Equal(1f, c[0, k]));
        var (ms, me) = sel.ChannelRange("mouth_half");
        Assert.All(Enumerable.Range(ms, me - ms), k => Assert.Equal(0.5f, c[0, k]));
        Assert.Equal(hs + 42, he);
    }

    private static (int code, string stdout, string stderr) Run(params string[] args) => CliCapture.Run(args);

    [Fact]
    public void Dictionary_commands_write_and_check()
    {
        var path = Path.Combine(_dir, "synth.csv");
        var (code, stdout, _) = Run("dictionary", "write", "--out", path);
        Assert.Equal(0, code);
        Assert.Contains("40 glosses", stdout);
        (code, stdout, _) = Run("dictionary", "check", "--file", path);
        Assert.Equal(0, code);
        Assert.Contains("all valid", stdout);
        File.AppendAllText(path, "RAIN,tail,1\n");
        var (bad, _, err) = Run("dictionary", "check", "--file", path);
        Assert.Equal(1, bad);
        Assert.Contains("unknown part 'tail'", err);
    }
}
