using SignNotebooks.Data;
using SignNotebooks.Keypoints;
using SignNotebooks.Util;

namespace SignNotebooks.Tests.Keypoints;

public class KeypointValidationTests
{
    private static SignClip Clip(float[] kp, int t = 4, byte[]? frames = null) =>
        new("dev/clip-007", "dev", "s1", t, 8, 6, frames, kp, ["A"]);

    [Fact]
    public void Wrong_shape_names_the_clip_and_the_expected_shape()
    {
        var e = Assert.Throws<UserFacingException>(() => KeypointValidation.Validate(Clip(new float[3 * 133 * 3])));
        Assert.Contains("dev/clip-007", e.Message);
        Assert.Contains("(3, 133, 3)", e.Message);
        Assert.Contains("Fix", e.Message);
        var e2 = Assert.Throws<UserFacingException>(() => KeypointValidation.Validate(Clip(new float[4 * 17 * 3])));
        Assert.Contains("not a whole number", e2.Message);
    }

    [Theory]
    [InlineData(float.NaN, "x")]
    [InlineData(float.PositiveInfinity, "x")]
    public void Non_finite_coordinate_names_the_clip_frame_and_keypoint(float bad, string axis)
    {
        var kp = new float[4 * 133 * 3];
        kp[(2 * 133 + 9) * 3] = bad;   // frame 2, keypoint 9 (left wrist), x
        var e = Assert.Throws<UserFacingException>(() => KeypointValidation.Validate(Clip(kp)));
        Assert.Contains("dev/clip-007", e.Message);
        Assert.Contains("frame 2", e.Message);
        Assert.Contains("left_wrist", e.Message);
        Assert.Contains($"{axis} = ", e.Message);
        kp[(2 * 133 + 9) * 3] = 0;
        kp[(3 * 133 + 100) * 3 + 1] = float.NaN;
        var e2 = Assert.Throws<UserFacingException>(() => KeypointValidation.Validate(Clip(kp)));
        Assert.Contains("frame 3", e2.Message);
        Assert.Contains("y = NaN", e2.Message);
    }

    [Fact]
    public void Frame_array_size_mismatch_is_reported_and_good_clips_pass()
    {
        var kp = new float[4 * 133 * 3];
        KeypointValidation.Validate(Clip(kp, frames: new byte[4 * 6 * 8 * 3]));
        var e = Assert.Throws<UserFacingException>(() => KeypointValidation.Validate(Clip(kp, frames: new byte[10])));
        Assert.Contains("frame array", e.Message);
    }
}
