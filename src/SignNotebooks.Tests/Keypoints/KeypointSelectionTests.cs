using SignNotebooks.Keypoints;
using SignNotebooks.Util;

namespace SignNotebooks.Tests.Keypoints;

public class KeypointSelectionTests
{
    [Fact]
    public void Paper_selection_has_the_79_indices_in_the_spec_table_order()
    {
        // spec §1.2 table: face_others_1_3, hand, mouth_half, pose.
        int[] expected =
        [
            23, 26, 29, 32, 35, 38, 41, 44, 47, 50, 53, 56, 59, 62, 65, 68,
            .. Enumerable.Range(91, 42),
            71, 73, 75, 77, 79, 81, 83, 85, 87, 89,
            0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
        ];
        var sel = KeypointSelection.Paper79;
        Assert.Equal(79, sel.Count);
        Assert.Equal(expected, sel.Indices);
        Assert.Equal(["face_others_1_3", "hand", "mouth_half", "pose"], sel.Parts);
        Assert.Equal((0, 16), sel.ChannelRange("face_others_1_3"));
        Assert.Equal((16, 58), sel.ChannelRange("hand"));
        Assert.Equal((58, 68), sel.ChannelRange("mouth_half"));
        Assert.Equal((68, 79), sel.ChannelRange("pose"));
        Assert.Equal("hand", sel.PartOfChannel(57));
        Assert.Equal("mouth_half", sel.PartOfChannel(58));
        Assert.Equal("pose", sel.PartOfChannel(78));
        Assert.All(KeypointParts.Paper79, p => Assert.True(KeypointParts.IsFromSpec(p)));
    }

    [Fact]
    public void Part_order_given_does_not_change_channel_order()
    {
        var a = KeypointSelection.FromParts("pose", "hand");
        var b = KeypointSelection.FromParts("hand", "pose");
        Assert.Equal(a.Indices, b.Indices);
        Assert.Equal(91, a.Indices[0]);   // "hand" < "pose"
        Assert.Equal(53, a.Count);
    }

    [Fact]
    public void Regions_are_selectable_by_name_and_cover_the_layout_once()
    {
        var all = KeypointSelection.FromParts("body", "feet", "face", "left_hand", "right_hand");
        Assert.Equal(133, all.Count);
        Assert.Equal(Enumerable.Range(0, 133), all.Indices.Order());
        Assert.Equal(21, KeypointSelection.FromParts("right_hand").Count);
        Assert.Equal(112, KeypointSelection.FromParts("right_hand").Indices[0]);
    }

    [Fact]
    public void Unknown_or_empty_part_list_is_a_user_error_listing_the_known_parts()
    {
        var e = Assert.Throws<UserFacingException>(() => KeypointSelection.FromParts("pose", "hands"));
        Assert.Contains("'hands'", e.Message);
        Assert.Contains("face_others_1_3", e.Message);
        Assert.Throws<UserFacingException>(() => KeypointSelection.FromParts(Array.Empty<string>()));
    }

    [Fact]
    public void Keypoint_names_and_regions_follow_coco_wholebody()
    {
        Assert.Equal("nose", WholeBody.KeypointName(0));
        Assert.Equal("left_wrist", WholeBody.KeypointName(9));
        Assert.Equal("right_heel", WholeBody.KeypointName(22));
        Assert.Equal("face_0", WholeBody.KeypointName(23));
        Assert.Equal("face_67", WholeBody.KeypointName(90));
        Assert.Equal("left_hand_wrist", WholeBody.KeypointName(91));
        Assert.Equal("right_hand_pinky_finger4", WholeBody.KeypointName(132));
        Assert.Equal("face", WholeBody.RegionOf(71).Name);
        Assert.Throws<ArgumentOutOfRangeException>(() => WholeBody.RegionOf(133));
    }
}
