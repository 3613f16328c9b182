using SignNotebooks.Data;
using SignNotebooks.Plots;
using SignNotebooks.Reproduction;
using SignNotebooks.Translation;

namespace SignNotebooks.Tests.Plots;

public class PropertySheetTests
{
    [Fact]
    public void A_translation_config_reads_as_settings_with_nested_keys_and_unset_values_named()
    {
        var config = TranslationProfiles.Get("tiny", TranslationStage.Gloss2Text);
        var rows = PropertySheet.Rows(config).ToDictionary(r => r.Key, r => r.Value);
        Assert.Equal(PropertySheet.NotSet, rows["Corpus"]);                 // the record dump shows "Corpus = ,"
        Assert.Equal(PropertySheet.NotSet, rows["DataRoot"]);
        Assert.Equal("Gloss2Text", rows["Stage"]);
        Assert.Equal("0.2", rows["LabelSmoothing"]);
        Assert.Equal(config.Model.DModel.ToString(), rows["Model.DModel"]); // nested record flattened
        Assert.DoesNotContain("Model", rows.Keys);
        Assert.DoesNotContain("TestDecoding", rows.Keys);                  // computed, [JsonIgnore]
        var view = PropertySheet.View(config, "Gloss2Text config");
        Assert.Contains("<table", view.Html);
        Assert.Contains("Model.DModel", view.Html);
        Assert.DoesNotContain("{ ", view.Text);
        Assert.StartsWith("Gloss2Text config\n", view.Text);
    }

    [Fact]
    public void Tuples_lists_and_numbers_read_as_values()
    {
        var rows = PropertySheet.Rows(new InputConfig()).ToDictionary(r => r.Key, r => r.Value);
        Assert.Equal("(0.7, 1)", rows["CropScale"]);
        Assert.Equal(PropertySheet.NotSet, rows["MapSize"]);
        Assert.StartsWith("[", rows["KeypointParts"]);
        Assert.DoesNotContain("Item1", string.Concat(rows.Values));
        Assert.Equal("(170, 170)", PropertySheet.Format(((int H, int W)?)(170, 170)));
        Assert.Equal("1E-05", PropertySheet.Format(1e-5));
    }

    [Fact]
    public void A_reproduction_card_lists_every_field_it_was_written_with()
    {
        var card = ReproductionCards.Find("slr-phoenix-2014t-test");
        var rows = PropertySheet.Rows(card).ToDictionary(r => r.Key, r => r.Value);
        Assert.Equal("19.3", rows["Expected"]);
        Assert.Equal("ensemble_last", rows["Head"]);
        Assert.DoesNotContain("Stage", rows.Keys); // computed from the model registry, not a card field
        Assert.DoesNotContain("Checkpoints", rows.Keys);
    }
}
