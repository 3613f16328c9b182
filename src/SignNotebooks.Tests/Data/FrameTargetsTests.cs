using SignNotebooks.Data;

namespace SignNotebooks.Tests.Data;

public sealed class FrameTargetsTests
{
    [Fact]
    public void Each_step_takes_the_majority_of_its_frames_and_padding_is_ignored()
    {
        // Clip 0: 8 frames; clip 1: 4 frames (padded to 8 in a batch).
        var t = new FrameTargets([[0, 5, 5, 5, 7, 7, 0, 0], [9, 9, 0, 0]]);
        var at4 = t.At(4, 2).data<long>().ToArray();
        // Step 0 of clip 0: 5 ×3 beats 0; step 1: 7,7 vs 0,0 tie -> the frame at the window's centre (index 6: 0).
        // Clip 1: step 0 tie 9,9 vs 0,0 -> centre frame (index 2: 0); step 1 does not exist -> ignored.
        Assert.Equal(new long[] { 5, 0, 0, FrameTargets.Ignore }, at4);
        Assert.Equal(new long[] { 5, 5, 7, 0, 9, 0, FrameTargets.Ignore, FrameTargets.Ignore }, t.At(2, 4).data<long>().ToArray());
    }

    [Fact]
    public void Labels_follow_the_sampled_frames()
    {
        // Raw frames: rest, gloss 0 ×2, rest, gloss 1 ×2; sampling repeats and drops frames (spec §7.3).
        int[] frameGloss = [-1, 0, 0, -1, 1, 1];
        int[] glossIds = [12, 30];
        Assert.Equal(new[] { 0, 12, 12, 12, 30 }, FrameTargets.ForClip(frameGloss, glossIds, [0, 1, 1, 2, 5], blankId: 0));
    }
}
