using SignNotebooks.Reproduction;
using SignNotebooks.Util;

namespace SignNotebooks.Tests.Reproduction;

/// <summary>The committed cards hold spec §11's numbers; bad cards are refused with the file, the field and the fix.</summary>
public sealed class ReproductionCardTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("signnb-cards-").FullName;
    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public void Committed_cards_carry_the_papers_numbers()
    {
        var cards = ReproductionCards.LoadAll().ToDictionary(c => c.Id);
        Assert.Equal(9, cards.Count);
        // spec §11.1: TwoStream-SLR test WER.
        Assert.Equal((18.8, "phoenix-2014", "phoenix-2014"), (cards["slr-phoenix-2014-test"].Expected, cards["slr-phoenix-2014-test"].Dataset, cards["slr-phoenix-2014-test"].Cleanup));
        Assert.Equal(19.3, cards["slr-phoenix-2014t-test"].Expected);
        Assert.Equal(25.3, cards["slr-csl-daily-test"].Expected);
        Assert.All(cards.Values.Where(c => c.Id.StartsWith("slr-") && c.Variant == "twostream-paper"), c =>
        {
            Assert.Equal(("test", 5, "ensemble_last", "wer", true), (c.Split, c.Beam, c.Head, c.Metric, c.IsRunnable));
            Assert.StartsWith("spec §11.1", c.Source);
        });
        // spec §11.1: TwoStream-SLT test BLEU-4 / ROUGE of the three-network ensemble (spec §10.5: beam 5, max length 100 / 500).
        Assert.Equal(28.95, cards["slt-phoenix-2014t-test-bleu4"].Expected);
        Assert.Equal(53.48, cards["slt-phoenix-2014t-test-rouge-l"].Expected);
        Assert.Equal(25.79, cards["slt-csl-daily-test-bleu4"].Expected);
        Assert.Equal(55.72, cards["slt-csl-daily-test-rouge-l"].Expected);
        Assert.All(cards.Values.Where(c => c.Task == "translation"), c =>
        {
            Assert.Equal(("ensemble", 5, 3, true), (c.Head, c.Beam, c.Checkpoints.Length, c.IsRunnable));
            Assert.Equal(c.Dataset == "csl-daily" ? ("pretrained_models/mBart_zh", 500) : ("pretrained_models/mBart_de", 100), (c.LanguageModel, c.MaxLength));
            Assert.Contains("_s2t_video/", c.Checkpoints[0]);
            Assert.Contains("_s2t_joint/", c.Checkpoints[2]);
        });
        // Single streams (SLRT#40, approximate).
        Assert.Equal(("video-paper", 22.0), (cards["slr-video-phoenix-2014t-test"].Variant, cards["slr-video-phoenix-2014t-test"].Expected));
        Assert.Equal(("keypoint-paper", 27.0), (cards["slr-keypoint-phoenix-2014t-test"].Variant, cards["slr-keypoint-phoenix-2014t-test"].Expected));
    }

    [Fact]
    public void Pass_is_within_the_tolerance_inclusive()
    {
        var c = ReproductionCards.Find("slr-phoenix-2014t-test");
        Assert.True(c.Passes(19.8));
        Assert.True(c.Passes(18.8));
        Assert.False(c.Passes(19.81));
        Assert.False(c.Passes(double.NaN));
    }

    private string Write(string name, string json)
    {
        var path = Path.Combine(_dir, name + ".json");
        File.WriteAllText(path, json);
        return path;
    }

    private string Valid(string id) => File.ReadAllText(Path.Combine(ReproductionCards.Folder, "slr-phoenix-2014t-test.json"))
        .Replace("\"slr-phoenix-2014t-test\"", $"\"{id}\"");

    [Fact]
    public void Bad_cards_name_the_file_the_field_and_the_fix()
    {
        var path = Write("a", Valid("a").Replace("\"Metric\": \"wer\"", "\"Metric\": \"bleu4\""));
        var e = Assert.Throws<UserFacingException>(() => ReproductionCards.Load(path));
        Assert.Equal($"{path}: Metric = 'bleu4' is not valid; it must be wer for recognition cards, bleu4 or rouge_l for translation cards. Fix: correct the card.", e.Message);

        path = Write("b", Valid("b").Replace("\"Head\": \"ensemble_last\"", "\"Head\": \"best\""));
        e = Assert.Throws<UserFacingException>(() => ReproductionCards.Load(path));
        Assert.StartsWith($"{path}: Head = 'best' is not valid; it must be video, keypoint, joint, ensemble_last", e.Message);

        path = Write("c", Valid("other"));
        e = Assert.Throws<UserFacingException>(() => ReproductionCards.Load(path));
        Assert.Equal($"{path}: Id 'other' differs from the file name 'c'. Fix: make them equal, so a card is found by its id.", e.Message);

        path = Write("d", Valid("d").Replace("\"Expected\": 19.3,", "\"Expectd\": 19.3,"));
        e = Assert.Throws<UserFacingException>(() => ReproductionCards.Load(path));
        Assert.StartsWith($"{path}: not a valid card (", e.Message);

        path = Write("e", Valid("e").Replace("\"Variant\": \"twostream-paper\"", "\"Variant\": \"video-paper\""));
        e = Assert.Throws<UserFacingException>(() => ReproductionCards.Load(path));
        Assert.Equal($"{path}: Head = 'ensemble_last' is not valid; it must be a head that the video-paper network has. Fix: correct the card.", e.Message);

        var slt = File.ReadAllText(Path.Combine(ReproductionCards.Folder, "slt-phoenix-2014t-test-bleu4.json")).Replace("\"slt-phoenix-2014t-test-bleu4\"", "\"f\"");
        path = Write("f", slt.Replace("phoenix-2014t_s2t_video/ckpts/best.ckpt,", ""));
        e = Assert.Throws<UserFacingException>(() => ReproductionCards.Load(path));
        Assert.StartsWith($"{path}: Checkpoint = 'phoenix-2014t_s2t_keypoint/ckpts/best.ckpt,phoenix-2014t_s2t_joint/ckpts/best.ckpt' is not valid; it must be three S2T checkpoints, comma-separated, in the order video, keypoint, joint.", e.Message);

        path = Write("f", slt.Replace("\"Head\": \"ensemble\"", "\"Head\": \"ensemble_last\""));
        e = Assert.Throws<UserFacingException>(() => ReproductionCards.Load(path));
        Assert.StartsWith($"{path}: Head = 'ensemble_last' is not valid; it must be video, keypoint, joint, ensemble.", e.Message);

        e = Assert.Throws<UserFacingException>(() => ReproductionCards.Find("slr-nowhere"));
        Assert.StartsWith("no reproduction card 'slr-nowhere'. Fix: use a card id (slr-csl-daily-test, ", e.Message);
    }
}
